"""The README's instructor commands, run as written on a copy of ``grading/``: generate,
zip_collect, autograde, generate_feedback, export."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from grading_helpers import PS31_RIGHT as RIGHT

from advpy.course.paths import CoursePaths
from advpy.course.scratch import run_nbgrader, with_answers

ASSIGNMENT = "ps31_two_sum"


@pytest.mark.slow
def test_the_readme_instructor_flow_grades_a_zip_download(
    paths: CoursePaths, tmp_path: Path
) -> None:
    course = tmp_path / "grading"
    course.mkdir()
    shutil.copy(paths.grading / "nbgrader_config.py", course)
    shutil.copytree(paths.source, course / "source")

    run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course)
    released = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert released.exists()

    # What a learning platform's download looks like: one zip holding each student's file.
    blank = nbformat.read(released, as_version=4)
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "download.zip", "w") as bundle:
        bundle.writestr(
            f"ada__{ASSIGNMENT}.ipynb",
            nbformat.writes(with_answers(blank, {"find_pairs_answer": RIGHT})),
        )
        bundle.writestr(f"grace__{ASSIGNMENT}.ipynb", nbformat.writes(blank))
    run_nbgrader(["zip_collect", ASSIGNMENT], course)
    for student in ("ada", "grace"):
        assert (course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()

    run_nbgrader(["autograde", ASSIGNMENT], course)
    run_nbgrader(["generate_feedback", ASSIGNMENT], course)
    assert (course / "feedback" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.html").exists()

    run_nbgrader(["export"], course)
    with open(course / "grades.csv", newline="") as grades:
        rows = {row["student_id"]: row for row in csv.DictReader(grades)}
    assert float(rows["ada"]["raw_score"]) == 10.0
    assert float(rows["grace"]["raw_score"]) == 0.0
