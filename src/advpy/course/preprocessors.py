"""nbconvert preprocessors that close gaps nbgrader 0.9 leaves open.

They are plugged into nbgrader through :mod:`advpy.course.nbgrader_settings`, so that plain
``nbgrader`` commands in ``grading/``, the Validate button and ``advpy`` all behave alike.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
_MAX_ERROR_TEXT = 300
#: What replaces the message of an error that learner code raised during a hidden test.
LEARNER_ERROR_TEXT = (
    "raised while your code ran a hidden test (its message is not shown: it could reveal the "
    "test's inputs)"
)
#: The exception names shown as they are; any other (a learner's own class, whose name it
#: chooses and could fill with what it saw) is shown as ``Exception``.
_KNOWN_ERRORS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
) | {"TimeLimitExceeded"}  # advpy.checks' own
#: Check calls whose text arguments are messages: the course's helpers (and a test cell's own
#: ``_expect_...`` helpers), ``run_in_threads`` and ``AssertionError``.
_CHECK_CALL = re.compile(r"^_*(expect\w*|run_in_threads|AssertionError)$")
#: Shortest message start that counts (a shorter text could begin anything).
_MIN_MESSAGE = 4


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


def has_hidden_tests(source: str) -> bool:
    """True for the instructor's version of a test cell that holds hidden tests."""
    return HIDDEN_BEGIN in source


def safe_error_name(name: object) -> str:
    """An exception's name as feedback may show it: a built-in exception's or a check's, else
    ``Exception`` (a learner's class name is text the learner chose)."""
    return name if isinstance(name, str) and name in _KNOWN_ERRORS else "Exception"


def learner_error_output(name: object) -> NotebookNode:
    """The error output shown for an error raised while learner code ran a hidden test: its
    type's name only, never its message."""
    from nbformat.v4 import new_output

    shown = safe_error_name(name)
    return new_output(
        "error",
        ename=shown,
        evalue=LEARNER_ERROR_TEXT,
        traceback=[f"{shown}: {LEARNER_ERROR_TEXT}"],
    )


def check_messages(sources: Iterable[str]) -> tuple[str, ...]:
    """The messages the checks of the instructor's cells ``sources`` can begin with: the texts
    (or the literal start of f-strings and sums of texts) that they pass to a checking helper
    (``expect...``, ``run_in_threads``) or to ``AssertionError``. A test cell may fail through
    a helper of another instructor cell (the setup cell's), so a notebook's are taken
    together."""
    found: set[str] = set()
    for source in sources:
        found.update(_messages_in(source))
    return tuple(sorted(found))


def _messages_in(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        if not _CHECK_CALL.match(name) and name not in _imported_checks(tree):
            continue
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            start = _literal_start(argument)
            if start is not None and len(start) >= _MIN_MESSAGE:
                found.add(start)
    return found


def _imported_checks(tree: ast.Module) -> frozenset[str]:
    """Names the cell gave the checking helpers (``from advpy.checks import expect as e``)."""
    return frozenset(
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "advpy.checks"
        for alias in node.names
        if _CHECK_CALL.match(alias.name)
    )


def _literal_start(node: ast.expr) -> str | None:
    """The text an expression certainly starts with, when it is written in the source."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        return _literal_start(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_start(node.left)
    return None


def hidden_test_error(
    output: NotebookNode, messages: tuple[str, ...], check_failure: bool = True
) -> NotebookNode:
    """The error output to show for a cell with hidden tests: ``output`` itself when it is a
    check's own failure (an ``AssertionError`` whose message begins with one of the cell's
    check ``messages``, and, when the grader could tell, raised by no learner code), else
    :func:`learner_error_output`."""
    evalue = output.get("evalue", "")
    own = (
        check_failure
        and output.get("ename") == "AssertionError"
        and isinstance(evalue, str)
        and evalue.startswith(messages)
        and bool(messages)
    )
    return output if own else learner_error_output(output.get("ename"))


class HideHiddenTestOutputs(Preprocessor):  # type: ignore[misc]
    """In feedback, show only what a grade cell with hidden tests concluded.

    Such a cell's printed output and tracebacks could show hidden inputs (a learner's function
    may print its arguments; a traceback quotes the failing line). Keep only its errors, each
    reduced to ``Name: message``: the checks' messages say what failed without hidden values.
    An error whose message is not one of the cell's own checks' (an exception the learner's
    code raised, perhaps with its arguments in the message) keeps its type's name only
    (:func:`hidden_test_error`; ``advpy grade`` also knows which errors learner code raised, and
    has already put those in this form). Must run before ``ClearHiddenTests``, which removes
    the marker it looks for.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        locked = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("locked")]
        self._messages = check_messages(locked)
        return super().preprocess(nb, resources)  # type: ignore[no-any-return]

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if _is_grade_cell(cell) and has_hidden_tests(cell.source):
            messages = getattr(self, "_messages", None) or check_messages([cell.source])
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    shown = hidden_test_error(output, messages)
                    shown.traceback = [short_error_text(shown)]
                    kept.append(shown)
            cell.outputs = kept
        return cell, resources
