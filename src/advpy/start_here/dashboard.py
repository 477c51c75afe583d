"""The progress dashboard: a picture of points per graded set, its table, and a Refresh button.

:func:`plot_standing` draws :func:`~advpy.start_here.standing.standing` rows in the course's
style; :class:`Dashboard` shows the picture and the table as ordinary cell outputs (so a saved
or exported notebook keeps them) and redraws both in place when its button is pressed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from advpy.course.paths import CoursePaths, course_paths
from advpy.lessons.plotting import COLORS, new_figure
from advpy.progress import ProgressError, default_store
from advpy.start_here.standing import SetStanding, standing, standing_text

#: Bar colours: all points, some points, the points still to earn.
FULL, PARTIAL, TO_EARN = COLORS["after"], COLORS["list"], "#d9d9d9"


def plot_standing(rows: list[SetStanding]) -> tuple[Figure, Axes]:
    """Horizontal bars, one per graded set in course order: the points of its last self-check
    over the points it is worth, labelled with the result or "not checked yet"."""
    sets = [r for r in rows if r.in_course]
    height = 1.6 + 0.42 * max(len(sets), 1)
    checked = [r.last for r in sets if r.last is not None]
    earned_in_all = sum(r.earned for r in checked)
    worth_in_all = sum(r.possible or 0 for r in sets)
    title = f"Your last self-check of each graded set: {earned_in_all:g} of {worth_in_all:g} points"
    fig, ax = new_figure(title, "points", "", figsize=(7.5, height))
    names = [r.name for r in sets]
    positions = range(len(sets))
    worth = [r.possible or 0 for r in sets]
    earned = [r.last.earned if r.last else 0 for r in sets]
    colours = [FULL if r.last and r.last.earned == r.last.possible else PARTIAL for r in sets]
    ax.barh(positions, worth, color=TO_EARN, height=0.6)
    ax.barh(positions, earned, color=colours, height=0.6)
    longest = max(worth, default=0) or 1
    for y, row in zip(positions, sets, strict=True):
        last = row.last
        label = (
            f"{last.earned:g}/{last.possible:g} · {last.passed}/{last.total} checks"
            if last
            else "not checked yet"
        )
        style = {"alpha": 1.0} if last else {"alpha": 0.55, "style": "italic"}
        ax.text((row.possible or 0) + 0.02 * longest, y, label, va="center", fontsize=9, **style)
    ax.set_yticks(list(positions), names)
    ax.invert_yaxis()  # course order, top to bottom
    ax.set_xlim(0, longest * 1.55)
    ax.grid(axis="y", visible=False)
    key = [Patch(color=FULL), Patch(color=PARTIAL), Patch(color=TO_EARN)]
    ax.legend(key, ["all points", "some points", "still to earn"], loc="lower right")
    fig.subplots_adjust(bottom=0.75 / height, top=1 - 0.45 / height)
    if not sets:
        ax.text(0.5, 0.5, "no graded sets found", transform=ax.transAxes, ha="center")
    return fig, ax


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (whatever matplotlib backend is active), then closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


class Dashboard:
    """The dashboard: a Refresh button, the picture and the table of where you stand.

    ``course`` and ``store`` default to this course and your progress store.
    """

    def __init__(self, course: CoursePaths | None = None, store: Path | None = None) -> None:
        self.course = course if course is not None else course_paths()
        self.store = store if store is not None else default_store()
        self._picture: Any = None
        self._table: Any = None

    def render(self) -> tuple[bytes | None, str]:
        """The picture (PNG; None when the store cannot be read) and the table's text."""
        try:
            rows = standing(self.course, self.store)
        except ProgressError as error:
            return None, f"Your progress cannot be read: {error}"
        fig, _ = plot_standing(rows)
        return png(fig), standing_text(rows, self.store)

    def show(self) -> None:
        """Display the button, the picture and the table in the current cell."""
        import ipywidgets as widgets
        from IPython.display import display

        button = widgets.Button(description="Refresh", icon="refresh", tooltip="read again")
        button.on_click(lambda _: self.refresh())
        display(button)
        picture, text = self.render()
        self._picture = display(_image(picture), display_id=True)
        self._table = display(_text(text), display_id=True)

    def refresh(self) -> None:
        """Read the store again and redraw the picture and the table where they are shown."""
        if self._picture is None or self._table is None:
            self.show()
            return
        picture, text = self.render()
        self._picture.update(_image(picture))
        self._table.update(_text(text))


def _image(data: bytes | None) -> Any:
    from IPython.display import Image, Pretty

    return Image(data=data, format="png") if data else Pretty("(no picture)")


def _text(text: str) -> Any:
    from IPython.display import Pretty

    return Pretty(text)
