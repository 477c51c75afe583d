"""nbconvert preprocessors that close gaps nbgrader 0.9 leaves open.

They are plugged into nbgrader through :mod:`advpy.course.nbgrader_settings`, so that plain
``nbgrader`` commands in ``grading/``, the Validate button and ``advpy`` all behave alike.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
_MAX_ERROR_TEXT = 300


class StripCellTags(Preprocessor):  # type: ignore[misc]
    """Remove every cell tag before the notebook runs.

    nbclient skips cells tagged ``skip-execution`` and tolerates errors in cells tagged
    ``raises-exception``; a learner could tag the test cells and have them skipped. Tags carry no
    meaning for grading, so none survive to execution.
    """

    # nbconvert preprocessors are off unless enabled; this one always runs where it is listed.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        cell.metadata.pop("tags", None)
        return cell, resources


def _is_grade_cell(cell: NotebookNode) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade")) and cell.cell_type == "code"


def short_error_text(output: NotebookNode) -> str:
    """``Name: message`` for an error output, without the traceback."""
    text = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
    return text if len(text) <= _MAX_ERROR_TEXT else text[: _MAX_ERROR_TEXT - 3] + "..."


class HideHiddenTestOutputs(Preprocessor):  # type: ignore[misc]
    """In feedback, show only what a grade cell with hidden tests concluded.

    Such a cell's printed output and tracebacks could show hidden inputs (a learner's function
    may print its arguments; a traceback quotes the failing line). Keep only its errors, each
    reduced to ``Name: message``: the checks' messages say what failed without hidden values.
    Must run before ``ClearHiddenTests``, which removes the marker it looks for.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if _is_grade_cell(cell) and HIDDEN_BEGIN in cell.source:
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output.traceback = [short_error_text(output)]
                    kept.append(output)
            cell.outputs = kept
        return cell, resources
