"""Grading a whole exercise's class (reference, blank version, corpus, a sample of mutants)
once per test session.

The corpus of every exercise is graded by ``advpy grade`` (sandboxed, warm parallel workers), the
grader an instructor runs, together with one mutant of each answer cell of the reference (what
``advpy audit`` grades, sampled: ``test_audit.py``). Plain ``nbgrader autograde`` grades a sample
of each corpus so that the two can be compared cell by cell (``test_grade_agreement.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
from corpus import CorpusAnswer, corpus_answers

from advpy.audit.runner import Submission, mutant_submissions
from advpy.course.paths import course_paths, exercise_masters
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
from advpy.grade.runner import GradeOptions, grade_assignment

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
#: Words of the growth-rate checks' failure messages (ps35 words its own): the one difference
#: a loaded machine may cause between two gradings, tolerated only with such a message.
TIMING = ("grows too fast", "grows much too fast", "is too slow", "slows down when")
CASES = [(a, answer) for a in ASSIGNMENTS for answer in corpus_answers(a)]


def source_answers(assignment: str) -> dict[str, str]:
    """The reference solution's answer cells, from the instructor's source notebook."""
    source = nbformat.read(PATHS.source / assignment / f"{assignment}.ipynb", as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def error_text(course: Path, assignment: str, student: str, grade_id: str) -> str:
    """What a graded cell's error said, in the course's autograded notebook."""
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    if not path.exists():
        return ""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return " ".join(o.get("evalue", "") for o in cell.get("outputs", []))
    return ""


@dataclass(frozen=True)
class GradedClass:
    """A scratch course after grading, and its scores by student and cell."""

    course: Path
    scores: dict[str, dict[str, CellScore]]


def sampled_mutants(assignment: str) -> list[Submission]:
    """One mutant of each answer cell of the reference (the one ``advpy audit`` picks with seed
    0), the other cells keeping the reference; each is submitted under its own name."""
    return mutant_submissions(source_answers(assignment), limit=1, seed=0)


def class_course(
    assignment: str,
    folder: Path,
    answers: list[CorpusAnswer],
    mutants: list[Submission] = [],  # noqa: B006 - never changed
    *,
    with_blank: bool = True,
) -> Path:
    """A scratch course holding the reference, the blank version (unless ``with_blank`` is
    false), ``answers`` and ``mutants`` as submissions (each under its own name)."""
    course = make_scratch_course(PATHS, [assignment], folder)
    blank = student_notebook(course, assignment)
    answer_ids = solution_cell_ids(blank)
    reference = source_answers(assignment)
    submit(course, assignment, "reference", with_answers(blank, reference))
    if with_blank:
        submit(course, assignment, "blank", blank)
    for answer in answers:
        submit(
            course,
            assignment,
            answer.name,
            with_answers(blank, answer.cells(answer_ids, reference)),
        )
    for mutant in mutants:
        submit(course, assignment, mutant.student, with_answers(blank, mutant.cells))
    return course


@cache
def graded_class(assignment: str, scratch_root: Path) -> GradedClass:
    """The reference, the blank version, the whole corpus of ``assignment`` and its sampled
    mutants, graded by ``advpy grade``."""
    course = class_course(
        assignment,
        scratch_root / assignment,
        corpus_answers(assignment),
        sampled_mutants(assignment),
    )
    grade_assignment(GradeOptions(assignment, course))
    return GradedClass(course, read_scores(course, assignment))


def agreement_sample(assignment: str) -> tuple[str, ...]:
    """The corpus answers plain nbgrader grades too, besides the reference (right) and the
    blank version (nothing done): the first and the last wrong answer (by name), work that is
    partly right. (Plain nbgrader starts a kernel per notebook and some sets' notebooks take
    tens of seconds there: the sample is kept small for the suite's budget.)"""
    wrong = [a.name for a in corpus_answers(assignment) if not a.correct]
    return tuple(dict.fromkeys(wrong[:1] + wrong[-1:]))


@cache
def plain_graded(assignment: str, scratch_root: Path, names: tuple[str, ...]) -> GradedClass:
    """The reference and the named corpus answers, graded by plain ``nbgrader autograde`` with
    the course's configuration. (Not the blank version: ``advpy grade`` scores it 0 in every
    cell in test_grading, and a test cell that passed without an answer would pass for both
    graders alike; nbgrader's kernel start per notebook is what the suite's budget pays for.)"""
    answers = [a for a in corpus_answers(assignment) if a.name in names]
    missing = set(names) - {a.name for a in answers}
    assert not missing, f"no such corpus answers of {assignment}: {sorted(missing)}"
    folder = (
        scratch_root
        / f"{assignment}-nbgrader-{len(list(scratch_root.glob(f'{assignment}-nbgrader-*')))}"
    )
    course = class_course(assignment, folder, answers, with_blank=False)
    run_nbgrader(["autograde", assignment, "--force"], course)
    return GradedClass(course, read_scores(course, assignment))
