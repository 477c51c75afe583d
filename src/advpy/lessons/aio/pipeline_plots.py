"""Figures for the generator part of the generators-and-async lesson.

Each ``plot_*`` function takes the records of a ``measure_*`` function of
:mod:`advpy.lessons.aio.pipelines` and returns ``(fig, ax)`` in the course style.
"""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.aio.pipelines import STYLES, PipelineRecord, StyleRecord
from advpy.lessons.plotting import COLORS, new_figure

#: Bar colours of the iteration styles.
STYLE_COLORS = {
    "list comprehension": COLORS["list"],
    "generator expression": COLORS["generator"],
    "map/filter + lambda": COLORS["processes"],
    "map + builtin": COLORS["threads"],
}


def plot_pipeline_memory(records: Iterable[PipelineRecord]) -> tuple[Figure, Axes]:
    """Peak memory against the number of log lines, one line per approach (log-log)."""
    records = list(records)
    fig, ax = new_figure(
        "Peak memory of a log pipeline: lists vs generators",
        "log lines processed",
        "peak memory traced (KiB, log scale)",
    )
    for approach in ("list", "generator"):
        points = sorted((r.lines, r.peak_bytes / 1024) for r in records if r.approach == approach)
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        label = "a list at every stage" if approach == "list" else "generators chained"
        ax.plot(xs, ys, marker="o", color=COLORS[approach], label=label)
        ax.annotate(
            _kib_text(ys[-1]),
            (xs[-1], ys[-1]),
            textcoords="offset points",
            xytext=(-6, -4) if approach == "list" else (-6, 6),
            ha="right",
            va="top" if approach == "list" else "bottom",
            fontsize=9,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend(loc="center right")
    return fig, ax


def _kib_text(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB" if kib >= 1024 else f"{kib:.1f} KiB"


def plot_iteration_styles(records: Iterable[StyleRecord]) -> tuple[Figure, Axes]:
    """Time per item of every job (groups) in every style (bars)."""
    records = list(records)
    tasks = list(dict.fromkeys(r.task for r in records))
    styles = [s for s in STYLES if any(r.style == s for r in records)]
    items = records[0].items if records else 0
    fig, ax = new_figure(
        f"The same jobs in four styles ({items:,} items each)",
        "job",
        "time per item (ns, lower is faster)",
        figsize=(9.0, 4.6),
    )
    width = 0.8 / max(1, len(styles))
    for index, style in enumerate(styles):
        times = {r.task: r.ns_per_item for r in records if r.style == style}
        xs = [t for t, task in enumerate(tasks) if task in times]
        heights = [times[tasks[t]] for t in xs]
        offsets = [x - 0.4 + width * (index + 0.5) for x in xs]
        ax.bar(offsets, heights, width, label=style, color=STYLE_COLORS.get(style))
    ax.set_xticks(range(len(tasks)))
    ax.set_xticklabels(tasks)
    ax.grid(axis="x", visible=False)
    ax.legend(ncols=2, loc="upper right", fontsize=9)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
    return fig, ax
