"""Shared fixtures: the course's paths, and each exercise graded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from advpy.course.paths import CoursePaths, course_paths

# Lessons run in fast mode in the test suite: smaller inputs, the same code paths.
os.environ.setdefault("ADVPY_FAST", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def paths() -> CoursePaths:
    return course_paths()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def scratch_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each exercise's class is graded (once per session, shared by test modules)."""
    return tmp_path_factory.mktemp("graded")
