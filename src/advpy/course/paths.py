"""Where the course's folders are.

The package is installed in editable mode from ``src/advpy``, so the course root is the folder
that holds ``src/`` (three levels above this file); ``ADVPY_ROOT`` overrides it (for a copy of
the course elsewhere).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CoursePaths:
    """The course's top-level folders, from one root."""

    root: Path

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def exercises(self) -> Path:
        return self.notebooks / "exercises"

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def grading(self) -> Path:
        return self.root / "grading"

    @property
    def source(self) -> Path:
        return self.grading / "source"

    @property
    def jupyter_config(self) -> Path:
        """Course-wide Jupyter settings (``jupyter/learner`` and ``jupyter/instructor``)."""
        return self.root / "jupyter"


def course_root() -> Path:
    """The folder that holds ``notebooks/``, ``solutions/`` and ``grading/``."""
    override = os.environ.get("ADVPY_ROOT")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[3]


def course_paths(root: Path | None = None) -> CoursePaths:
    """The course's folders under ``root`` (by default, this checkout)."""
    return CoursePaths(root if root is not None else course_root())


def prepend_path(value: str, entry: str) -> str:
    """The path-like ``value`` (``os.pathsep``-separated) with ``entry`` first, and only once."""
    rest = [p for p in value.split(os.pathsep) if p and p != entry]
    return os.pathsep.join([entry, *rest])


#: A lesson master's or notebook's stem: ``NN_slug``.
LESSON_PATTERN = re.compile(r"^\d\d_[a-z0-9_]+$")
#: An exercise set's id: ``psNN_slug``.
EXERCISE_PATTERN = re.compile(r"^ps\d\d_[a-z0-9_]+$")


def lesson_masters(paths: CoursePaths) -> list[Path]:
    """The lesson masters, in course order."""
    return sorted(p for p in paths.notebooks.glob("*.py") if LESSON_PATTERN.match(p.stem))


def exercise_masters(paths: CoursePaths) -> list[Path]:
    """The exercise masters, in course order."""
    return sorted(p for p in paths.solutions.glob("ps*.py") if EXERCISE_PATTERN.match(p.stem))
