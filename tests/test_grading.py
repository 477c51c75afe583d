"""Every exercise graded by real ``nbgrader autograde`` with the course's configuration.

For each exercise, one class is graded in a scratch course: the reference solution, the blank
learner version, and every answer of the corpus. Right answers must get full marks, wrong ones
must lose points (and score 0 on the cells their file names), the blank one scores 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import corpus_answers
from grading_helpers import ASSIGNMENTS, CASES, graded_class

from advpy.course.scratch import CellScore


def _describe(cells: dict[str, CellScore]) -> str:
    return ", ".join(f"{c.grade_id}={c.score:g}/{c.max_score:g}" for c in cells.values())


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solution_scores_full_marks(assignment: str, scratch_root: Path) -> None:
    cells = graded_class(assignment, scratch_root).scores["reference"]
    assert cells, "the reference submission was not graded"
    assert all(c.score == c.max_score for c in cells.values()), _describe(cells)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_version_scores_zero(assignment: str, scratch_root: Path) -> None:
    cells = graded_class(assignment, scratch_root).scores["blank"]
    assert cells, "the blank submission was not graded"
    assert all(c.score == 0 for c in cells.values()), _describe(cells)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_a_corpus(assignment: str) -> None:
    answers = corpus_answers(assignment)
    correct = [a for a in answers if a.correct]
    wrong = [a for a in answers if not a.correct]
    assert len(correct) >= 2, f"{assignment}: at least two correct alternatives are needed"
    assert len(wrong) >= 6, f"{assignment}: at least six plausible wrong answers are needed"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("assignment", "answer"), CASES, ids=[f"{a}-{answer.name}" for a, answer in CASES]
)
def test_corpus_answer_is_graded_right(assignment: str, answer, scratch_root: Path) -> None:
    cells = graded_class(assignment, scratch_root).scores[answer.name]
    assert cells, f"{answer.name} was not graded"
    total = sum(c.score for c in cells.values())
    possible = sum(c.max_score for c in cells.values())
    if answer.correct:
        assert total == possible, f"a correct answer lost points: {_describe(cells)}"
    else:
        assert total < possible, f"a wrong answer kept full marks: {_describe(cells)}"
        unknown = [g for g in answer.must_fail if g not in cells]
        assert not unknown, f"the corpus file names unknown test cells: {unknown}"
        passed = [g for g in answer.must_fail if cells[g].score > 0]
        assert not passed, f"these checks should have failed: {passed} ({_describe(cells)})"
