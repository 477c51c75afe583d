"""A scratch nbgrader course for the tests and benchmarks: make a copy of the course with some
assignments, fill it with submissions, run nbgrader's command line in it, read the scores from
nbgrader's own gradebook."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from advpy.course.nbgrader_runner import (
    NbgraderError,
    generate_assignments,
    output_tail,
    tool_environment,
)
from advpy.course.paths import CoursePaths


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


def run_nbgrader(args: list[str], course_dir: Path, timeout: float = 1800) -> str:
    """Run ``nbgrader ARGS`` with ``course_dir`` as the working directory; return its output."""
    command = [sys.executable, "-m", "nbgrader", *args]
    try:
        done = subprocess.run(
            command,
            cwd=course_dir,
            env=tool_environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise NbgraderError(f"nbgrader {' '.join(args)} ran past {timeout:.0f} s") from error
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise NbgraderError(
            f"nbgrader {' '.join(args)} failed (exit {done.returncode}):\n{output_tail(output)}"
        )
    return output
