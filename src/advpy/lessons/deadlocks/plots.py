"""The lesson's two figures, drawn from records that the measuring functions return."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.deadlocks.pg import PgDeadlock
from advpy.lessons.deadlocks.transfers import StrategyRun
from advpy.lessons.plotting import COLORS, new_figure


def plot_strategies(runs: list[StrategyRun]) -> tuple[Figure, Axes]:
    """Transfers per second for each strategy (log scale), with its deadlocks and retries."""
    fig, ax = new_figure(
        "The same transfers, five ways", "strategy (Coffman condition broken)", "transfers / s"
    )
    labels = [f"{run.strategy}\n({run.breaks})" for run in runs]
    colors = [COLORS["before"] if run.deadlocks else COLORS["after"] for run in runs]
    bars = ax.bar(range(len(runs)), [run.per_second for run in runs], color=colors)
    ax.set_yscale("log")
    ax.set_xticks(range(len(runs)), labels, fontsize=8)
    for bar, run in zip(bars, runs, strict=True):
        ax.annotate(
            f"{run.deadlocks} deadlocks\n{run.retries} retries",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_ylim(min(run.per_second for run in runs) / 3, max(run.per_second for run in runs) * 4)
    fig.subplots_adjust(bottom=0.24)
    return fig, ax


def plot_detection(records: list[PgDeadlock]) -> tuple[Figure, Axes]:
    """PostgreSQL's measured time to detect a deadlock against its ``deadlock_timeout``."""
    fig, ax = new_figure(
        "PostgreSQL finds a deadlock after deadlock_timeout",
        "deadlock_timeout (ms)",
        "cycle closed -> victim's error (ms)",
    )
    settings = [record.deadlock_timeout_ms for record in records]
    measured = [record.detected_after * 1000 for record in records]
    top = max(settings + measured) * 1.1
    ax.plot([0, top], [0, top], color=COLORS["ideal"], linestyle="--", label="detected = setting")
    ax.plot(settings, measured, "o", color=COLORS["threads"], label="measured")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.legend()
    return fig, ax
