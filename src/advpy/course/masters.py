"""Text masters -> notebooks.

A master is a jupytext percent-format ``.py`` file. nbgrader cells are marked on their ``# %%``
line in a short form that :func:`expand_nbgrader` turns into nbgrader's metadata::

    # %% nbgrader="locked" grade_id="setup"                  provided code, read-only
    # %% nbgrader="solution" grade_id="find_pairs_answer"    the learner's answer cell
    # %% nbgrader="tests" grade_id="find_pairs_tests_examples" points=2    an autograded cell
    # %% [markdown] nbgrader="task" grade_id="design_task" points=3       graded by hand

Everything else about a cell (tags, collapsed hints) passes through unchanged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from nbformat import NotebookNode

SCHEMA_VERSION = 3
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_SHORT_KEYS = ("nbgrader", "grade_id", "points")
#: Cell metadata jupytext adds to keep the text layout; it means nothing in a notebook.
_JUPYTEXT_KEYS = ("lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker")
_KINDS = {
    # kind: (grade, solution, locked, task)
    "locked": (False, False, True, False),
    "solution": (False, True, False, False),
    "tests": (True, False, True, False),
    "manual": (True, True, False, False),
    "task": (False, False, True, True),
}


class MasterError(ValueError):
    """A master file that cannot be turned into a notebook; the message says where and why."""


def expand_nbgrader(metadata: dict[str, Any], where: str) -> dict[str, Any] | None:
    """nbgrader's cell metadata for a cell's short form, or ``None`` for a plain cell."""
    kind = metadata.get("nbgrader")
    if kind is None:
        stray = [k for k in ("grade_id", "points") if k in metadata]
        if stray:
            raise MasterError(f'{where}: {", ".join(stray)} given without nbgrader="..."')
        return None
    if kind not in _KINDS:
        raise MasterError(f"{where}: nbgrader={kind!r}; expected one of {', '.join(_KINDS)}")
    grade_id = metadata.get("grade_id")
    if not isinstance(grade_id, str) or not grade_id:
        raise MasterError(f'{where}: an nbgrader cell needs grade_id="..."')
    grade, solution, locked, task = _KINDS[kind]
    expanded: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": task,
    }
    points = metadata.get("points")
    if grade or task:
        if not isinstance(points, int) or isinstance(points, bool) or points < 0:
            raise MasterError(f"{where}: a graded cell needs points=N (a whole number)")
        expanded["points"] = points
    elif points is not None:
        raise MasterError(f"{where}: points= only goes on tests, manual and task cells")
    return expanded


def _cell_id(stem: str, index: int, cell: NotebookNode) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    if grade_id:
        return grade_id[:64]
    digest = hashlib.sha1(f"{stem}:{index}".encode()).hexdigest()[:8]
    return f"c{index:03d}-{digest}"


def read_master(path: Path) -> NotebookNode:
    """The notebook a master describes: no outputs, course kernel, nbgrader metadata expanded."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MasterError(f"{path}: cannot read the master ({error})") from error
    parsed = jupytext.reads(text, fmt="py:percent")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = NotebookNode(
        {
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python", "pygments_lexer": "ipython3"},
        }
    )
    for index, source_cell in enumerate(parsed.cells):
        where = f"{path.name}, cell {index + 1}"
        metadata = dict(source_cell.metadata)
        nbgrader_metadata = expand_nbgrader(metadata, where)
        for key in _SHORT_KEYS + _JUPYTEXT_KEYS:
            metadata.pop(key, None)
        if nbgrader_metadata is not None:
            metadata["nbgrader"] = nbgrader_metadata
        if source_cell.cell_type == "code":
            cell = nbformat.v4.new_code_cell(source_cell.source, metadata=metadata)
        elif source_cell.cell_type == "markdown":
            cell = nbformat.v4.new_markdown_cell(source_cell.source, metadata=metadata)
        else:
            cell = nbformat.v4.new_raw_cell(source_cell.source, metadata=metadata)
        cell.id = _cell_id(path.stem, index, cell)
        notebook.cells.append(cell)
    _check_unique_ids(notebook, path)
    return notebook


def _check_unique_ids(notebook: NotebookNode, path: Path) -> None:
    seen: set[str] = set()
    for cell in notebook.cells:
        if cell.id in seen:
            raise MasterError(f"{path.name}: grade_id {cell.id!r} is used twice")
        seen.add(cell.id)


def notebook_text(notebook: NotebookNode) -> str:
    """The notebook as committed: validated, outputs cleared, stable JSON, final newline."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"
