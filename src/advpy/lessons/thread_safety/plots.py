"""Figures for the thread-safety lesson: each ``plot_*`` takes the records of a ``measure_*`` or
``run_*`` function of this package and returns ``(fig, ax)`` in the course style."""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure
from advpy.lessons.thread_safety.contention import STRATEGIES, ContentionRecord
from advpy.lessons.thread_safety.pipeline import PipelineRun

_STRATEGY_COLORS = {
    "one lock": COLORS["before"],
    "striped locks": COLORS["after"],
    "one lock, update only": COLORS["threads"],
}


def plot_contention(records: Iterable[ContentionRecord]) -> tuple[Figure, Axes]:
    """Throughput (operations per second, all threads together) against the number of threads,
    one line per way of locking."""
    records = list(records)
    wait = records[0].wait_seconds * 1000 if records else 0.0
    fig, ax = new_figure(
        f"Save ({wait:g} ms of I/O) and update a shared index: who waits for whom",
        "threads",
        "operations per second (all threads)",
    )
    for strategy in STRATEGIES:
        label = strategy
        if strategy == "striped locks" and records:
            label = f"{records[0].stripes} striped locks"
        points = sorted((r.threads, r.throughput) for r in records if r.strategy == strategy)
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, marker="o", color=_STRATEGY_COLORS[strategy], label=label)
    counts = sorted({r.threads for r in records})
    ax.set_xscale("log", base=2)
    ax.set_xticks(counts, [str(c) for c in counts])
    ax.set_ylim(bottom=0)
    ax.legend(loc="best", fontsize=9)
    return fig, ax


def plot_queue_lengths(runs: Iterable[PipelineRun]) -> tuple[Figure, Axes]:
    """Items waiting in the queue over time, one line per run (bounded or not)."""
    fig, ax = new_figure(
        "A fast producer, slow workers: what maxsize does",
        "time (ms)",
        "items waiting in the queue",
    )
    palette = [COLORS["list"], COLORS["generator"], COLORS["sequential"]]
    for run, color in zip(runs, palette, strict=False):
        label = "Queue() (unbounded)" if run.maxsize == 0 else f"Queue(maxsize={run.maxsize})"
        label += f": peak {run.peak}, {run.workers} workers"
        ax.step([t * 1000 for t in run.times], run.lengths, where="post", color=color, label=label)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=9)
    return fig, ax
