"""Figures for the asyncio part of the generators-and-async lesson.

Each ``plot_*`` function takes the records of a ``measure_*`` coroutine of
:mod:`advpy.lessons.aio.demos` and returns ``(fig, ax)`` in the course style.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.aio.demos import HeartbeatRun, LimitRecord, WaitRecord
from advpy.lessons.aio.queues import QueueRun
from advpy.lessons.plotting import COLORS, new_figure


def plot_sequential_vs_gather(
    records: Iterable[WaitRecord],
    title: str = "N waits: one after another vs asyncio.gather",
    wait_label: str = "one wait",
    xlabel: str = "N (waits started)",
) -> tuple[Figure, Axes]:
    """Total time against N for both modes, with the ideal lines N x one wait and one wait."""
    records = list(records)
    fig, ax = new_figure(title, xlabel, "total time (ms)")
    one_wait = records[0].one_wait if records else 0.0
    counts = sorted({r.waits for r in records})
    ax.plot(
        counts,
        [n * one_wait * 1000 for n in counts],
        linestyle="--",
        color=COLORS["ideal"],
        label=f"N x {wait_label} ({one_wait * 1000:g} ms)",
    )
    ax.plot(
        counts,
        [one_wait * 1000 for _ in counts],
        linestyle=":",
        color=COLORS["ideal"],
        label=f"{wait_label}, whatever N",
    )
    for mode, label in (
        ("sequential", "one after another (await in a loop)"),
        ("gather", "all at once (asyncio.gather)"),
    ):
        points = sorted((r.waits, r.seconds * 1000) for r in records if r.mode == mode)
        if points:
            xs, ys = zip(*points, strict=True)
            color = COLORS["sequential"] if mode == "sequential" else COLORS["async"]
            ax.plot(xs, ys, marker="o", color=color, label=label)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=9)
    return fig, ax


def plot_semaphore_limits(records: Iterable[LimitRecord]) -> tuple[Figure, Axes]:
    """Total time against the semaphore's limit, with the ideal ceil(jobs / limit) x job time."""
    records = sorted(records, key=lambda r: r.limit)
    jobs = records[0].jobs if records else 0
    job_ms = records[0].job_seconds * 1000 if records else 0.0
    fig, ax = new_figure(
        f"{jobs} jobs of {job_ms:g} ms through asyncio.Semaphore(limit)",
        "limit (jobs allowed to run at once)",
        "total time (ms)",
    )
    limits = [r.limit for r in records]
    ax.plot(
        limits,
        [math.ceil(r.jobs / r.limit) * r.job_seconds * 1000 for r in records],
        linestyle="--",
        color=COLORS["ideal"],
        label="ideal: ceil(jobs / limit) x job time",
    )
    ax.plot(
        limits,
        [r.seconds * 1000 for r in records],
        marker="o",
        color=COLORS["async"],
        label="measured",
    )
    for r in records:
        ax.annotate(
            f"peak {r.peak}",
            (r.limit, r.seconds * 1000),
            textcoords="offset points",
            xytext=(4, 6),
            fontsize=8,
        )
    ax.set_xscale("log", base=2)
    ax.set_xticks(limits)
    ax.set_xticklabels([str(limit) for limit in limits])
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=9)
    return fig, ax


def plot_heartbeat(runs: Iterable[HeartbeatRun]) -> tuple[Figure, Axes]:
    """Gap between heartbeats over time, one line per run, the blocking call shaded.

    Each beat's gap is drawn as a step covering the time since the previous beat, so a stall
    shows as a plateau as wide as it is high."""
    runs = list(runs)
    interval_ms = runs[0].interval * 1000 if runs else 0.0
    fig, ax = new_figure(
        f"A task that wants to run every {interval_ms:g} ms, next to one blocking call",
        "time since start (ms)",
        "gap since the previous beat (ms)",
    )
    labels = {
        "blocking": "time.sleep called in a coroutine",
        "to_thread": "the same call via asyncio.to_thread",
    }
    colors = {"blocking": COLORS["before"], "to_thread": COLORS["after"]}
    for run in runs:
        ax.plot(
            [t * 1000 for t in run.times],
            [g * 1000 for g in run.gaps],
            marker=".",
            drawstyle="steps-pre",
            color=colors.get(run.mode),
            label=f"{labels.get(run.mode, run.mode)} (longest gap {run.max_gap * 1000:.0f} ms)",
        )
    if runs:
        first = runs[0]
        ax.axvspan(
            first.call_start * 1000,
            first.call_end * 1000,
            color=COLORS["ideal"],
            alpha=0.12,
            label="while the blocking call runs",
        )
        ax.axhline(
            interval_ms, linestyle="--", color=COLORS["ideal"], label="the interval asked for"
        )
        # Room above the longest gap for the legend.
        highest = max(max(run.max_gap for run in runs) * 1000, interval_ms)
        ax.set_ylim(0, highest * 1.7)
    ax.legend(loc="upper left", fontsize=9)
    return fig, ax


def plot_queue_lengths(runs: Iterable[QueueRun]) -> tuple[Figure, Axes]:
    """The queue's length over time, one line per run (bounded or not), with each bounded
    queue's ``maxsize`` marked and the moment its producer finished."""
    runs = list(runs)
    fig, ax = new_figure(
        "A fast producer and a slow consumer, through an asyncio.Queue",
        "time since start (ms)",
        "items waiting in the queue",
    )
    colors = [COLORS["before"], COLORS["after"], COLORS["threads"]]
    for index, run in enumerate(runs):
        color = colors[index % len(colors)]
        bound = f"maxsize={run.maxsize}" if run.maxsize else "unbounded"
        ax.plot(
            [t * 1000 for t in run.times],
            run.lengths,
            drawstyle="steps-post",
            color=color,
            label=f"{bound}: at most {run.longest} waiting, producer done at "
            f"{run.producer_done * 1000:.0f} ms",
        )
        if run.maxsize:
            ax.axhline(run.maxsize, linestyle="--", color=color, linewidth=1)
    if runs:
        ax.set_ylim(0, max(run.longest for run in runs) * 1.35 + 1)
    ax.legend(loc="upper right", fontsize=9)
    return fig, ax
