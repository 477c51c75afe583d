"""The website's pages, in course order, and the words the website adds to them.

Pages keep the paths they have in the repository (``notebooks/01_gil.ipynb`` becomes
``notebooks/01_gil.html``), so the links between notebooks, and from a lesson to the answers of
its "Try it" cells in ``solutions/tryit/``, work on the website as they do in JupyterLab. The
order is the course map's (:mod:`advpy.start_here.course_map`): the start-here notebook, then
each part's lessons, each followed by its graded sets, then the answers to the "Try it" cells.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from advpy.course.paths import CoursePaths
from advpy.start_here.course_map import course_map, short_title

Kind = Literal["start", "lesson", "set", "answers"]
START_HERE = "00_start_here"
TITLE = "advpy: advanced Python, backend development and system design"


@dataclass(frozen=True)
class Page:
    """One page of the website: a lesson, a graded set, the start page or a lesson's answers."""

    kind: Kind
    name: str  # 01_gil, ps01_gil, or (for answers) the lesson's 01_gil
    source: Path  # relative to the course root
    title: str

    @property
    def docname(self) -> str:
        """The page's Sphinx name: its path without the suffix."""
        return self.source.with_suffix("").as_posix()


@dataclass(frozen=True)
class Section:
    """A caption of the table of contents and the pages under it."""

    caption: str
    pages: list[Page]


def sections(paths: CoursePaths, only: set[str] | None = None) -> list[Section]:
    """The website's table of contents in course order. ``only`` keeps the lessons and sets
    named (``01_gil``, ``ps31_two_sum``), with the answers of the lessons kept; the start page
    is kept when ``00_start_here`` is named."""

    def wanted(name: str) -> bool:
        return only is None or name in only

    found: list[Section] = []
    start = paths.notebooks / f"{START_HERE}.ipynb"
    if start.exists() and wanted(START_HERE):
        page = Page("start", START_HERE, start.relative_to(paths.root), "Start here")
        found.append(Section("Start", [page]))
    answers: list[Page] = []
    tryit = paths.solutions / "tryit" / f"{START_HERE}.md"
    if found and tryit.exists():
        relative = tryit.relative_to(paths.root)
        answers.append(Page("answers", START_HERE, relative, "Start here: answers"))
    for part in course_map(paths):
        pages: list[Page] = []
        for lesson, graded in part.rows:
            if lesson is not None and lesson.written and lesson.slug and wanted(lesson.slug):
                notebook = paths.notebooks / f"{lesson.slug}.ipynb"
                title = short_title(lesson.title or lesson.slug)
                pages.append(Page("lesson", lesson.slug, notebook.relative_to(paths.root), title))
                tryit = paths.solutions / "tryit" / f"{lesson.slug}.md"
                if tryit.exists():
                    relative = tryit.relative_to(paths.root)
                    answers.append(Page("answers", lesson.slug, relative, f"{title}: answers"))
            for graded_set in graded:
                notebook = paths.exercises / f"{graded_set.name}.ipynb"
                if notebook.exists() and wanted(graded_set.name):
                    relative = notebook.relative_to(paths.root)
                    pages.append(Page("set", graded_set.name, relative, graded_set.name))
        if pages:
            found.append(Section(part.title, pages))
    if answers:
        found.append(Section("Answers to the Try it cells", answers))
    return found


def coming(paths: CoursePaths) -> list[tuple[str, list[str]]]:
    """Each part's lessons not written yet, as ``NN · planned topic``, in course order."""
    found = []
    for part in course_map(paths):
        topics = [
            f"{lesson.number:02d} · {lesson.topic}"
            for lesson, _ in part.rows
            if lesson is not None and not lesson.written
        ]
        if topics:
            found.append((part.title, topics))
    return found


def _link(page: Page, text: str) -> str:
    return f"[{text}]({page.source.as_posix()})"


def index_markdown(
    parts: list[Section], fast: bool, planned: list[tuple[str, list[str]]] | None = None
) -> str:
    """The website's home page: what the course is, how this site was made, the map in course
    order with a link to every page, the lessons still to come (``planned``, by part), and the
    (hidden) tables of contents for the side bar."""
    mode = "in fast mode (smaller inputs, the same code)" if fast else "with full-size inputs"
    lines = [
        f"# {TITLE}",
        "",
        "An open course in notebooks for people preparing for backend interviews or deepening "
        "their Python: the GIL, memory management, generators and async, then the rest of the "
        "language and the backend and system-design topics around it.",
        "",
        f"Every lesson on this site was run top to bottom when the site was built, {mode}: "
        "the plots, tables and printed measurements come from the machine that built it. "
        "Interactive panels are shown as still snapshots. The graded sets are shown as a "
        "learner gets them: the answer cells hold a stub, and the hidden tests are not here.",
        "",
        "To run the notebooks, measure your own machine and grade yourself, clone the course "
        "and run `make lab`: JupyterLab opens on `notebooks/`. Each page here names its "
        "notebook.",
        "",
        "## The course",
        "",
    ]
    for section in parts:
        lines += [f"**{section.caption}**", ""]
        for page in section.pages:
            if page.kind == "set":
                lines.append(f"  - graded: {_link(page, page.name)}")
            else:
                lines.append(f"- {_link(page, page.title)}")
        lines.append("")
    if planned:
        lines += ["## Still to come", ""]
        for title, topics in planned:
            lines += [f"**{title}**", ""] + [f"- {topic}" for topic in topics] + [""]
    for section in parts:
        lines += ["```{toctree}", ":hidden:", f":caption: {section.caption}", ""]
        lines += [page.docname for page in section.pages]
        lines += ["```", ""]
    return "\n".join(lines).rstrip() + "\n"


def banner_html(page: Page) -> str:
    """The note at the top of a page that says where its notebook is and how to open it."""
    path = page.source.as_posix()
    in_lab = page.source.relative_to("notebooks").as_posix() if page.kind != "answers" else ""
    code = f"<code>{html.escape(path)}</code>"
    lab = "<code>make lab</code>"
    if page.kind == "answers":
        lesson = f"<code>notebooks/{html.escape(page.name)}.ipynb</code>"
        text = (
            f"Answers to the <em>Try it</em> cells of {lesson}; in the repository: {code}. "
            "Try each one yourself before you read its answer."
        )
    elif page.kind == "set":
        check = f"<code>.venv/bin/advpy check {html.escape(path)}</code>"
        text = (
            f"<strong>Open in JupyterLab:</strong> in a clone of the course, run {lab} and "
            f"open <code>{html.escape(in_lab)}</code> ({code} in the repository). Write your "
            f"answers there, then press <em>Validate</em> or run {check}. This page is the "
            "learner's version: no solutions, and the hidden tests only the instructor's "
            "grading runs are not shown."
        )
    else:
        text = (
            f"<strong>Open in JupyterLab:</strong> in a clone of the course, run {lab} and "
            f"open <code>{html.escape(in_lab)}</code> ({code} in the repository) to run it and "
            "measure your own machine. The outputs below were recorded when this site was built."
        )
    return f'<div class="advpy-open-in-lab admonition note"><p>{text}</p></div>'
