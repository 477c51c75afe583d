"""Every lesson run top to bottom in full mode (``ADVPY_FAST=0``: the full-size inputs and
loads a learner's Run All uses), without an error and leaving nothing behind in its
temporary folder.

Full mode takes from seconds to minutes per lesson, too long for ``make test``'s budget; it is
run by ``make test-full`` (``ADVPY_FAST=0``). Under ``make test`` (fast mode) this module holds
no test at all, rather than tests that would be skipped."""

from __future__ import annotations

import os

import pytest
from test_notebooks import LEFT_BEHIND, LESSONS, execute_lesson

if os.environ.get("ADVPY_FAST") == "0":

    @pytest.mark.slow
    @pytest.mark.parametrize("name", LESSONS)
    def test_the_lesson_runs_in_full_mode_and_leaves_nothing_behind(name: str) -> None:
        notebook = execute_lesson(name)
        errors = [
            output
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]
        assert not errors, f"{name} raised in full mode: {errors[0].get('ename')}"
        assert LEFT_BEHIND[name] == [], f"{name} left behind {LEFT_BEHIND[name]}"
