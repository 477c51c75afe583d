"""What every exercise notebook must hold: no leaks, unique grade ids, honest points, and test
cells that say what they check and check something a learner can see."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode

from advpy.course.paths import course_paths, exercise_masters
from advpy.course.release import MARKERS, leaks, notebook_sources

PATHS = course_paths()
ASSIGNMENTS = [m.stem for m in exercise_masters(PATHS)]
POINTS = re.compile(r"^(#+) .*\((\d+) points?\)\s*$", re.M)
GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def source(assignment: str) -> NotebookNode:
    return nbformat.read(PATHS.source / assignment / f"{assignment}.ipynb", as_version=4)


def student(assignment: str) -> NotebookNode:
    return nbformat.read(PATHS.exercises / f"{assignment}.ipynb", as_version=4)


def nbgrader(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def test_there_are_exercises() -> None:
    assert "ps31_two_sum" in ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_leaks_nothing(assignment: str) -> None:
    text = (PATHS.exercises / f"{assignment}.ipynb").read_text()
    for marker in MARKERS:
        assert marker not in text, f"{assignment}: {marker!r} in the learner's notebook"
    # the cells' own text: the notebook's JSON escapes quotes, which would hide a line with one
    leaked = leaks(notebook_sources(student(assignment)), source(assignment))
    assert not leaked, f"{assignment}: solution or hidden-test lines leaked: {leaked[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_has_no_outputs(assignment: str) -> None:
    for cell in student(assignment).cells:
        assert not cell.get("outputs"), f"{assignment}: committed with outputs"


def test_grade_ids_are_unique_across_the_course() -> None:
    seen: dict[str, str] = {}
    for assignment in ASSIGNMENTS:
        for cell in source(assignment).cells:
            grade_id = nbgrader(cell).get("grade_id")
            if not grade_id or grade_id == "setup" or grade_id.startswith("setup_"):
                continue
            assert GRADE_ID.match(grade_id), f"{assignment}: badly formed grade id {grade_id!r}"
            assert grade_id not in seen, (
                f"{grade_id!r} in both {seen.get(grade_id)} and {assignment}"
            )
            seen[grade_id] = assignment


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_and_test_cells_are_named_by_convention(assignment: str) -> None:
    for cell in source(assignment).cells:
        meta = nbgrader(cell)
        if meta.get("solution") and not meta.get("grade"):
            assert meta["grade_id"].endswith("_answer"), meta["grade_id"]
        if meta.get("grade") and not meta.get("solution"):
            assert "_tests_" in meta["grade_id"], meta["grade_id"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_in_headings_match_the_metadata(assignment: str) -> None:
    """The title states the total; each heading with points covers the graded cells below it
    up to the next heading with points."""
    notebook = source(assignment)
    title_total = None
    sections: list[tuple[str, int, int]] = []  # heading, stated, counted
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for hashes, points in POINTS.findall(cell.source):
                if len(hashes) == 1:
                    title_total = int(points)
                else:
                    sections.append((cell.source.strip().splitlines()[0], int(points), 0))
        meta = nbgrader(cell)
        if meta.get("grade") or meta.get("task"):
            assert sections, f"{assignment}: {meta['grade_id']} has no heading with its points"
            heading, stated, counted = sections[-1]
            sections[-1] = (heading, stated, counted + int(meta["points"]))
    total = sum(int(nbgrader(c).get("points", 0)) for c in notebook.cells)
    assert title_total == total, f"{assignment}: title says {title_total}, cells hold {total}"
    for heading, stated, counted in sections:
        assert stated == counted, f"{assignment}: {heading!r} says {stated}, cells hold {counted}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_say_what_they_check_and_check_visibly(assignment: str) -> None:
    for cell in source(assignment).cells:
        meta = nbgrader(cell)
        if not meta.get("grade") or meta.get("solution") or cell.cell_type != "code":
            continue
        first = cell.source.lstrip().splitlines()[0]
        assert first.startswith('"""'), f"{meta['grade_id']}: start with a docstring"
        visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        assert re.search(r"\b(expect\w*|assert)\b", visible.split('"""', 2)[-1]), (
            f"{meta['grade_id']}: needs at least one visible check"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_cells_hold_a_stub_for_the_learner(assignment: str) -> None:
    answers = [c for c in student(assignment).cells if nbgrader(c).get("solution")]
    assert answers, f"{assignment}: no answer cell"
    for cell in answers:
        if cell.cell_type == "code":
            assert "raise NotImplementedError()" in cell.source


def test_masters_and_generated_notebooks_correspond() -> None:
    generated = sorted(p.stem for p in Path(PATHS.exercises).glob("*.ipynb"))
    assert generated == ASSIGNMENTS
