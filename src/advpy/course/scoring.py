"""How one executed test cell is scored, and how scores are worded: the one place for both.

``advpy check``, ``advpy grade`` and its feedback score and describe a test cell through
:func:`score_test_cell` and :func:`report_lines`, so a learner reads the same words for the same
failure wherever it is reported. The number itself is nbgrader's own
(:func:`nbgrader.utils.determine_grade`), so these scores equal plain ``nbgrader autograde``'s:
an error or anything written to standard error scores 0, a number shown as the cell's last
value is partial credit, anything else is full marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: Why a test cell that wrote to standard error scored 0 (nbgrader counts it as a failure).
STDERR_FAILURE = "the check printed to standard error, which counts as a failure"


@dataclass(frozen=True)
class CellResult:
    """One test cell's outcome."""

    grade_id: str
    points: float
    earned: float
    error: str | None  # why it lost points ("Name: message" when it raised); None when it passed

    @property
    def passed(self) -> bool:
        return self.error is None


def is_test_cell(cell: NotebookNode) -> bool:
    """True for a graded code cell that is not an answer cell: a cell of tests."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def score_test_cell(cell: NotebookNode) -> CellResult:
    """Score one executed test cell as nbgrader does, and say why it lost points."""
    from nbgrader.utils import determine_grade

    from advpy.course.preprocessors import short_error_text

    meta = cell.metadata["nbgrader"]
    earned, points = determine_grade(cell)
    earned = float(earned or 0.0)
    outputs = cell.get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    streams = [o for o in outputs if o.get("output_type") == "stream"]
    wrote_stderr = any(o.get("name") == "stderr" for o in streams)
    reason = None
    if errors:
        reason = short_error_text(errors[0])
    elif earned < points and wrote_stderr:
        reason = STDERR_FAILURE
    elif earned < points:
        reason = f"partial credit: {earned:g} of {points:g} points"
    return CellResult(meta["grade_id"], float(points), earned, reason)


def report_lines(results: Sequence[CellResult]) -> list[str]:
    """A line per check (PASS or FAIL, points, and why it failed), then the summary line."""
    if not results:
        return []
    width = max(len(r.grade_id) for r in results)
    lines = []
    for r in results:
        mark = "PASS" if r.passed else "FAIL"
        lines.append(f"  {mark}  {r.grade_id:<{width}}  {r.earned:g}/{r.points:g} points")
        if r.error:
            lines += [f"        {line}" for line in r.error.splitlines()]
    earned = sum(r.earned for r in results)
    total = sum(r.points for r in results)
    passed = sum(r.passed for r in results)
    lines += ["", f"{passed} of {len(results)} checks passed: {earned:g}/{total:g} points"]
    return lines
