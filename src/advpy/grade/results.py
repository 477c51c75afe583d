"""What grading one submission gave, in plain data: per notebook, per check.

These records are what the journal stores, and what feedback and reports are written from, so
a resumed run can write them again without running anything.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass, field
from typing import Any

from advpy.course.scoring import CellResult
from advpy.grade.protocol import NotebookStatus


@dataclass(frozen=True)
class CheckOutcome:
    """One test cell of one submission."""

    grade_id: str
    points: float
    earned: float
    error: str | None  # "Name: message" (the test's own words) when it failed
    what: str  # the test cell's first docstring line: what it checks

    @classmethod
    def from_cell_result(cls, result: CellResult, what: str) -> CheckOutcome:
        """The outcome of a scored test cell (:func:`advpy.course.scoring.score_test_cell`)."""
        return cls(result.grade_id, result.points, result.earned, result.error, what)

    def as_cell_result(self) -> CellResult:
        """The same outcome in the form ``advpy check`` reports."""
        return CellResult(self.grade_id, self.points, self.earned, self.error)


@dataclass
class NotebookOutcome:
    """One notebook of one submission."""

    name: str
    status: NotebookStatus
    detail: str = ""
    checks: list[CheckOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Seconds spent running its cells, by kind ("answers": the learner's cells, "tests": the
    #: test cells, "other": the instructor's other cells); the rest of ``seconds`` is the
    #: grader's own work on the notebook. For the timing breakdown only.
    cell_seconds: dict[str, float] = field(default_factory=dict)
    #: CPU seconds the test cells used (see :attr:`advpy.grade.protocol.CellRecord.cpu`).
    test_cpu: float = 0.0

    @property
    def ran(self) -> bool:
        return self.status == NotebookStatus.OK


@dataclass
class SubmissionOutcome:
    """One student's submission of an assignment."""

    student: str
    fingerprint: str
    notebooks: list[NotebookOutcome]
    flags: list[str] = field(default_factory=list)
    graded_at: str = ""

    @property
    def score(self) -> float:
        return sum(c.earned for n in self.notebooks for c in n.checks)

    @property
    def max_score(self) -> float:
        return sum(c.points for n in self.notebooks for c in n.checks)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubmissionOutcome:
        """The outcome a journal line holds; :class:`TypeError` or :class:`ValueError` for a
        line that is not one (damaged, or written by hand), so it is never half-trusted."""
        notebooks = [
            NotebookOutcome(
                _typed(n["name"], str),
                NotebookStatus(n["status"]),  # a plain string in the journal
                _typed(n.get("detail", ""), str),
                [_check_from_json(c) for c in _typed(n.get("checks", []), list)],
                _texts(n.get("notes", [])),
                float(_typed(n.get("seconds", 0.0), (int, float))),
                {
                    _typed(kind, str): float(_typed(seconds, (int, float)))
                    for kind, seconds in _typed(n.get("cell_seconds", {}), dict).items()
                },
                float(_typed(n.get("test_cpu", 0.0), (int, float))),
            )
            for n in _typed(data["notebooks"], list)
        ]
        return cls(
            _typed(data["student"], str),
            _typed(data["fingerprint"], str),
            notebooks,
            _texts(data.get("flags", [])),
            _typed(data.get("graded_at", ""), str),
        )


def _typed(value: Any, kind: type | tuple[type, ...]) -> Any:
    """``value`` if it is of ``kind`` (a bool is not a number here), else :class:`TypeError`."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise TypeError(f"a journal field is {type(value).__name__}")
    return value


def _texts(values: Any) -> list[str]:
    return [_typed(v, str) for v in _typed(values, list)]


def _check_from_json(data: Any) -> CheckOutcome:
    number = (int, float)
    error = _typed(data["error"], str) if data.get("error") is not None else None
    return CheckOutcome(
        _typed(data["grade_id"], str),
        float(_typed(data["points"], number)),
        float(_typed(data["earned"], number)),
        error,
        _typed(data.get("what", ""), str),
    )


def what_is_checked(source: str) -> str:
    """The first line of a test cell's docstring (its visible summary), or ``""``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    docstring = ast.get_docstring(tree) or ""
    return docstring.strip().splitlines()[0] if docstring.strip() else ""
