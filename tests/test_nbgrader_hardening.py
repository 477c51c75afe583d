"""Plain ``nbgrader autograde`` in ``grading/`` with the course's settings resists the tricks
nbgrader 0.9 leaves open by default: tagged test cells are not skipped, deleted test cells are
restored and run."""

from __future__ import annotations

import copy

import pytest
from grading_helpers import PS31_RIGHT as RIGHT
from nbformat import NotebookNode

from advpy.course.paths import CoursePaths
from advpy.course.scratch import (
    make_scratch_course,
    read_scores,
    run_nbgrader,
    student_notebook,
    submit,
    with_answers,
)

ASSIGNMENT = "ps31_two_sum"
WRONG = "def find_pairs(transactions, target):\n    return []\n"


def _tests(notebook: NotebookNode) -> list[NotebookNode]:
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]


def tagged(notebook: NotebookNode, tag: str) -> NotebookNode:
    hostile = copy.deepcopy(notebook)
    for cell in _tests(hostile):
        cell.metadata["tags"] = [tag]
    return hostile


def without_tests(notebook: NotebookNode) -> NotebookNode:
    hostile = copy.deepcopy(notebook)
    hostile.cells = [c for c in hostile.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return hostile


@pytest.fixture(scope="module")
def scores(paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory) -> dict:
    course = make_scratch_course(paths, [ASSIGNMENT], tmp_path_factory.mktemp("hardening"))
    blank = student_notebook(course, ASSIGNMENT)
    wrong = with_answers(blank, {"find_pairs_answer": WRONG})
    right = with_answers(blank, {"find_pairs_answer": RIGHT})
    submit(course, ASSIGNMENT, "skip_execution", tagged(wrong, "skip-execution"))
    submit(course, ASSIGNMENT, "raises_exception", tagged(wrong, "raises-exception"))
    submit(course, ASSIGNMENT, "deleted_tests_wrong", without_tests(wrong))
    submit(course, ASSIGNMENT, "deleted_tests_right", without_tests(right))
    run_nbgrader(["autograde", ASSIGNMENT, "--force"], course)
    return read_scores(course, ASSIGNMENT)


@pytest.mark.slow
@pytest.mark.parametrize("student", ["skip_execution", "raises_exception"])
def test_tagged_test_cells_still_run(scores: dict, student: str) -> None:
    cells = scores[student]
    assert cells, f"{student} was not graded"
    assert all(c.score == 0 for c in cells.values()), {g: c.score for g, c in cells.items()}


@pytest.mark.slow
def test_deleted_test_cells_are_restored_and_run(scores: dict) -> None:
    wrong = scores["deleted_tests_wrong"]
    right = scores["deleted_tests_right"]
    assert len(wrong) == len(right) == 4, "every test cell must be graded"
    assert all(c.score == 0 for c in wrong.values())
    assert all(c.score == c.max_score for c in right.values())
