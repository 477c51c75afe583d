"""Every exercise graded by real ``nbgrader autograde`` with the course's configuration.

For each exercise, one class is graded in a scratch course: the reference solution, the blank
learner version, and every answer of the corpus. Right answers must get full marks, wrong ones
must lose points (and score 0 on the cells their file names), the blank one scores 0.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from corpus import corpus_answers

from advpy.build import exercise_masters
from advpy.grade.course import (
    CellScore,
    make_scratch_course,
    read_scores,
    solution_cell_ids,
    student_notebook,
    submit,
    with_answers,
)
from advpy.nbgrader_runner import run_nbgrader
from advpy.paths import course_paths

PATHS = course_paths()
ASSIGNMENTS = [m.stem for m in exercise_masters(PATHS)]
CASES = [(a, answer) for a in ASSIGNMENTS for answer in corpus_answers(a)]


def source_answers(assignment: str) -> dict[str, str]:
    """The reference solution's answer cells, from the instructor's source notebook."""
    import nbformat

    source = nbformat.read(PATHS.source / assignment / f"{assignment}.ipynb", as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


@cache
def graded_class(assignment: str, scratch_root: Path) -> dict[str, dict[str, CellScore]]:
    """Grade the reference, the blank version and the corpus of ``assignment`` in one batch."""
    course = make_scratch_course(PATHS, [assignment], scratch_root / assignment)
    blank = student_notebook(course, assignment)
    answer_ids = solution_cell_ids(blank)
    submit(course, assignment, "reference", with_answers(blank, source_answers(assignment)))
    submit(course, assignment, "blank", blank)
    for answer in corpus_answers(assignment):
        code = answer.code if "" not in answer.code else {answer_ids[0]: answer.code[""]}
        submit(course, assignment, answer.name, with_answers(blank, code))
    run_nbgrader(["autograde", assignment, "--force"], course)
    return read_scores(course, assignment)


@pytest.fixture(scope="session")
def scratch_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("graded")


def _describe(cells: dict[str, CellScore]) -> str:
    return ", ".join(f"{c.grade_id}={c.score:g}/{c.max_score:g}" for c in cells.values())


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solution_scores_full_marks(assignment: str, scratch_root: Path) -> None:
    cells = graded_class(assignment, scratch_root)["reference"]
    assert cells, "the reference submission was not graded"
    assert all(c.score == c.max_score for c in cells.values()), _describe(cells)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_version_scores_zero(assignment: str, scratch_root: Path) -> None:
    cells = graded_class(assignment, scratch_root)["blank"]
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
    cells = graded_class(assignment, scratch_root)[answer.name]
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
