"""Figures for the decorators lesson: the cost of a decorator per call, and the thundering herd
with and without jitter. Each takes the records of a ``measure_*``/``simulate_*`` function and
returns ``(fig, ax)`` in the course style."""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.decorators.herd import HerdRun
from advpy.lessons.decorators.overhead import OverheadRecord
from advpy.lessons.plotting import COLORS, new_figure

_HERD_COLORS = {"none": COLORS["before"], "full": COLORS["after"], "equal": COLORS["threads"]}
_HERD_LABELS = {"none": "no jitter", "full": "full jitter", "equal": "equal jitter"}


def plot_overhead(records: Iterable[OverheadRecord]) -> tuple[Figure, Axes]:
    """Nanoseconds per call for each variant, as horizontal bars, bare function first."""
    records = list(records)
    fig, ax = new_figure(
        "What a decorator costs per call (the function itself: x + 1)",
        "time per call (ns, best of several runs)",
        "",
    )
    labels = [r.variant for r in records][::-1]
    values = [r.ns_per_call for r in records][::-1]
    colors = [
        COLORS["ideal"] if label == "bare function" else COLORS["threads"] for label in labels
    ]
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(
            f"{value:,.0f} ns",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            textcoords="offset points",
            xytext=(4, 0),
            va="center",
            fontsize=9,
        )
    ax.set_xscale("log")  # the costs span two orders of magnitude
    ax.set_xlim(min(values, default=1) / 2, max(values, default=1) * 4)
    ax.grid(axis="y", visible=False)
    fig.subplots_adjust(left=0.3)
    return fig, ax


def plot_herd(runs: Iterable[HerdRun], until_ms: float | None = None) -> tuple[Figure, Axes]:
    """Requests arriving per time slot for each strategy, with the server's capacity."""
    runs = list(runs)
    first = runs[0]
    fig, ax = new_figure(
        f"Model: {first.clients} clients retrying against a server that answers "
        f"{first.capacity} per {first.slot_ms:g} ms",
        "time since the server came back (ms)",
        f"requests per {first.slot_ms:g} ms slot",
    )
    for run in runs:
        times = [i * run.slot_ms for i in range(len(run.requests))]
        ax.step(
            times,
            run.requests,
            where="post",
            color=_HERD_COLORS[run.strategy],
            linewidth=1.2,
            label=f"{_HERD_LABELS[run.strategy]}: all served after {run.finished_ms:,.0f} ms",
        )
    ax.axhline(
        first.capacity,
        linestyle="--",
        color=COLORS["ideal"],
        label=f"capacity ({first.capacity} per slot)",
    )
    ax.set_yscale("log")
    peak = max((run.peak for run in runs), default=1)
    ax.set_ylim(0.8, peak * 20)  # head room above the spikes for the legend
    if until_ms is not None:
        ax.set_xlim(0, until_ms)
    ax.legend(loc="upper right", fontsize=9)
    return fig, ax
