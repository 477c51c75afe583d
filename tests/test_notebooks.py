"""Every lesson notebook runs top to bottom in a fresh kernel, in fast mode."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from advpy.course.build import lesson_masters
from advpy.course.paths import course_paths

PATHS = course_paths()
LESSONS = [m.stem for m in lesson_masters(PATHS)]


def run_lesson(name: str) -> nbformat.NotebookNode:
    """Execute a lesson notebook like a learner's Run All; errors fail the run."""
    notebook = nbformat.read(PATHS.notebooks / f"{name}.ipynb", as_version=4)
    env_ok = os.environ.get("ADVPY_FAST") == "1"
    assert env_ok, "the test suite runs lessons in fast mode (ADVPY_FAST=1)"
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(PATHS.notebooks)}},
    )
    client.execute()
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_clean(name: str) -> None:
    notebook = run_lesson(name)
    errors = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors, f"{name}: a cell raised {errors[0].ename}: {errors[0].evalue}"
