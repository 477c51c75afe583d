"""``advpy build``: every notebook of the course, generated from its text master.

- lessons: ``notebooks/NN_slug.py`` -> ``notebooks/NN_slug.ipynb``
- exercises: ``solutions/psNN_slug.py`` -> ``grading/source/psNN_slug/psNN_slug.ipynb`` (the
  instructor's version, with solution and hidden tests) -> through ``nbgrader
  generate_assignment`` -> ``notebooks/exercises/psNN_slug.ipynb`` (the learner's version).

Generation happens in a scratch copy of the course, so building never touches the instructor's
gradebook. ``check`` regenerates and compares: a stale, hand-edited, missing or orphaned
notebook is reported.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from advpy.course.masters import notebook_text, read_master
from advpy.course.nbgrader_runner import generate_assignments
from advpy.course.paths import (
    LESSON_PATTERN,
    CoursePaths,
    exercise_masters,
    lesson_masters,
)


@dataclass
class BuildResult:
    """What a build produced (relative path -> text) and which files differ on disk."""

    files: dict[Path, str] = field(default_factory=dict)
    changed: list[Path] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)


def generate(paths: CoursePaths) -> dict[Path, str]:
    """Every generated notebook's path (relative to the course root) and text."""
    files: dict[Path, str] = {}
    for master in lesson_masters(paths):
        target = paths.notebooks / f"{master.stem}.ipynb"
        files[target.relative_to(paths.root)] = notebook_text(read_master(master))
    sources: dict[str, str] = {}
    for master in exercise_masters(paths):
        text = notebook_text(read_master(master))
        sources[master.stem] = text
        target = paths.source / master.stem / f"{master.stem}.ipynb"
        files[target.relative_to(paths.root)] = text
    for assignment, text in _student_versions(paths, sources).items():
        target = paths.exercises / f"{assignment}.ipynb"
        files[target.relative_to(paths.root)] = text
    return files


def _student_versions(paths: CoursePaths, sources: dict[str, str]) -> dict[str, str]:
    """Learner notebooks made by ``nbgrader generate_assignment`` in a scratch course."""
    if not sources:
        return {}
    with tempfile.TemporaryDirectory(prefix="advpy-build-") as scratch:
        course = Path(scratch)
        shutil.copy(paths.grading / "nbgrader_config.py", course / "nbgrader_config.py")
        for assignment, text in sources.items():
            folder = course / "source" / assignment
            folder.mkdir(parents=True)
            (folder / f"{assignment}.ipynb").write_text(text, encoding="utf-8")
        generate_assignments(course, list(sources))
        released: dict[str, str] = {}
        for assignment in sources:
            path = course / "release" / assignment / f"{assignment}.ipynb"
            released[assignment] = notebook_text(nbformat.read(path, as_version=4))
        return released


def generated_locations(paths: CoursePaths) -> list[Path]:
    """Every generated notebook now on disk (relative paths), to find orphans."""
    found = [p for p in paths.notebooks.glob("*.ipynb") if LESSON_PATTERN.match(p.stem)]
    found += list(paths.exercises.glob("*.ipynb"))
    found += list(paths.source.glob("*/*.ipynb"))
    return sorted(p.relative_to(paths.root) for p in found)


def build(paths: CoursePaths, check: bool = False) -> BuildResult:
    """Generate every notebook; write them unless ``check`` (then only compare)."""
    result = BuildResult(files=generate(paths))
    for relative, text in result.files.items():
        target = paths.root / relative
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            result.changed.append(relative)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    result.orphans = [p for p in generated_locations(paths) if p not in result.files]
    if not check:
        for orphan in result.orphans:
            (paths.root / orphan).unlink()
    return result
