"""Grading a whole exercise's class (reference, blank version, corpus) once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
from corpus import corpus_answers

from advpy.course.build import exercise_masters
from advpy.course.paths import course_paths
from advpy.course.scratch import (
    CellScore,
    make_scratch_course,
    read_scores,
    run_nbgrader,
    solution_cell_ids,
    student_notebook,
    submit,
    with_answers,
)

PATHS = course_paths()

#: A right answer to ps31_two_sum, written apart from the reference, for tests that need one.
PS31_RIGHT = (
    "def find_pairs(transactions, target):\n"
    "    seen, out = set(), []\n"
    "    for n in transactions:\n"
    "        if target - n in seen:\n"
    "            out.append((target - n, n))\n"
    "        seen.add(n)\n"
    "    return out\n"
)
ASSIGNMENTS = [m.stem for m in exercise_masters(PATHS)]
CASES = [(a, answer) for a in ASSIGNMENTS for answer in corpus_answers(a)]


def source_answers(assignment: str) -> dict[str, str]:
    """The reference solution's answer cells, from the instructor's source notebook."""
    source = nbformat.read(PATHS.source / assignment / f"{assignment}.ipynb", as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


@dataclass(frozen=True)
class GradedClass:
    """A scratch course after ``nbgrader autograde``, and its scores by student and cell."""

    course: Path
    scores: dict[str, dict[str, CellScore]]


@cache
def graded_class(assignment: str, scratch_root: Path) -> GradedClass:
    """Grade the reference, the blank version and the corpus of ``assignment`` in one batch."""
    course = make_scratch_course(PATHS, [assignment], scratch_root / assignment)
    blank = student_notebook(course, assignment)
    answer_ids = solution_cell_ids(blank)
    reference = source_answers(assignment)
    submit(course, assignment, "reference", with_answers(blank, reference))
    submit(course, assignment, "blank", blank)
    for answer in corpus_answers(assignment):
        code = answer.cells(answer_ids, reference)
        submit(course, assignment, answer.name, with_answers(blank, code))
    run_nbgrader(["autograde", assignment, "--force"], course)
    return GradedClass(course, read_scores(course, assignment))
