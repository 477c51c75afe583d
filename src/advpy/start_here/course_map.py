"""The course map: every lesson and graded set that exists, in course order, with its title.

Lessons are the masters ``notebooks/NN_slug.py`` and graded sets the masters
``solutions/psNN_slug.py`` (or, in a copy of the course without solutions, the learner notebooks
``notebooks/exercises/psNN_slug.ipynb``); the number orders them. A title is the first heading
of the file; a lesson not written yet is shown as coming, with its topic from
:mod:`~advpy.start_here.outline`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from advpy.course.paths import (
    EXERCISE_PATTERN,
    CoursePaths,
    course_paths,
    exercise_masters,
    lesson_masters,
)
from advpy.start_here.outline import PARTS, PLANNED

_MASTER_HEADING = re.compile(r"^# # (.+?)\s*$", re.M)
_MASTER_POINTS = re.compile(r"^# %%.*\bnbgrader=\S+.*\bpoints=(\d+)", re.M)
_NUMBER_PREFIX = re.compile(r"^(?:ps)?\d+\s*·\s*")


@dataclass(frozen=True)
class GradedSet:
    """A graded exercise set: ``ps31_two_sum``, its title and points."""

    name: str
    title: str
    points: int | None  # None when they cannot be read (a half-written master)

    @property
    def number(self) -> int:
        return int(self.name[2:4])

    @property
    def notebook(self) -> str:
        """The learner's notebook, relative to ``notebooks/``."""
        return f"exercises/{self.name}.ipynb"


@dataclass(frozen=True)
class Lesson:
    """A lesson: written (it has a title) or coming (only its planned topic)."""

    number: int
    slug: str | None
    title: str | None
    topic: str = ""

    @property
    def written(self) -> bool:
        return self.title is not None

    @property
    def notebook(self) -> str | None:
        """The lesson's notebook, relative to ``notebooks/``."""
        return f"{self.slug}.ipynb" if self.slug else None


@dataclass
class Part:
    """One part of the course: its title, then (lesson or None, graded sets) per number."""

    title: str
    rows: list[tuple[Lesson | None, list[GradedSet]]] = field(default_factory=list)


def first_heading(path: Path) -> str | None:
    """The text of the first level-1 heading of a master (``.py``) or notebook (``.ipynb``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(text).get("cells", [])
        except (json.JSONDecodeError, AttributeError):
            return None
        for cell in cells:
            if cell.get("cell_type") == "markdown":
                source = "".join(cell.get("source", []))
                found = re.search(r"^# (.+?)\s*$", source, re.M)
                if found:
                    return found.group(1)
        return None
    found = _MASTER_HEADING.search(text)
    return found.group(1) if found else None


def set_points(path: Path) -> int | None:
    """The points a graded set is worth, from its master or its learner notebook."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix != ".ipynb":
        found = [int(p) for p in _MASTER_POINTS.findall(text)]
        return sum(found) if found else None
    try:
        cells = json.loads(text).get("cells", [])
    except (json.JSONDecodeError, AttributeError):
        return None
    points = [c.get("metadata", {}).get("nbgrader", {}).get("points") for c in cells]
    found = [int(p) for p in points if isinstance(p, int | float)]
    return sum(found) if found else None


def short_title(title: str) -> str:
    """A title without its leading number: ``The GIL`` for ``01 · The GIL``."""
    return _NUMBER_PREFIX.sub("", title)


def graded_sets(paths: CoursePaths) -> list[GradedSet]:
    """Every graded set of the course, in course order."""
    sources = {m.stem: m for m in exercise_masters(paths)}
    for notebook in sorted(paths.exercises.glob("ps*.ipynb")):
        if EXERCISE_PATTERN.match(notebook.stem):
            sources.setdefault(notebook.stem, notebook)
    return [
        GradedSet(name, first_heading(path) or name, set_points(path))
        for name, path in sorted(sources.items())
    ]


def lessons(paths: CoursePaths) -> list[Lesson]:
    """Every written lesson, in course order (this notebook, number 00, left out)."""
    found = []
    for master in lesson_masters(paths):
        number = int(master.stem[:2])
        if number:
            title = first_heading(master) or master.stem
            found.append(Lesson(number, master.stem, title, PLANNED.get(number, "")))
    return found


def course_map(paths: CoursePaths) -> list[Part]:
    """The course's parts in order, each with its lessons (written or coming) and graded sets.

    Lessons and sets whose number no part holds go to a last part, "More".
    """
    written: dict[int, list[Lesson]] = {}
    for lesson in lessons(paths):
        written.setdefault(lesson.number, []).append(lesson)
    sets: dict[int, list[GradedSet]] = {}
    for graded in graded_sets(paths):
        sets.setdefault(graded.number, []).append(graded)
    parts = []
    placed: set[int] = set()
    for title, numbers in PARTS:
        part = Part(title)
        for number in numbers:
            placed.add(number)
            planned = [Lesson(number, None, None, PLANNED[number])] if number in PLANNED else []
            for lesson in written.get(number) or planned:
                part.rows.append((lesson, sets.get(number, [])))
            if number not in written and number not in PLANNED and number in sets:
                part.rows.append((None, sets[number]))
        parts.append(part)
    more = Part("More")
    for number in sorted((set(written) | set(sets)) - placed):
        found: list[Lesson | None] = [*written.get(number, [])] or [None]
        for extra in found:
            more.rows.append((extra, sets.get(number, [])))
    if more.rows:
        parts.append(more)
    return parts


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _set_link(graded: GradedSet) -> str:
    points = f" · {graded.points} points" if graded.points is not None else ""
    title = _cell(short_title(graded.title))
    title = re.sub(r"\s*\(\d+ points?\)$", "", title)
    return f"[{graded.name}]({graded.notebook}): {title}{points}"


def course_map_markdown(paths: CoursePaths | None = None) -> str:
    """The course map as Markdown tables with links to each notebook (from ``notebooks/``);
    ``paths`` defaults to this course."""
    paths = paths if paths is not None else course_paths()
    lines: list[str] = []
    for part in course_map(paths):
        lines += [f"**{part.title}**", ""]
        if not part.rows:
            lines += ["*(coming)*", ""]
            continue
        with_lessons = any(lesson is not None for lesson, _ in part.rows)
        if with_lessons:
            lines += ["| | lesson | graded set |", "|---|---|---|"]
        else:
            lines += ["| | graded set |", "|---|---|"]
        for lesson, sets in part.rows:
            number = f"{lesson.number:02d}" if lesson else f"{sets[0].number:02d}"
            if lesson is None:
                what = ""
            elif lesson.written and lesson.title is not None:
                what = f"[{_cell(short_title(lesson.title))}]({lesson.notebook})"
            else:
                what = f"*coming:* {_cell(lesson.topic)}"
            graded = "<br>".join(_set_link(s) for s in sets)
            cells = [number, what, graded] if with_lessons else [number, graded]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
