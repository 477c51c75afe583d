"""``advpy release``: the course as learners of a graded class get it, every file scanned.

The release of this course is written, holds none of the instructor's material, and its own
learner tests pass on its files. They run with this interpreter, the release's ``src/`` first
on ``PYTHONPATH`` and the release as the working folder and ``ADVPY_ROOT``: the release pins the
same packages as this checkout (its ``pyproject.toml`` and ``constraints.txt`` are copies), so
a new venv would hold the same installed packages; what differs is the course's own files, and
those are the release's (a test there checks that ``advpy`` is imported from it). The
release's Makefile is checked with ``make -n`` (its set-up is the repository's, which
``make test`` itself uses). Then a copy of the course with a leak planted in it is refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from advpy.course.bundle import (
    LEARNER_TESTS,
    LEFT_OUT,
    MARKER,
    TOP_FILES,
    TOP_FOLDERS,
    LeakReport,
    ReleaseError,
    write_release,
)
from advpy.course.paths import CoursePaths
from advpy.course.release import file_leaks, secret_regions

#: Files of the course that show a graded set's answer today, shipped knowingly (the release
#: prints their lines). None now; an entry here must say which set's answer it shows.
KNOWN_LEAKS = ()


def _learner_tests(release: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(release / "src"), ADVPY_ROOT=str(release))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0", *args],
        cwd=release,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_the_release_holds_no_answers_and_passes_its_own_learner_tests(
    paths: CoursePaths, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    allow = [f"--allow-shown={name}" for name in KNOWN_LEAKS]
    done = subprocess.run(
        [sys.executable, "-m", "advpy.cli", "release", "--out", str(out), *allow],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = "none found outside the allowed files:" if KNOWN_LEAKS else "none found:"
    assert found in done.stdout
    for name in KNOWN_LEAKS:  # shipped knowingly, and said so
        assert f"{Path(name).name} shows" in done.stderr

    assert (out / MARKER).is_file()
    for absent in ("solutions", "grading", "tests/corpus", "benchmarks", "site", *LEFT_OUT):
        assert not (out / absent).exists(), absent
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert "notebooks/exercises/ps31_two_sum.ipynb" in names
    assert "notebooks/07_scopes.ipynb" in names and "src/advpy/checks.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    readme = (out / "README.md").read_text()
    assert "learner release" in readme and "## For learners" in readme
    assert "## For instructors" not in readme

    plan = subprocess.run(
        ["make", "-n", "lab", "test"], cwd=out, capture_output=True, text=True, check=False
    )
    assert plan.returncode == 0, plan.stderr
    assert "advpy lab" in plan.stdout and "pytest" in plan.stdout

    # The release's own tests run; the checking helpers' tests are the repository's files,
    # which make test runs already: there they are only collected (every one imports).
    own = _learner_tests(out, "tests/test_learner_release.py")
    assert own.returncode == 0, own.stdout[-3000:] + own.stderr[-2000:]
    assert " passed" in own.stdout.splitlines()[-1]
    for copied in (out / "tests").glob("test_checks*.py"):
        assert copied.read_bytes() == (paths.root / "tests" / copied.name).read_bytes()
    collected = _learner_tests(out, "tests", "--collect-only")
    assert collected.returncode == 0, collected.stdout[-3000:]
    assert "tests collected" in collected.stdout.splitlines()[-1]


def _course_copy(paths: CoursePaths, root: Path) -> CoursePaths:
    """What a release is made from, copied: enough to write one."""
    root.mkdir()
    for name in (*TOP_FILES, "README.md"):
        if (paths.root / name).exists():
            shutil.copy(paths.root / name, root / name)
    for folder in (*TOP_FOLDERS, "grading/source"):
        shutil.copytree(
            paths.root / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    (root / "tests").mkdir()
    for pattern in LEARNER_TESTS:
        for path in paths.root.glob(pattern):
            shutil.copy(path, root / "tests")
    return CoursePaths(root)


def test_a_planted_leak_is_refused_and_nothing_is_written(
    paths: CoursePaths, tmp_path: Path
) -> None:
    course = _course_copy(paths, tmp_path / "course")
    instructor = nbformat.read(course.source / "ps31_two_sum" / "ps31_two_sum.ipynb", 4)
    answer = next(
        c.source for c in instructor.cells if "BEGIN SOLUTION" in c.source and "def " in c.source
    )
    body = answer.split("BEGIN SOLUTION", 1)[1].split("END SOLUTION", 1)[0]
    (course.notebooks / "notes.md").write_text(f"My answer, for friends:\n{body}\n")
    hidden = next(s for s in secret_regions(instructor, "ps31_two_sum") if "tests" in s.origin)
    learner = course.exercises / "ps31_two_sum.ipynb"
    notebook = nbformat.read(learner, 4)
    notebook.cells.append(nbformat.v4.new_markdown_cell(f"Hint: `{hidden.lines[0]}`"))
    nbformat.write(notebook, learner)

    out = tmp_path / "release"
    with pytest.raises(LeakReport) as refused:
        write_release(course, out, allow=list(KNOWN_LEAKS))
    leaks = refused.value.leaks
    assert set(leaks) == {"notebooks/notes.md", "notebooks/exercises/ps31_two_sum.ipynb"}
    notes = leaks["notebooks/notes.md"]
    assert notes and all("ps31_two_sum, cell find_pairs_answer" in what for what in notes)
    assert any(hidden.origin in what for what in leaks["notebooks/exercises/ps31_two_sum.ipynb"])
    assert "notebooks/notes.md:" in str(refused.value) and "nothing was written" in str(
        refused.value
    )
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["course"]  # no half-written stage left


def test_an_allowance_that_matches_nothing_is_an_error(paths: CoursePaths, tmp_path: Path) -> None:
    course = _course_copy(paths, tmp_path / "course")
    with pytest.raises(ReleaseError, match="shows none: notebooks/07_scopes.py"):
        write_release(course, tmp_path / "release", allow=["notebooks/07_scopes.py"])


def test_the_release_does_not_overwrite_a_folder_that_is_not_one(
    paths: CoursePaths, tmp_path: Path
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ReleaseError, match="is not an earlier release"):
        write_release(paths, tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_any_file_is_scanned_as_text_or_as_a_notebook() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1"))
    instructor = nbformat.v4.new_notebook()
    instructor.cells.append(
        nbformat.v4.new_code_cell(
            "import collections\n### BEGIN SOLUTION\n"
            "from collections import OrderedDict as the_long_import_name\n"
            "    seen_pairs = collections.Counter(stream_of_numbers)\n"
            "    return sorted(seen_pairs.elements(), key=abs)\n### END SOLUTION"
        )
    )
    secrets = secret_regions(instructor, "ps99_demo")
    assert [len(s.lines) for s in secrets] == [2]  # the import is not an answer
    marked = file_leaks("a.ipynb", nbformat.writes(nb).encode(), secrets)
    assert marked == ["nbgrader marker 'BEGIN SOLUTION'"]
    code = b"MARKER = 'BEGIN SOLUTION'  # code that handles markers\n"
    assert file_leaks("handles.py", code, secrets) == []
    copied = b"x\n   seen_pairs = collections.Counter(stream_of_numbers)\n" + bytes([0xFF])
    assert file_leaks("notes.txt", copied, secrets) == []  # one line of two: a lesson may share
    assert len(file_leaks("notes.txt", copied, secrets, strict=True)) == 1
    both = copied + b"\nreturn sorted(seen_pairs.elements(), key=abs)\n"
    assert len(file_leaks("notes.txt", both, secrets)) == 2
