"""Run nbgrader's own steps in this process, with errors a person can read, and the
environment nbgrader's tools need."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from advpy.course.paths import prepend_path


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


def output_tail(text: str, lines: int = 25) -> str:
    """The last ``lines`` lines of a tool's output, for an error message."""
    return "\n".join(text.strip().splitlines()[-lines:])


def generate_assignments(course_dir: Path, assignments: list[str]) -> None:
    """``nbgrader generate_assignment --force`` for each assignment, in this process (starting
    nbgrader's command line costs seconds per call; the work itself takes a fraction of one)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from advpy.course.nbgrader_settings import apply_course_settings

    os.environ["PATH"] = _scripts_first_on_path(os.environ.get("PATH", ""))
    config = Config()
    apply_course_settings(config)
    config.CourseDirectory.root = str(course_dir)
    api = NbGraderAPI(config=config)
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True)
        if not result.get("success"):
            detail = output_tail(str(result.get("error", "")) + "\n" + str(result.get("log", "")))
            raise NbgraderError(f"nbgrader generate_assignment {assignment} failed:\n{detail}")
