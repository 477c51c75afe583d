"""Run nbgrader in a course folder, in this process or as its command line, with errors a
person can read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .paths import prepend_path


class NbgraderError(RuntimeError):
    """An nbgrader step failed; the message holds the end of what it printed."""


def _scripts_first_on_path(path: str) -> str:
    return prepend_path(path, os.path.dirname(sys.executable))


def tool_environment() -> dict[str, str]:
    """This environment with its scripts folder first on PATH: nbgrader runs ``alembic`` and
    ``jupyter`` by name, so they must come from the same environment as nbgrader itself."""
    env = dict(os.environ)
    env["PATH"] = _scripts_first_on_path(env.get("PATH", ""))
    return env


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


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
            f"nbgrader {' '.join(args)} failed (exit {done.returncode}):\n{_tail(output)}"
        )
    return output


def generate_assignments(course_dir: Path, assignments: list[str]) -> None:
    """``nbgrader generate_assignment --force`` for each assignment, in this process (starting
    nbgrader's command line costs seconds per call; the work itself takes a fraction of one)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from .grade.nbgrader_settings import apply_course_settings

    os.environ["PATH"] = _scripts_first_on_path(os.environ.get("PATH", ""))
    config = Config()
    apply_course_settings(config)
    config.CourseDirectory.root = str(course_dir)
    api = NbGraderAPI(config=config)
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True)
        if not result.get("success"):
            detail = _tail(str(result.get("error", "")) + "\n" + str(result.get("log", "")))
            raise NbgraderError(f"nbgrader generate_assignment {assignment} failed:\n{detail}")
