"""Figures for the generator part of the generators-and-async lesson.

Each ``plot_*`` function takes the records of a ``measure_*`` function of
:mod:`advpy.lessons.aio.pipelines` and returns ``(fig, ax)`` in the course style.
"""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.aio.pipelines import PipelineRecord
from advpy.lessons.plotting import COLORS, new_figure


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
