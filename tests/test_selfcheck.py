"""``advpy check``: the learner's terminal self-grading, right answers, wrong ones, bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from grading_helpers import PS31_RIGHT as RIGHT

from advpy.course.paths import CoursePaths
from advpy.course.scratch import with_answers

SWAPPED = RIGHT.replace("(target - n, n)", "(n, target - n)")


def advpy_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advpy.cli", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def exercise_with(paths: CoursePaths, tmp_path: Path, answer: str | None) -> Path:
    notebook = nbformat.read(paths.exercises / "ps31_two_sum.ipynb", as_version=4)
    if answer is not None:
        notebook = with_answers(notebook, {"find_pairs_answer": answer})
    target = tmp_path / "ps31_two_sum.ipynb"
    nbformat.write(notebook, target)
    return target


@pytest.mark.slow
def test_a_right_answer_passes_every_visible_check(paths: CoursePaths, tmp_path: Path) -> None:
    done = advpy_check(exercise_with(paths, tmp_path, RIGHT))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 of 4 checks passed: 10/10 points" in done.stdout
    assert "FAIL" not in done.stdout


@pytest.mark.slow
def test_a_wrong_answer_fails_with_the_reason(paths: CoursePaths, tmp_path: Path) -> None:
    done = advpy_check(exercise_with(paths, tmp_path, SWAPPED))
    assert done.returncode == 1
    assert "FAIL  find_pairs_tests_examples" in done.stdout
    assert "AssertionError: find_pairs([2, 7, 11, 15, -2], 9)" in done.stdout
    assert "returned: [(7, 2), (-2, 11)]" in done.stdout
    # The edge-case checks never form a pair, so that cell passes; every other one fails.
    assert "1 of 4 checks passed: 3/10 points" in done.stdout


@pytest.mark.slow
def test_the_untouched_stub_fails_every_check(paths: CoursePaths, tmp_path: Path) -> None:
    done = advpy_check(exercise_with(paths, tmp_path, None))
    assert done.returncode == 1
    assert "NotImplementedError" in done.stdout
    assert "0 of 4 checks passed" in done.stdout


@pytest.mark.slow
def test_tagging_the_tests_to_skip_them_does_not_help(paths: CoursePaths, tmp_path: Path) -> None:
    path = exercise_with(paths, tmp_path, SWAPPED)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata["tags"] = ["skip-execution"]
    nbformat.write(notebook, path)
    done = advpy_check(path)
    assert done.returncode == 1
    assert "1 of 4 checks passed: 3/10 points" in done.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.ipynb", "no such file"),
        (lambda d: d, "is a folder"),
        (lambda d: _write(d / "notes.txt", "hello"), "is not a notebook"),
        (lambda d: _write(d / "broken.ipynb", '{"cells": [ {"cell_type": '), "not valid notebook"),
        (lambda d: _write(d / "plain.ipynb", _plain_notebook()), "no graded test cells"),
    ],
)
def test_bad_input_gets_a_clear_message(tmp_path: Path, make, message: str) -> None:
    done = advpy_check(make(tmp_path))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _plain_notebook() -> str:
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell("1 + 1"))
    return nbformat.writes(notebook)
