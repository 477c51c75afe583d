"""The type-hints lesson's figures: what annotations cost when a ``def`` runs, and what each
way of checking JSON costs per payload."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure
from advpy.lessons.type_hints.boundary import ValidationRecord
from advpy.lessons.type_hints.overhead import MODES, OverheadRecord

_MODE_COLORS = {"evaluated": COLORS["before"], "strings": COLORS["after"]}
_MODE_LABELS = {
    "evaluated": "evaluated when the def runs (default before 3.14)",
    "strings": "kept as strings (from __future__ import annotations)",
}


def plot_definition_cost(records: list[OverheadRecord]) -> tuple[Figure, Axes]:
    """Grouped bars: nanoseconds to execute one ``def``, per variant, in both modes."""
    fig, ax = new_figure(
        "What a def statement costs, by its annotations",
        "",
        "nanoseconds per def executed",
    )
    variants = list(dict.fromkeys(r.variant for r in records))
    width = 0.38
    for offset, mode in zip((-width / 2, width / 2), MODES, strict=True):
        values = [
            next(r.define_ns for r in records if (r.variant, r.mode) == (v, mode)) for v in variants
        ]
        bars = ax.bar(
            [i + offset for i in range(len(variants))],
            values,
            width,
            color=_MODE_COLORS[mode],
            label=_MODE_LABELS[mode],
        )
        ax.bar_label(bars, fmt="%.0f", fontsize=8, padding=2)
    ax.set_xticks(range(len(variants)), variants)
    ax.set_ylim(0, max(r.define_ns for r in records) * 1.25)
    ax.legend(loc="upper left", fontsize=9)
    return fig, ax


def plot_validation_cost(records: list[ValidationRecord]) -> tuple[Figure, Axes]:
    """Horizontal bars: microseconds per JSON payload for each way of reading it."""
    fig, ax = new_figure(
        "Reading one JSON refund request: parsing alone vs checking it",
        "microseconds per payload",
        "",
    )
    labels = [r.reader for r in records]
    values = [r.micros for r in records]
    colors = [COLORS["ideal"]] + [COLORS["async"]] * (len(records) - 1)
    bars = ax.barh(range(len(records)), values, color=colors)
    ax.bar_label(bars, fmt="%.1f µs", fontsize=8, padding=3)
    ax.set_yticks(range(len(records)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(values) * 1.3)
    fig.subplots_adjust(left=0.28)
    return fig, ax
