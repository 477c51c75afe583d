"""The GIL lesson's figures: each ``plot_*`` function turns records from
:mod:`advpy.lessons.gil.measure` into ``(fig, ax)`` in the course style (see
:func:`advpy.lessons.plotting.new_figure`, which also puts the
machine - cores, Python version, GIL on or off - in the figure's footnote)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from advpy.lessons.context import machine
from advpy.lessons.gil.measure import HandoffRecord, SpeedupRecord, TransferRecord
from advpy.lessons.gil.sharing import SharingRecord
from advpy.lessons.gil.switching import StallRecord
from advpy.lessons.plotting import COLORS, new_figure

#: Legend names of the executors.
EXECUTOR_LABELS = {"threads": "threads", "processes": "processes"}


def plot_speedup(
    records: Sequence[SpeedupRecord], title: str | None = None, note: str | None = None
) -> tuple[Figure, Axes]:
    """Speed-up against worker count, one line per executor, with the ideal line (speed-up =
    workers), the "no speed-up" level and the machine's core count marked.

    ``note`` (e.g. from :func:`advpy.lessons.gil.measure.speedup_caveat`) is written in a box
    inside the plot, where nobody can read the lines without it."""
    if not records:
        raise ValueError("no records to plot")
    task = records[0].task
    fig, ax = new_figure(
        title or f"Speed-up with more workers: {task}",
        "workers (threads or processes)",
        "speed-up (× faster than one plain call)",
    )
    most = max(r.workers for r in records)
    ideal = "ideal: speed-up = workers"
    ax.plot([1, most], [1, most], linestyle="--", color=COLORS["ideal"], label=ideal)
    for kind in dict.fromkeys(r.executor for r in records):
        points = sorted((r.workers, r.speedup) for r in records if r.executor == kind)
        ax.plot(
            [w for w, _ in points],
            [s for _, s in points],
            marker="o",
            color=COLORS.get(kind),
            label=EXECUTOR_LABELS.get(kind, kind),
        )
    cores = machine().cores
    if cores <= most:
        ax.axvline(cores, color="black", linestyle=":", linewidth=1, label=f"cores here ({cores})")
    ax.axhline(1.0, color="black", linewidth=0.8, alpha=0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0.8, most + 0.2)
    ax.set_ylim(0, max([most] + [r.speedup for r in records]) * 1.08)
    if note:
        ax.text(
            0.02,
            0.97,
            textwrap.fill(note, 58),
            transform=ax.transAxes,
            va="top",
            ha="left",
            fontsize=8,
            color=COLORS["before"],
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": COLORS["before"]},
        )
        ax.legend(loc="center right", fontsize=8)
    else:
        ax.legend(loc="best")
    return fig, ax


def plot_handoffs(records: Sequence[HandoffRecord]) -> tuple[Figure, Axes]:
    """Handoffs per second between two busy threads against the switch interval, next to what
    one handoff per interval would give."""
    if not records:
        raise ValueError("no records to plot")
    fig, ax = new_figure(
        "Two busy threads under different switch intervals",
        "switch interval (ms, log scale)",
        "handoffs per second (log scale)",
    )
    points = sorted((r.interval, r.handoffs_per_second) for r in records)
    intervals_ms = [interval * 1000 for interval, _ in points]
    ax.plot(
        intervals_ms,
        [1 / interval for interval, _ in points],
        linestyle="--",
        color=COLORS["ideal"],
        label="one handoff per interval (1 / interval)",
    )
    # A run with no handoff at all has no place on a log scale: it is left out of the line.
    seen = [(interval * 1000, rate) for interval, rate in points if rate > 0]
    ax.plot(
        [ms for ms, _ in seen],
        [rate for _, rate in seen],
        marker="o",
        color=COLORS["threads"],
        label="measured",
    )
    _log_axes(ax, intervals_ms)
    ax.legend(loc="best")
    return fig, ax


def _plain_number(value: float, _position: object = None) -> str:
    return f"{value:g}"


def _plot_time_by_size(
    ax: Axes,
    series: Sequence[tuple[str, float, float]],
    colors: Mapping[str, str | None],
    labels: Mapping[str, str],
) -> None:
    """One line per name of ``(name, megabytes, seconds)`` points, in milliseconds against
    megabytes on log axes, with its colour and label."""
    for name in dict.fromkeys(name for name, _, _ in series):
        points = sorted((mb, seconds) for n, mb, seconds in series if n == name)
        ax.plot(
            [mb for mb, _ in points],
            [seconds * 1000 for _, seconds in points],
            marker="o",
            color=colors.get(name),
            label=labels.get(name, name),
        )
    _log_axes(ax, sorted({mb for _, mb, _ in series}))
    ax.legend(loc="best")


def _log_axes(ax: Axes, xticks: Sequence[float]) -> None:
    """Log scales on both axes, with ticks written as plain numbers (0.1, 1, 10...), and the
    x ticks at the values that were measured."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(list(xticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(_plain_number))
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(_plain_number))


def plot_transfer(records: Sequence[TransferRecord]) -> tuple[Figure, Axes]:
    """Round-trip time of one call against the size of its argument, for a process pool (the
    argument is pickled and copied) and a thread pool (nothing is copied)."""
    if not records:
        raise ValueError("no records to plot")
    fig, ax = new_figure(
        "Shipping an argument to a worker",
        "argument size (MB, log scale)",
        "time per call (ms, log scale)",
    )
    labels = {
        "processes": "process pool: pickled and piped",
        "threads": "thread pool: shared, not copied",
    }
    series = [(r.executor, r.megabytes, r.seconds) for r in records]
    _plot_time_by_size(ax, series, {k: COLORS.get(k) for k in labels}, labels)
    return fig, ax


def plot_stall(records: Sequence[StallRecord]) -> tuple[Figure, Axes]:
    """Gap between a ticker thread's ticks over time, one line per kind of work running in the
    other thread, the work's span shaded, the tick and the switch interval marked."""
    if not records:
        raise ValueError("no records to plot")
    first = records[0]
    fig, ax = new_figure(
        f"A thread that wants to run every {first.tick * 1000:g} ms, next to busy work",
        "time since start (ms)",
        "gap since the previous tick (ms, log scale)",
    )
    colors = [COLORS["before"], COLORS["after"], COLORS["threads"]]
    for index, record in enumerate(records):
        ax.plot(
            [t * 1000 for t in record.times],
            [g * 1000 for g in record.gaps],
            marker=".",
            drawstyle="steps-pre",
            color=colors[index % len(colors)],
            label=f"{record.work} (longest gap {record.max_gap * 1000:.0f} ms)",
        )
    ax.axvspan(
        first.work_start * 1000,
        first.work_end * 1000,
        color=COLORS["ideal"],
        alpha=0.12,
        label="while the work runs",
    )
    ax.axhline(
        first.interval * 1000,
        linestyle="--",
        color=COLORS["ideal"],
        label=f"switch interval ({first.interval * 1000:g} ms)",
    )
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(_plain_number))
    highest = max(r.max_gap for r in records) * 1000
    ax.set_ylim(first.tick * 1000 * 0.5, highest * 8)
    ax.legend(loc="upper left", fontsize=9)
    return fig, ax


def plot_sharing(records: Sequence[SharingRecord]) -> tuple[Figure, Axes]:
    """Time of one call that sums an array in a worker process, against the array's size:
    the array pickled into the call, or left in shared memory and found by its name."""
    if not records:
        raise ValueError("no records to plot")
    fig, ax = new_figure(
        "Summing an array in a worker process",
        "array size (MB, log scale)",
        "time per call (ms, log scale)",
    )
    colors = {"pickled": COLORS["processes"], "shared memory": COLORS["after"]}
    labels = {
        "pickled": "array pickled and piped with the call",
        "shared memory": "array in shared_memory, only its name sent",
    }
    series = [(r.method, r.megabytes, r.seconds) for r in records]
    _plot_time_by_size(ax, series, colors, labels)
    return fig, ax
