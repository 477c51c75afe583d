"""What a learner's version of a graded set may not hold: the leak scan.

The learner's notebook (``notebooks/exercises/psNN_slug.ipynb``, made by ``nbgrader
generate_assignment``) must hold neither nbgrader's region markers nor any substantial line of
a reference solution or a hidden test of the instructor's version
(``grading/source/psNN_slug/psNN_slug.ipynb``). A line that the instructor's version also shows
outside those regions (an expected value in the visible tests, a hint quoting a signature) is
public and does not count. Text is compared with runs of white space made one space, so a line
is found wherever it is shown: in a notebook's cells, or on a web page made from them.

The structure tests scan every learner notebook with it, and the course's website refuses to
publish a set that fails it.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

#: nbgrader's markers around a reference solution and around hidden tests.
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
#: Lines of a solution or hidden test shorter than this are too common to count as a leak
#: (``return result``, ``assert ok``).
SUBSTANTIAL = 30
_REGION = re.compile(r"BEGIN (?:HIDDEN TESTS|SOLUTION)(.*?)### END (?:HIDDEN TESTS|SOLUTION)", re.S)


def _flat(text: str) -> str:
    return " ".join(text.split())


def hidden_and_solution_lines(instructor: NotebookNode) -> list[str]:
    """The substantial lines of every solution and hidden-test region of the instructor's
    version of a set, stripped."""
    lines = []
    for cell in instructor.cells:
        for region in _REGION.findall(cell.source):
            lines += [ln.strip() for ln in region.splitlines() if len(ln.strip()) > SUBSTANTIAL]
    return lines


def public_text(instructor: NotebookNode) -> str:
    """What the instructor's version shows outside its solution and hidden-test regions."""
    return "\n".join(_REGION.sub("", cell.source) for cell in instructor.cells)


def secret_lines(instructor: NotebookNode) -> list[str]:
    """The solution and hidden-test lines a learner must not see: those the instructor's
    version does not also show outside the regions."""
    public = _flat(public_text(instructor))
    return [ln for ln in hidden_and_solution_lines(instructor) if _flat(ln) not in public]


def notebook_sources(notebook: NotebookNode) -> str:
    """Every cell's source of a notebook, one after the other (what its JSON escapes)."""
    return "\n".join(cell.source for cell in notebook.cells)


def leaks(learner_text: str, instructor: NotebookNode | None) -> list[str]:
    """What of the solutions and hidden tests appears in ``learner_text`` (a learner
    notebook's cells, or the text of a page made from it): nbgrader's markers, then the
    instructor's secret lines. Without the instructor's version only the markers can be
    looked for."""
    found = [marker for marker in MARKERS if marker in learner_text]
    if instructor is not None:
        shown = _flat(learner_text)
        found += [ln for ln in secret_lines(instructor) if _flat(ln) in shown]
    return found
