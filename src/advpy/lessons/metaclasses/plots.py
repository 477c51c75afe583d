"""Figures for the metaclasses lesson: the singleton race, and what one call of each kind of
singleton costs. Each ``plot_*`` function takes the records of a ``measure_*`` function of
:mod:`advpy.lessons.metaclasses.singletons` and returns ``(fig, ax)`` in the course style."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.metaclasses.singletons import CostRecord, RaceRecord
from advpy.lessons.plotting import COLORS, new_figure

#: One colour per way of getting the instance.
WAY_COLORS = {
    "naive SingletonMeta": COLORS["before"],
    "functools.cache factory": COLORS["list"],
    "double-checked lock": COLORS["after"],
}


def _interval_label(seconds: float) -> str:
    return f"{seconds * 1000:g} ms" if seconds >= 1e-3 else f"{seconds * 1e6:g} µs"


def plot_race(records: Iterable[RaceRecord]) -> tuple[Figure, Axes]:
    """The share of tries that built more than one instance, grouped by what ``__init__`` does;
    one bar per way and switch interval (hatched: the default interval)."""
    records = list(records)
    inits = list(dict.fromkeys(r.init for r in records))
    series = list(dict.fromkeys((r.way, r.interval) for r in records))
    tries = max((r.tries for r in records), default=0)
    threads = max((r.threads for r in records), default=0)
    fig, ax = new_figure(
        f"{threads} threads ask a new class for its instance at once, {tries} tries each",
        "what the class's __init__ does",
        "tries that built 2+ instances (%)",
    )
    width = 0.8 / max(1, len(series))
    for index, (way, interval) in enumerate(series):
        by_init = {r.init: r for r in records if r.way == way and r.interval == interval}
        xs = [i + (index - (len(series) - 1) / 2) * width for i in range(len(inits))]
        heights = [100 * by_init[init].share if init in by_init else 0.0 for init in inits]
        for x, init in zip(xs, inits, strict=True):
            if init in by_init:  # the count of tries, so that a zero shows too
                top = 100 * by_init[init].share
                ax.text(x, top + 1, str(by_init[init].duplicated), ha="center", fontsize=7)
        ax.bar(
            xs,
            heights,
            width=width,
            color=WAY_COLORS.get(way, COLORS["ideal"]),
            alpha=0.55 if interval >= 1e-3 else 1.0,
            hatch="//" if interval >= 1e-3 else None,
            edgecolor="white",
            label=f"{way}, switch interval {_interval_label(interval)}",
        )
    ax.set_xticks(range(len(inits)), [textwrap.fill(init, 16) for init in inits])
    ax.set_ylim(0, 105)
    ax.legend(loc="upper left", fontsize=8)
    fig.subplots_adjust(bottom=0.22)
    return fig, ax


def plot_call_costs(records: Iterable[CostRecord]) -> tuple[Figure, Axes]:
    """Nanoseconds per call once the instance exists, one horizontal bar per way."""
    records = list(records)
    fig, ax = new_figure(
        'Getting "the" instance once it exists: cost per call', "nanoseconds per call", ""
    )
    names = [r.way for r in records]
    values = [r.nanoseconds for r in records]
    colors = [WAY_COLORS.get(name, COLORS["threads"]) for name in names]
    ax.barh(range(len(records)), values, color=colors)
    ax.set_yticks(range(len(records)), names)
    ax.invert_yaxis()
    for y, value in enumerate(values):
        ax.text(value, y, f" {value:.0f} ns", va="center", fontsize=9)
    ax.set_xlim(0, max(values, default=1.0) * 1.2)
    fig.subplots_adjust(left=0.36)
    return fig, ax
