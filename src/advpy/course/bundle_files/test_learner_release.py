"""The learner release works without solutions: ``advpy check`` grades a graded set's visible
tests, ``advpy progress`` lists every set, and the instructor's commands say what they need.

These tests ship in the release (``make test`` there) and run on its files: the release's
root is the folder above this one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SET = "ps31_two_sum"


def advpy(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ADVPY_ROOT=str(ROOT), ADVPY_PROGRESS_DB=str(home / "progress.db"))
    return subprocess.run(
        [sys.executable, "-m", "advpy.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=ROOT,
    )


def test_this_is_a_learner_release_without_instructor_material() -> None:
    marker = json.loads((ROOT / "LEARNER_RELEASE.json").read_text())
    assert SET in marker["graded_sets"]
    for absent in ("solutions", "grading", "tests/corpus", "src/advpy/audit", "src/advpy/hub"):
        assert not (ROOT / absent).exists(), f"{absent} must not be in a learner release"
    assert (ROOT / "notebooks" / "exercises" / f"{SET}.ipynb").is_file()


def test_the_package_runs_from_this_release() -> None:
    import advpy

    assert Path(advpy.__file__).resolve().is_relative_to(ROOT), advpy.__file__


def test_advpy_check_grades_an_unanswered_set(tmp_path: Path) -> None:
    done = advpy("check", f"notebooks/exercises/{SET}.ipynb", "--cold", home=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "NotImplementedError" in done.stdout, done.stdout
    assert "Recorded in" in done.stdout
    listed = advpy("progress", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert SET in listed.stdout


@pytest.mark.parametrize("command", ["build", "audit", "site", "grade", "hub"])
def test_instructor_commands_say_they_need_the_full_repository(
    command: str, tmp_path: Path
) -> None:
    args = [command, SET] if command == "grade" else [command]
    done = advpy(*args, home=tmp_path)
    assert done.returncode == 2
    assert "learner release" in done.stderr and "full repository" in done.stderr, done.stderr
