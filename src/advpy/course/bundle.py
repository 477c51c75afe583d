"""The course as learners of a graded class receive it: ``advpy release``.

The bundle holds the lessons (notebooks and their text masters), the learner versions of the
graded sets, the course's package and its set-up (``pyproject.toml``, the pins, the system
packages' list and installer, the Jupyter settings), a README and a Makefile of its own, and
the tests that make sense without solutions (the checking helpers' tests and the bundle's own).
It holds no ``solutions/`` (reference solutions, audit records, the answers to the "Try it"
cells), no ``grading/`` (the instructor versions with the hidden tests), no corpus of answers,
and none of the instructor's tools that need them (``advpy.audit``, ``advpy.website``,
``advpy.hub``).

Every file of the bundle is scanned before the bundle is written
(:func:`advpy.course.release.file_leaks`): for nbgrader's markers, for every substantial line
of a reference solution or a hidden test that the instructor's version does not also show, and
for every substantial line of the corpus's right answers that the learner's notebook does not
show. A bundle that shows any of them is not written; the report names each file and line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from advpy import __version__
from advpy.course.paths import EXERCISE_PATTERN, CoursePaths

if TYPE_CHECKING:
    from advpy.course.release import Secret

# Every ``advpy`` command asks :func:`is_release`, so this module imports nothing heavy at the
# top: nbformat and the scan are imported where a release is written.

#: The file at a bundle's root that says it is a learner release (and of what).
MARKER = "LEARNER_RELEASE.json"
#: Commands that need what a release does not hold, and why: the release refuses them.
INSTRUCTOR_COMMANDS = {
    "build": "regenerates the exercises from their masters in solutions/",
    "audit": "grades mutants of the reference solutions in solutions/",
    "site": "checks every page against the instructor versions in grading/source/",
    "grade": "grades against the hidden tests in grading/source/",
    "hub": "gives the trial class's instructor the course in grading/source/",
}
#: Top-level files copied as they are.
TOP_FILES = ("pyproject.toml", "constraints.txt", "environment.yml", ".gitignore")
#: Folders copied whole, less what :data:`LEFT_OUT` names and caches.
TOP_FOLDERS = ("notebooks", "scripts", "jupyter", "src/advpy")
#: Parts of those folders a learner release never holds: the instructor's tools that need
#: solutions/ or grading/source/ (the command line refuses their commands in a release).
LEFT_OUT = ("src/advpy/audit", "src/advpy/website", "src/advpy/hub")
#: The learner tests: the checking helpers' (the same files as the repository's) and the
#: release's own, which come from this package (``bundle_tests/``).
LEARNER_TESTS = ("tests/conftest.py", "tests/test_checks*.py")
#: What is never copied from inside a folder.
CACHES = ("__pycache__", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache", ".pytest_cache")
SKIPPED_SUFFIXES = (".pyc", ".log", ".egg-info")

_HERE = Path(__file__).resolve().parent / "bundle_files"


class ReleaseError(Exception):
    """The release cannot be written (bad output folder, missing course files)."""


@dataclass
class LeakReport(ReleaseError):
    """The bundle would show solutions or hidden tests: each file and what it shows."""

    leaks: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        count = sum(len(found) for found in self.leaks.values())
        lines = [
            f"the bundle would show {count} line(s) of solutions or hidden tests in "
            f"{len(self.leaks)} file(s); nothing was written:"
        ]
        for name, found in sorted(self.leaks.items()):
            lines.append(f"  {name}:")
            lines += [f"    {what}" for what in found[:10]]
            if len(found) > 10:
                lines.append(f"    ... and {len(found) - 10} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class Release:
    """A bundle written: where, its files (relative paths), and how many secrets were sought."""

    out: Path
    files: list[str]
    secrets: int
    #: What the files the instructor allowed (``--allow-shown``) show: shipped knowingly.
    allowed: dict[str, list[str]] = field(default_factory=dict)


def is_release(root: Path) -> bool:
    """Whether ``root`` is a learner release (holds :data:`MARKER`)."""
    return (root / MARKER).is_file()


def course_secrets(paths: CoursePaths) -> list[Secret]:
    """What a learner release may not show (see :func:`advpy.course.release.secret_regions`).

    Every solution and hidden-test region of the instructor versions in ``grading/source/``,
    and every right answer of the corpus (``tests/corpus/psNN/correct_*.py``) less what the
    learner's or the instructor's notebook shows."""
    import nbformat

    from advpy.course.release import _flat, answer_secret, public_text, secret_regions

    sources = sorted(paths.source.glob("ps*/ps*.ipynb"))
    if not sources:
        raise ReleaseError(f"no instructor versions in {paths.source}: nothing to scan against")
    secrets: list[Secret] = []
    for source in sources:
        instructor = nbformat.read(source, as_version=4)
        secrets += secret_regions(instructor, source.stem)
        public = _flat(public_text(instructor))
        learner = paths.exercises / source.name
        if learner.exists():
            public += " " + _flat(learner.read_text(encoding="utf-8"))
        for answer in sorted((paths.root / "tests" / "corpus" / source.stem).glob("correct_*.py")):
            origin = f"{source.stem}, corpus answer {answer.name}"
            secret = answer_secret(answer.read_text(encoding="utf-8"), origin, public)
            if secret is not None:
                secrets.append(secret)
    return secrets


def _skipped(relative: Path) -> bool:
    return any(part in CACHES or part.endswith(SKIPPED_SUFFIXES) for part in relative.parts) or (
        relative.suffix in SKIPPED_SUFFIXES
    )


def bundle_sources(paths: CoursePaths) -> Iterator[tuple[Path, str]]:
    """Each file a learner release copies from the course: its path and its name there."""
    root = paths.root
    for name in TOP_FILES:
        if (root / name).is_file():
            yield root / name, name
    for folder in TOP_FOLDERS:
        if not (root / folder).is_dir():
            raise ReleaseError(f"{root / folder} is missing: is {root} the course?")
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or path.is_symlink() or _skipped(relative):
                continue
            if any(relative.is_relative_to(left) for left in LEFT_OUT):
                continue
            yield path, relative.as_posix()
    for pattern in LEARNER_TESTS:
        for path in sorted(root.glob(pattern)):
            yield path, path.relative_to(root).as_posix()


def _section(readme: str, heading: str, stop: str) -> str:
    """The repository README's text from ``heading`` up to the line ``stop`` (excluded)."""
    start = readme.find(f"\n{heading}\n")
    if start < 0:
        raise ReleaseError(f"README.md has no section {heading!r}")
    end = readme.find(f"\n{stop}", start + 1)
    return readme[start + 1 : end if end >= 0 else len(readme)].rstrip() + "\n"


def bundle_readme(paths: CoursePaths) -> str:
    """The bundle's README: its own set-up, then the repository README's sections for learners
    and on what is in the course."""
    readme = (paths.root / "README.md").read_text(encoding="utf-8")
    own = (_HERE / "README.md").read_text(encoding="utf-8")
    learners = _section(readme, "## For learners", "### The course as a website")
    contents = _section(readme, "## What is in the course", "## How the repository is laid out")
    return "\n".join([own.rstrip() + "\n", learners, contents])


def _commit(root: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _stage(paths: CoursePaths, stage: Path) -> list[str]:
    files = []
    for source, name in bundle_sources(paths):
        target = stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        files.append(name)
    for name, text in {
        "README.md": bundle_readme(paths),
        "Makefile": (_HERE / "Makefile").read_text(encoding="utf-8"),
        "tests/test_learner_release.py": (_HERE / "test_learner_release.py").read_text(
            encoding="utf-8"
        ),
    }.items():
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_text(text, encoding="utf-8")
        files.append(name)
    exercises = sorted(p.stem for p in (stage / "notebooks" / "exercises").glob("*.ipynb"))
    marker = {
        "course": "advpy",
        "version": __version__,
        "commit": _commit(paths.root),
        "graded_sets": [name for name in exercises if EXERCISE_PATTERN.match(name)],
        "note": "The learner release: no solutions, no hidden tests. advpy release wrote it.",
    }
    (stage / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    files.append(MARKER)
    return sorted(files)


def scan_folder(folder: Path, secrets: list[Secret]) -> dict[str, list[str]]:
    """Every file under ``folder`` scanned for nbgrader's markers and ``secrets`` (strictly,
    one line is enough, in the graded sets' notebooks): the files that show any, with what
    they show. Anything but a regular file or a folder is a leak of its own kind."""
    from advpy.course.release import file_leaks

    leaks: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_file():
            leaks[name] = ["not a regular file: a release holds only files"]
            continue
        strict = name.startswith("notebooks/exercises/")
        found = file_leaks(name, path.read_bytes(), secrets, strict=strict)
        if found:
            leaks[name] = found
    return leaks


def write_release(paths: CoursePaths, out: Path, allow: Sequence[str] = ()) -> Release:
    """Write the learner release of the course at ``paths`` to ``out``, after scanning every
    file of it; raise :class:`LeakReport` (writing nothing) when any file shows a solution or
    hidden-test line. ``out`` may be missing, empty, or an earlier release (replaced).

    ``allow`` names files (as in the bundle) the instructor ships knowingly although they show
    part of an answer (a lesson that teaches the very thing a set grades): what they show is
    returned, not refused. A name that shows nothing is an error, so no exception outlives
    its reason."""
    out = out.resolve()
    if out == paths.root.resolve() or paths.root.resolve().is_relative_to(out):
        raise ReleaseError(f"{out} holds the course itself; write the release elsewhere")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not is_release(out))):
        raise ReleaseError(f"{out} exists and is not an earlier release; name another folder")
    secrets = course_secrets(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        files = _stage(paths, stage)
        leaks = scan_folder(stage, secrets)
        stale = [name for name in allow if name not in leaks]
        if stale:
            raise ReleaseError(
                f"allowed to show part of an answer, but shows none: {', '.join(stale)} "
                "(drop it from --allow-shown)"
            )
        allowed = {name: leaks.pop(name) for name in allow}
        if leaks:
            raise LeakReport(leaks)
        if out.exists():
            shutil.rmtree(out)
        os.chmod(stage, 0o755)
        stage.rename(out)
    finally:
        if stage.exists():
            shutil.rmtree(stage)
    return Release(out, files, sum(len(s.lines) for s in secrets), allowed)
