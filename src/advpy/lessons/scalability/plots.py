"""The lesson's figures: the hockey stick of the model, and measured latency next to the model
as instances are added. Each takes records and returns ``(fig, ax)``."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure
from advpy.lessons.scalability.load import LoadRun
from advpy.lessons.scalability.model import Prediction, QueueRun


def plot_hockey_stick(
    runs: Sequence[QueueRun], formula: Sequence[tuple[float, Prediction]]
) -> tuple[Figure, Axes]:
    """Simulated mean, median and 99th percentile of the response time against utilisation,
    in mean service times, with the M/M/1 formulas as lines."""
    fig, ax = new_figure(
        "One server under load (SimPy model, M/M/1)",
        "utilisation (arrival rate / capacity)",
        "response time (mean service times)",
    )
    unit = 1 / runs[0].service_rate
    rho = [run.utilisation for run in runs]
    ax.plot(
        rho, [r.p99 / unit for r in runs], "o", color=COLORS["processes"], label="p99, simulated"
    )
    ax.plot(
        rho,
        [r.mean_response / unit for r in runs],
        "o",
        color=COLORS["threads"],
        label="mean, simulated",
    )
    ax.plot(
        rho, [r.p50 / unit for r in runs], "o", color=COLORS["async"], label="median, simulated"
    )
    xs = [x for x, _ in formula]
    ax.plot(
        xs,
        [p.p99 / unit for _, p in formula],
        "-",
        color=COLORS["processes"],
        alpha=0.6,
        label="p99, formula",
    )
    ax.plot(
        xs,
        [p.mean_response / unit for _, p in formula],
        "-",
        color=COLORS["threads"],
        alpha=0.6,
        label="mean, formula",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(r.p99 / unit for r in runs) * 1.1)
    ax.legend(loc="upper left")
    return fig, ax


def plot_instances(
    runs: Sequence[tuple[int, LoadRun]],
    shared: Sequence[Prediction],
    split: Sequence[Prediction],
) -> tuple[Figure, Axes]:
    """Measured median and 99th percentile latency through nginx against the number of
    instances, next to the model's 99th percentile for one shared queue (the best a balancer
    can do) and for independent queues (random dispatch, the worst blind case)."""
    fig, ax = new_figure(
        "uvicorn instances behind nginx (round-robin), fixed open-loop load",
        "instances",
        "latency (ms)",
    )
    counts = [count for count, _ in runs]
    ax.plot(
        counts,
        [run.latency(0.99) * 1000 for _, run in runs],
        "o-",
        color=COLORS["processes"],
        label="p99, measured",
    )
    ax.plot(
        counts,
        [run.latency(0.5) * 1000 for _, run in runs],
        "o-",
        color=COLORS["async"],
        label="median, measured",
    )
    ax.plot(
        counts,
        [p.p99 * 1000 for p in shared],
        "--",
        color=COLORS["ideal"],
        label="p99, model: one shared queue",
    )
    ax.plot(
        counts,
        [p.p99 * 1000 for p in split],
        ":",
        color=COLORS["ideal"],
        label="p99, model: random split",
    )
    ax.set_xticks(counts)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right")
    return fig, ax
