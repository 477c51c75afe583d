"""Figures for the comprehensions lesson: each ``plot_*`` takes the records of a ``measure_*``
function and returns ``(fig, ax)`` in the course style."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from advpy.lessons.comprehensions.bigfile import FileRecord
from advpy.lessons.comprehensions.scaling import SizeRecord
from advpy.lessons.comprehensions.styles import STYLES, StyleRecord
from advpy.lessons.plotting import COLORS, new_figure

#: Colours and markers of the iteration styles, the same in every figure.
STYLE_COLORS = {
    "list comprehension": COLORS["list"],
    "generator expression": COLORS["generator"],
    "map/filter + lambda": COLORS["processes"],
    "map + builtin": COLORS["threads"],
    "map + operator": COLORS["sequential"],
}
STYLE_MARKERS = {
    "list comprehension": "o",
    "generator expression": "s",
    "map/filter + lambda": "^",
    "map + builtin": "D",
    "map + operator": "v",
}


def plot_iteration_styles(records: Iterable[StyleRecord]) -> tuple[Figure, Axes]:
    """Time per item of every job (groups) in every style (bars)."""
    records = list(records)
    tasks = list(dict.fromkeys(r.task for r in records))
    styles = [s for s in STYLES if any(r.style == s for r in records)]
    items = records[0].items if records else 0
    fig, ax = new_figure(
        f"The same jobs in up to five styles ({items:,} items each)",
        "job",
        "time per item (ns, lower is faster)",
        figsize=(10.0, 4.8),
    )
    width = 0.84 / max(1, len(styles))
    for index, style in enumerate(styles):
        times = {r.task: r.ns_per_item for r in records if r.style == style}
        xs = [t for t, task in enumerate(tasks) if task in times]
        heights = [times[tasks[t]] for t in xs]
        offsets = [x - 0.42 + width * (index + 0.5) for x in xs]
        ax.bar(offsets, heights, width, label=style, color=STYLE_COLORS.get(style))
    ax.set_xticks(range(len(tasks)))
    ax.set_xticklabels([textwrap.fill(task, 14) for task in tasks], fontsize=9)
    fig.subplots_adjust(bottom=0.22)
    ax.grid(axis="x", visible=False)
    ax.legend(ncols=3, loc="upper left", fontsize=9)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    return fig, ax


def _by_style(records: list[SizeRecord]) -> dict[str, list[SizeRecord]]:
    styles = [s for s in STYLES if any(r.style == s for r in records)]
    return {s: sorted((r for r in records if r.style == s), key=lambda r: r.items) for s in styles}


def plot_size_time(records: Iterable[SizeRecord], job: str) -> tuple[Figure, Axes]:
    """Time against input size, one line per style (log-log)."""
    records = list(records)
    fig, ax = new_figure(
        f"Time against input size: {job}", "items", "time (ms, best run, log scale)"
    )
    for style, rows in _by_style(records).items():
        ax.plot(
            [r.items for r in rows],
            [r.seconds * 1000 for r in rows],
            marker=STYLE_MARKERS.get(style, "o"),
            color=STYLE_COLORS.get(style),
            label=style,
            alpha=0.85,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend(fontsize=9, loc="upper left")
    return fig, ax


def plot_size_memory(records: Iterable[SizeRecord], job: str) -> tuple[Figure, Axes]:
    """Peak traced memory against input size, one line per style (log-log)."""
    records = list(records)
    fig, ax = new_figure(
        f"Peak memory against input size: {job}", "items", "peak memory traced (KiB, log scale)"
    )
    for style, rows in _by_style(records).items():
        ax.plot(
            [r.items for r in rows],
            [max(r.peak_bytes, 1) / 1024 for r in rows],
            marker=STYLE_MARKERS.get(style, "o"),
            color=STYLE_COLORS.get(style),
            label=style,
            alpha=0.85,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend(fontsize=9, loc="center right")
    return fig, ax


def plot_file_memory(records: Iterable[FileRecord]) -> tuple[Figure, Axes]:
    """Peak traced memory against the size of the file read, lazy vs eager (log-log)."""
    records = list(records)
    fig, ax = new_figure(
        "Reading a log file: peak memory against file size",
        "file size (MB, log scale)",
        "peak memory traced (MiB, log scale)",
    )
    labels = {
        "eager": "readlines() + list comprehensions",
        "lazy": "for line in file + generators",
    }
    colors = {"eager": COLORS["list"], "lazy": COLORS["generator"]}
    for approach in ("eager", "lazy"):
        rows = sorted((r for r in records if r.approach == approach), key=lambda r: r.file_bytes)
        if not rows:
            continue
        xs = [r.file_bytes / 1e6 for r in rows]
        ys = [max(r.peak_bytes, 1) / 2**20 for r in rows]
        ax.plot(xs, ys, marker="o", color=colors[approach], label=labels[approach])
        ax.annotate(
            f"{ys[-1]:,.2f} MiB" if ys[-1] < 10 else f"{ys[-1]:,.0f} MiB",
            (xs[-1], ys[-1]),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=9,
        )
    sizes = sorted({r.file_bytes / 1e6 for r in records})
    if sizes:
        ax.plot(
            sizes,
            [s * 1e6 / 2**20 for s in sizes],
            ls=":",
            color=COLORS["ideal"],
            label="the file's own size",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    if sizes:
        ax.set_xticks(sizes)
        ax.set_xticklabels([f"{size:.3g}" for size in sizes])
        ax.xaxis.set_minor_locator(NullLocator())
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * 30)  # room for the legend above the lines
    ax.legend(fontsize=9, loc="upper left")
    return fig, ax
