"""The committed notebooks are exactly what the masters build, and ``--check`` notices drift."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advpy.course.build import build
from advpy.course.paths import CoursePaths


def test_committed_notebooks_are_current(paths: CoursePaths) -> None:
    result = build(paths, check=True)
    assert result.files, "the build produced nothing"
    assert not result.changed, f"stale or hand-edited, run `make build`: {result.changed}"
    assert not result.orphans, f"generated notebooks without a master: {result.orphans}"


@pytest.fixture
def course_copy(paths: CoursePaths, tmp_path: Path) -> CoursePaths:
    """A copy of the course's sources and generated notebooks (the first exercise only)."""
    copy = CoursePaths(tmp_path)
    (copy.solutions).mkdir()
    shutil.copy(paths.solutions / "ps31_two_sum.py", copy.solutions)
    copy.exercises.mkdir(parents=True)
    shutil.copy(paths.exercises / "ps31_two_sum.ipynb", copy.exercises)
    shutil.copytree(paths.source / "ps31_two_sum", copy.source / "ps31_two_sum")
    shutil.copy(paths.grading / "nbgrader_config.py", copy.grading)
    return copy


def test_check_reports_a_hand_edit_and_build_repairs_it(course_copy: CoursePaths) -> None:
    student = course_copy.exercises / "ps31_two_sum.ipynb"
    student.write_text(student.read_text().replace("find_pairs", "find_pears", 1))
    stale = build(course_copy, check=True)
    assert stale.changed == [Path("notebooks/exercises/ps31_two_sum.ipynb")]
    assert "find_pears" in student.read_text(), "--check must not write"
    build(course_copy)
    assert not build(course_copy, check=True).changed
    assert "find_pears" not in student.read_text()


def test_check_reports_an_orphan(course_copy: CoursePaths) -> None:
    orphan = course_copy.exercises / "ps99_gone.ipynb"
    orphan.write_text("{}")
    assert Path("notebooks/exercises/ps99_gone.ipynb") in build(course_copy, check=True).orphans
    build(course_copy)
    assert not orphan.exists()
