"""Text masters become notebooks with nbgrader's metadata; mistakes are reported clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from advpy.course.masters import MasterError, expand_nbgrader, notebook_text, read_master


def test_short_forms_expand_to_nbgrader_metadata() -> None:
    tests = expand_nbgrader({"nbgrader": "tests", "grade_id": "f_tests", "points": 2}, "x")
    assert tests == {
        "grade": True,
        "grade_id": "f_tests",
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
        "points": 2,
    }
    answer = expand_nbgrader({"nbgrader": "solution", "grade_id": "f_answer"}, "x")
    assert answer is not None and answer["solution"] and not answer["locked"]
    assert "points" not in answer
    assert expand_nbgrader({}, "x") is None


@pytest.mark.parametrize(
    ("metadata", "complaint"),
    [
        ({"nbgrader": "test", "grade_id": "a"}, "expected one of"),
        ({"nbgrader": "tests", "points": 1}, "needs grade_id"),
        ({"nbgrader": "tests", "grade_id": "a"}, "needs points"),
        ({"nbgrader": "tests", "grade_id": "a", "points": True}, "needs points"),
        ({"nbgrader": "solution", "grade_id": "a", "points": 1}, "points= only goes"),
        ({"grade_id": "a"}, "without nbgrader"),
    ],
)
def test_bad_short_forms_say_what_is_wrong(metadata: dict, complaint: str) -> None:
    with pytest.raises(MasterError, match=complaint):
        expand_nbgrader(metadata, "m.py, cell 3")


def test_read_master_builds_a_clean_notebook(tmp_path: Path) -> None:
    master = tmp_path / "ps99_demo.py"
    master.write_text(
        "# %% [markdown]\n# # Demo (1 point)\n\n"
        '# %% nbgrader="solution" grade_id="f_answer"\n'
        "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\n"
        '# %% nbgrader="tests" grade_id="f_tests" points=1\n'
        '"""f returns 1."""\nassert f() == 1\n'
    )
    notebook = read_master(master)
    assert [c.cell_type for c in notebook.cells] == ["markdown", "code", "code"]
    assert notebook.cells[2].metadata["nbgrader"]["points"] == 1
    assert notebook.cells[2].id == "f_tests"
    assert "jupytext" not in notebook.metadata
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    text = notebook_text(notebook)
    assert text == notebook_text(read_master(master)), "building twice must give the same text"


def test_duplicate_grade_ids_are_refused(tmp_path: Path) -> None:
    master = tmp_path / "ps98_dup.py"
    cell = '# %% nbgrader="tests" grade_id="same" points=1\nassert True\n\n'
    master.write_text(cell + cell)
    with pytest.raises(MasterError, match="used twice"):
        read_master(master)
