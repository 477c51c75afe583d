"""Figures of the memory lesson: each ``plot_*`` function turns records into ``(fig, ax)``."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.memory.measure import CacheGrowth, CycleRun, InstanceMemory, PauseRecord
from advpy.lessons.plotting import COLORS, new_figure

__all__ = [
    "plot_cache_growth",
    "plot_instance_memory",
    "plot_cycle_memory",
    "plot_collection_pause",
]

_MIB = 1024 * 1024
_KIND_COLORS = {
    "ordinary class": COLORS["before"],
    "ordinary class, __dict__ read once": COLORS["list"],
    "class with __slots__": COLORS["after"],
}


def _size_text(size: float) -> str:
    """Bytes in a unit that suits them: ``384 B``, ``12.5 KiB``, ``7.7 MiB``."""
    if abs(size) < 1024:
        return f"{size:.0f} B"
    if abs(size) < _MIB:
        return f"{size / 1024:.1f} KiB"
    return f"{size / _MIB:.1f} MiB"


def _leave_room_for_legend(ax: Axes, entries: int) -> None:
    """Raise the top of the y axis so a legend in the upper left covers no data."""
    bottom, top = ax.get_ylim()
    ax.set_ylim(0, top * (1.15 + 0.1 * entries))


def _grouped(records: Sequence[CacheGrowth] | Sequence[InstanceMemory], attr: str) -> dict:
    groups: dict[str, list] = {}
    for record in records:
        groups.setdefault(getattr(record, attr), []).append(record)
    return groups


def plot_cache_growth(records: Sequence[CacheGrowth]) -> tuple[Figure, Axes]:
    """Memory held against requests served, one line per cache (the leak and its fix)."""
    fig, ax = new_figure(
        "Memory a report cache keeps alive",
        "requests served (each for a new report, dropped after use)",
        "memory still allocated (MiB)",
    )
    palette = [COLORS["before"], COLORS["after"], COLORS["ideal"]]
    for index, (label, rows) in enumerate(_grouped(records, "cache").items()):
        final = rows[-1]
        ax.plot(
            [r.requests for r in rows],
            [r.bytes_held / _MIB for r in rows],
            marker="o",
            color=palette[index % len(palette)],
            label=f"{label}: {_size_text(final.bytes_held)} held, "
            f"{final.entries} reports cached at the end",
        )
    ax.set_xlim(left=0)
    _leave_room_for_legend(ax, len(ax.lines))
    ax.legend(loc="upper left")
    return fig, ax


def plot_instance_memory(records: Sequence[InstanceMemory]) -> tuple[Figure, Axes]:
    """Memory taken against number of instances, one line per kind of class."""
    fig, ax = new_figure(
        "Memory taken by small objects, with and without __slots__",
        "number of instances",
        "memory taken (MiB)",
    )
    for label, rows in _grouped(records, "kind").items():
        largest = rows[-1]
        ax.plot(
            [r.instances for r in rows],
            [r.bytes_total / _MIB for r in rows],
            marker="o",
            color=_KIND_COLORS.get(label),
            label=f"{label}: {largest.bytes_each:.0f} bytes each",
        )
    ax.set_xlim(left=0)
    _leave_room_for_legend(ax, len(ax.lines))
    ax.legend(loc="upper left")
    return fig, ax


def plot_cycle_memory(runs: Sequence[CycleRun]) -> tuple[Figure, Axes]:
    """Memory alive after each request, one line per way of serving it: a sawtooth for the
    requests that leave cycles (freed only when the collector runs), a flat line for those
    that do not."""
    if not runs:
        raise ValueError("no runs to plot")
    fig, ax = new_figure(
        f"Requests of {_size_text(runs[0].request_bytes)} each, served one after another",
        "requests served",
        "memory still allocated (MiB)",
    )
    palette = [COLORS["before"], COLORS["after"], COLORS["ideal"]]
    for index, run in enumerate(runs):
        ax.plot(
            range(1, len(run.in_use) + 1),
            [held / _MIB for held in run.in_use],
            color=palette[index % len(palette)],
            label=f"{run.approach}: peak {_size_text(run.peak_bytes)} "
            f"(= {run.peak_requests:,.0f} buffers), {run.collections} collections",
        )
    ax.set_xlim(left=0)
    _leave_room_for_legend(ax, len(ax.lines))
    ax.legend(loc="upper left")
    return fig, ax


def plot_collection_pause(records: Sequence[PauseRecord]) -> tuple[Figure, Axes]:
    """How long one full collection takes against the number of objects it must visit."""
    if not records:
        raise ValueError("no records to plot")
    fig, ax = new_figure(
        "One full collection (gc.collect()) against the size of the heap",
        "objects tracked by the collector (millions)",
        "pause (ms)",
    )
    points = sorted((r.tracked, r.seconds) for r in records)
    ax.plot(
        [tracked / 1e6 for tracked, _ in points],
        [seconds * 1000 for _, seconds in points],
        marker="o",
        color=COLORS["before"],
        label="fastest of a few full collections, none of them finding garbage",
    )
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    _leave_room_for_legend(ax, 1)
    ax.legend(loc="upper left")
    return fig, ax
