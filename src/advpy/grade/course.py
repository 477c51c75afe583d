"""An nbgrader course folder: make a scratch copy, fill it with submissions, read the scores.

Used by the tests (grading the corpus of right and wrong answers), the benchmarks and the
instructor's grader. Scores are read from nbgrader's own gradebook.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..nbgrader_runner import generate_assignments
from ..paths import CoursePaths


@dataclass(frozen=True)
class CellScore:
    """One graded cell of one submission."""

    grade_id: str
    score: float
    max_score: float


def solution_cell_ids(notebook: NotebookNode) -> list[str]:
    """The grade ids of the notebook's answer cells, in order."""
    return [
        cell.metadata["nbgrader"]["grade_id"]
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    ]


def with_answers(notebook: NotebookNode, answers: dict[str, str]) -> NotebookNode:
    """A copy of ``notebook`` whose answer cells (by grade id) hold the given code."""
    filled = copy.deepcopy(notebook)
    missing = set(answers)
    for cell in filled.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            missing.discard(grade_id)
    if missing:
        raise KeyError(f"no answer cell with grade id {', '.join(sorted(missing))}")
    return filled


def make_scratch_course(paths: CoursePaths, assignments: list[str], destination: Path) -> Path:
    """A new course in ``destination`` with the course's config and the given assignments'
    sources, generated (so its gradebook knows them). Returns ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.grading / "nbgrader_config.py", destination / "nbgrader_config.py")
    for assignment in assignments:
        shutil.copytree(paths.source / assignment, destination / "source" / assignment)
    generate_assignments(destination, assignments)
    return destination


def student_notebook(course: Path, assignment: str) -> NotebookNode:
    """The released (learner) version of an assignment's notebook in ``course``."""
    return nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def submit(course: Path, assignment: str, student: str, notebook: NotebookNode | str) -> Path:
    """Place one student's notebook where ``nbgrader collect`` would (``submitted/``).

    ``notebook`` is a notebook, or raw text for a deliberately broken file."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{assignment}.ipynb"
    if isinstance(notebook, str):
        target.write_text(notebook, encoding="utf-8")
    else:
        nbformat.write(notebook, target)
    return target


def read_scores(course: Path, assignment: str) -> dict[str, dict[str, CellScore]]:
    """Every graded student's per-cell scores from the course's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, dict[str, CellScore]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in gradebook.students:
            try:
                submission = gradebook.find_submission(assignment, student.id)
            except MissingEntry:
                continue
            cells: dict[str, CellScore] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    cells[grade.name] = CellScore(
                        grade.name, float(grade.score), float(grade.max_score)
                    )
            scores[student.id] = cells
    return scores
