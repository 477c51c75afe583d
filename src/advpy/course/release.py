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

import json
import re
from dataclasses import dataclass

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


# ---------------------------------------------------------------------------------------------
# Any file, not only a notebook: the learner-only release (``advpy release``) scans every file
# of its bundle with these.

#: nbgrader's markers as they stand in a cell or a master (hashes, then BEGIN SOLUTION): in a file
#: that is not a notebook the bare words may be code that handles them (this module); the
#: commented marker is a region that was copied.
_COMMENTED_MARKER = re.compile(r"#{2,}[ \t]*(?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)")
#: An import is never an answer by itself, however long.
_IMPORT = re.compile(r"^(?:from\s+\S+\s+)?import\s")
#: Outside a graded set's own notebook, a region counts as shown when a file shows this many of
#: its lines (or all of them, when it has fewer): a lesson may share a line or two with an
#: answer (a signature, a loop header) while teaching the idea; a copied region shows more.
RUN = 3


@dataclass(frozen=True)
class Secret:
    """One solution or hidden-test region (or one answer) a learner must not see: where it
    comes from, and its substantial lines that nothing public shows, white space made one
    space."""

    origin: str
    lines: tuple[str, ...]

    def shown_in(self, flat_text: str, strict: bool) -> list[str]:
        """The lines of this region that ``flat_text`` shows, when they count as a leak: any
        one of them if ``strict``, else at least :data:`RUN` (or all, if it has fewer)."""
        shown = [line for line in self.lines if line in flat_text]
        return shown if shown and (strict or len(shown) >= min(RUN, len(self.lines))) else []


def secret_regions(instructor: NotebookNode, name: str) -> list[Secret]:
    """Each solution and hidden-test region of the instructor's version of set ``name``, with
    its substantial lines that the instructor's version does not also show outside the regions
    (imports left out)."""
    public = _flat(public_text(instructor))
    regions = []
    for cell in instructor.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
        for region in _REGION.findall(cell.source):
            lines = [_flat(ln) for ln in region.splitlines() if len(ln.strip()) > SUBSTANTIAL]
            lines = [ln for ln in lines if ln not in public and not _IMPORT.match(ln)]
            if lines:
                regions.append(Secret(f"{name}, cell {grade_id}", tuple(dict.fromkeys(lines))))
    return regions


def answer_secret(text: str, origin: str, public: str) -> Secret | None:
    """A whole answer (a corpus file) as one secret: its substantial lines that ``public``
    (flattened) does not show, comments and imports left out; None when nothing is left."""
    lines = [_flat(ln) for ln in text.splitlines() if len(ln.strip()) > SUBSTANTIAL]
    lines = [ln for ln in lines if ln not in public and not ln.startswith("#")]
    lines = [ln for ln in lines if not _IMPORT.match(ln)]
    return Secret(origin, tuple(dict.fromkeys(lines))) if lines else None


def notebook_text(raw: str) -> str | None:
    """A notebook file's cells and outputs as plain text (what its JSON escapes), or None when
    ``raw`` is not a notebook."""
    try:
        document = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        return None
    parts: list[str] = []

    def text(value: object) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            for item in value:
                text(item)
        elif isinstance(value, dict):
            for item in value.values():
                text(item)

    for cell in document["cells"]:
        if isinstance(cell, dict):
            text(cell.get("source", ""))
            text(cell.get("outputs", []))
    return "\n".join(parts)


def file_leaks(name: str, data: bytes, secrets: list[Secret], strict: bool = False) -> list[str]:
    """What of the solutions and hidden tests the file ``name`` with contents ``data`` shows:
    nbgrader's markers, then each region shown (see :meth:`Secret.shown_in`; ``strict`` for a
    graded set's own notebook, where one line is a leak), as ``'line' (origin)``. A notebook
    is read as its cells and outputs, any other file as text (undecodable bytes replaced)."""
    raw = data.decode("utf-8", errors="replace")
    cells = notebook_text(raw) if name.endswith(".ipynb") else None
    if cells is not None:
        found = [f"nbgrader marker {m!r}" for m in MARKERS if m in cells]
        text = cells
    else:
        found = [f"nbgrader marker {m.group(0)!r}" for m in _COMMENTED_MARKER.finditer(raw)]
        text = raw
    shown = _flat(text)
    for secret in secrets:
        found += [f"{line!r} ({secret.origin})" for line in secret.shown_in(shown, strict)]
    return found
