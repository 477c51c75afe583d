"""The course's one plot style, and small helpers every lesson's figures share.

Measuring and drawing are kept apart: a lesson's ``measure_*`` function returns records, and a
``plot_*`` function turns records into ``(fig, ax)`` with matplotlib's object API.
"""

from __future__ import annotations

from typing import Any, cast

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.context import machine

#: Colours by role, so "threads" or "processes" look the same in every lesson.
COLORS = {
    "threads": "#1f77b4",
    "processes": "#d62728",
    "ideal": "#7f7f7f",
    "sequential": "#9467bd",
    "async": "#2ca02c",
    "list": "#ff7f0e",
    "generator": "#17becf",
    "before": "#d62728",
    "after": "#2ca02c",
}

STYLE: dict[str, Any] = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
}


def new_figure(title: str, xlabel: str, ylabel: str, **kwargs: Any) -> tuple[Figure, Axes]:
    """A figure in the course style, labelled, with the machine in a footnote."""
    with plt.rc_context(cast(Any, STYLE)):  # matplotlib's stubs want literal rc keys
        fig, ax = plt.subplots(**kwargs)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        fig.text(0.99, 0.01, machine().label(), ha="right", va="bottom", fontsize=8, alpha=0.7)
        fig.subplots_adjust(bottom=0.16)
        # Loading Jupyter's inline backend inside the context switches interactive mode on;
        # keep that when the context restores the other settings, or no later figure shows.
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)
    return fig, ax
