"""The ``advpy`` command line: doctor, lab command lines, and clear errors for bad input."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from advpy import doctor
from advpy.course.paths import CoursePaths
from advpy.lab import lab_command, lab_environment


def advpy(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advpy.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_doctor_reports_the_environment() -> None:
    done = advpy("doctor")
    assert "python" in done.stdout and "nbgrader" in done.stdout and "dot" in done.stdout
    assert done.returncode in (0, 1)


def test_doctor_says_what_to_install_when_graphviz_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_which = doctor.shutil.which
    monkeypatch.setattr(
        doctor.shutil, "which", lambda c, **kw: None if c == "dot" else real_which(c, **kw)
    )
    text, healthy = doctor.report()
    assert not healthy
    assert "apt-get install graphviz" in text


def test_no_command_prints_usage() -> None:
    done = advpy()
    assert done.returncode == 2
    assert "usage: advpy" in done.stderr


def test_lab_serves_learners_the_notebooks_and_works_as_root(paths: CoursePaths) -> None:
    command = lab_command(paths, instructor=False, port=8899, open_browser=False, token="t")
    assert f"--ServerApp.root_dir={paths.notebooks}" in command
    assert "--no-browser" in command and "--ServerApp.port=8899" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    env = lab_environment(paths, instructor=False)
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(
        paths.root / "jupyter" / "learner"
    )


def test_instructors_get_the_course_root_and_their_settings(paths: CoursePaths) -> None:
    command = lab_command(paths, instructor=True, port=None, open_browser=True, token=None)
    assert f"--ServerApp.root_dir={paths.root}" in command
    env = lab_environment(paths, instructor=True)
    assert env["JUPYTER_CONFIG_PATH"].startswith(str(paths.root / "jupyter" / "instructor"))


def test_build_reports_a_broken_master_without_a_traceback(tmp_path) -> None:
    (tmp_path / "solutions").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "grading").mkdir()
    (tmp_path / "solutions" / "ps99_broken.py").write_text('# %% nbgrader="tests"\nassert 1\n')
    done = advpy("build", env={**os.environ, "ADVPY_ROOT": str(tmp_path)})
    assert done.returncode == 2
    assert "ps99_broken.py, cell 1: an nbgrader cell needs grade_id" in done.stderr
    assert "Traceback" not in done.stderr
