"""The learner's progress: ``advpy check`` and Validate record, ``advpy progress`` and the
start-here dashboard show; the store survives concurrent writers and says clearly when it is
damaged or locked."""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from grading_helpers import PS31_RIGHT
from labharness import running_lab, scratch_course

from advpy.course.kernel_client import SteadyNotebookClient
from advpy.course.paths import CoursePaths
from advpy.course.scratch import with_answers
from advpy.progress import (
    STORE_ENV,
    VIA_CHECK,
    VIA_VALIDATE,
    CheckRecord,
    ProgressError,
    assignment_id,
    history,
    latest,
    now,
    record,
)


def advpy(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advpy.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, STORE_ENV: str(store)},
    )


def a_record(assignment: str = "ps31_two_sum", earned: float = 7.0) -> CheckRecord:
    return CheckRecord(assignment, earned, 10.0, 3, 4, now(), f"/course/{assignment}.ipynb")


def everything_shown(notebook: nbformat.NotebookNode) -> str:
    """All text a notebook's code cells showed: printed, displayed or returned."""
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            elif output.output_type in ("display_data", "execute_result"):
                texts += [output.data.get("text/markdown", ""), output.data.get("text/plain", "")]
    return "\n".join(texts)


# --- two real self-checks, recorded ---------------------------------------------------------


@pytest.fixture(scope="module")
def checked(paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding three real ``advpy check`` runs: the blank ps31, then the reference
    ps31 (the instructor's notebook, solution and hidden tests included), then the blank ps33."""
    scratch = tmp_path_factory.mktemp("checks")
    store = scratch / "store" / "progress.sqlite3"
    blank = scratch / "blank"
    reference = scratch / "reference"
    blank.mkdir()
    reference.mkdir()
    shutil.copy(paths.exercises / "ps31_two_sum.ipynb", blank)
    shutil.copy(paths.exercises / "ps33_merge_intervals.ipynb", blank)
    shutil.copy(paths.source / "ps31_two_sum" / "ps31_two_sum.ipynb", reference)
    for notebook, summary in [
        (blank / "ps31_two_sum.ipynb", "0 of 4 checks passed: 0/10 points"),
        (reference / "ps31_two_sum.ipynb", "4 of 4 checks passed: 10/10 points"),
        (blank / "ps33_merge_intervals.ipynb", "0 of 4 checks passed: 0/10 points"),
    ]:
        done = advpy(store, "check", str(notebook))
        assert summary in done.stdout, done.stdout + done.stderr
        assert f"Recorded in {store}" in done.stdout
        assert done.stderr.strip() == "" or "not recorded" not in done.stderr
    return store


@pytest.mark.slow
def test_each_check_is_recorded_with_its_points(checked: Path) -> None:
    rows = history(checked)
    assert [(r.assignment, r.earned, r.possible, r.passed, r.total) for r in rows] == [
        ("ps31_two_sum", 0.0, 10.0, 0, 4),
        ("ps31_two_sum", 10.0, 10.0, 4, 4),
        ("ps33_merge_intervals", 0.0, 10.0, 0, 4),
    ]
    assert all(r.via == VIA_CHECK for r in rows)
    assert rows[1].notebook.endswith("reference/ps31_two_sum.ipynb")
    assert latest(checked)["ps31_two_sum"].earned == 10.0  # the last check counts


@pytest.mark.slow
def test_advpy_progress_lists_every_set_in_course_order(checked: Path, paths: CoursePaths) -> None:
    done = advpy(checked, "progress")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    ps31 = next(line for line in lines if line.startswith("ps31_two_sum "))
    ps33 = next(line for line in lines if line.startswith("ps33_merge_intervals "))
    assert "10/10 points, 4 of 4 checks" in ps31 and "(advpy check)" in ps31
    assert "0/10 points, 0 of 4 checks" in ps33
    sets = sorted(m.stem for m in paths.solutions.glob("ps[0-9][0-9]_*.py"))
    listed = [line.split()[0] for line in lines if line.split() and line.split()[0] in sets]
    assert listed == sets, "not every set, or not in course order"
    assert next(line for line in lines if line.startswith("ps32_lru_cache ")).endswith(
        "not checked yet"
    )
    assert "Total: 2 of" in done.stdout
    assert "10/20 points and 4 of 8 checks passed in them" in done.stdout


@pytest.mark.slow
def test_the_start_here_dashboard_shows_the_recorded_checks(
    checked: Path, paths: CoursePaths, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert os.environ.get("ADVPY_FAST") == "1"
    monkeypatch.setenv(STORE_ENV, str(checked))  # the kernel inherits it
    notebook = nbformat.read(paths.notebooks / "00_start_here.ipynb", as_version=4)
    SteadyNotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(paths.notebooks)}},
    ).execute()
    shown = everything_shown(notebook)
    assert f"Your self-check results are kept in {checked}" in shown
    assert "[ps31_two_sum](exercises/ps31_two_sum.ipynb)" in shown  # the course map
    assert "[The GIL" in shown and "(01_gil.ipynb)" in shown
    table = [line for line in shown.splitlines() if line.startswith(("ps31_two_sum ", "ps33_"))]
    assert len(table) == 2, shown
    assert "10/10 points, 4 of 4 checks" in table[0]
    assert "0/10 points, 0 of 4 checks" in table[1]
    pictures = [
        o.data["image/png"]
        for cell in notebook.cells
        for o in cell.get("outputs", [])
        if o.output_type == "display_data" and "image/png" in o.data
    ]
    assert len(pictures) == 1, "the dashboard drew no picture"
    picture = base64.b64decode(pictures[0])
    assert picture.startswith(b"\x89PNG")
    (artifacts / "start_here_dashboard.png").write_bytes(picture)


# --- the store itself ------------------------------------------------------------------------


def test_reading_a_missing_store_finds_nothing_and_creates_nothing(tmp_path: Path) -> None:
    store = tmp_path / "none" / "progress.sqlite3"
    assert latest(store) == {}
    assert not store.exists() and not store.parent.exists()


def test_the_schema_is_versioned(tmp_path: Path) -> None:
    store = record(a_record(), tmp_path / "p.sqlite3")
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(ProgressError, match="newer version of the course"):
        latest(store)
    with pytest.raises(ProgressError, match="newer version of the course"):
        record(a_record(), store)


@pytest.mark.parametrize(
    "content",
    [b"this is not a database, just text " * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_damaged_store_gives_a_clear_error(tmp_path: Path, content: bytes) -> None:
    store = tmp_path / "progress.sqlite3"
    store.write_bytes(content)
    for attempt in (lambda: latest(store), lambda: record(a_record(), store)):
        with pytest.raises(ProgressError) as caught:
            attempt()
        message = str(caught.value)
        assert str(store) in message and "move the file aside" in message
    assert store.read_bytes() == content, "the damaged file was changed"
    done = advpy(store, "progress")
    assert done.returncode == 2
    assert "advpy progress:" in done.stderr and "damaged" in done.stderr
    assert "Traceback" not in done.stderr


def test_another_sqlite_database_is_not_taken_for_a_store(tmp_path: Path) -> None:
    store = tmp_path / "other.sqlite3"
    with sqlite3.connect(store) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(ProgressError, match="not a progress store"):
        record(a_record(), store)


def test_a_locked_store_gives_a_clear_error(tmp_path: Path) -> None:
    store = record(a_record(), tmp_path / "p.sqlite3")
    holder = sqlite3.connect(store, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(ProgressError, match="locked by another program"):
            record(a_record(earned=9), store, timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [r.earned for r in history(store)] == [7.0]


@pytest.mark.slow
def test_a_damaged_store_never_hides_the_checks_result(paths: CoursePaths, tmp_path: Path) -> None:
    store = tmp_path / "progress.sqlite3"
    store.write_text("garbage " * 500)
    notebook = tmp_path / "ps31_two_sum.ipynb"
    learner = nbformat.read(paths.exercises / "ps31_two_sum.ipynb", as_version=4)
    nbformat.write(with_answers(learner, {"find_pairs_answer": PS31_RIGHT}), notebook)
    done = advpy(store, "check", str(notebook))
    assert done.returncode == 0, "a store problem changed the check's own verdict"
    assert "4 of 4 checks passed: 10/10 points" in done.stdout
    assert "the result above was not recorded" in done.stderr
    assert "move the file aside" in done.stderr and "Traceback" not in done.stderr


_WRITER = """
import sys
from pathlib import Path
from advpy.progress import CheckRecord, now, record
go, store, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
while not go.exists():
    pass
for i in range(40):
    record(CheckRecord(name, i % 11, 10 + i % 11, 0, 4, now(), f"/{name}/{i}.ipynb"), store)
"""


def test_two_processes_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    store, go = tmp_path / "fresh" / "progress.sqlite3", tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(go), str(store), name], stderr=subprocess.PIPE
        )
        for name in ("writer_a", "writer_b")
    ]
    go.touch()  # both start writing to a store that does not exist yet
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors.decode()
    rows = history(store)
    assert len(rows) == 80
    for name in ("writer_a", "writer_b"):
        mine = [r.notebook for r in rows if r.assignment == name]
        assert mine == [f"/{name}/{i}.ipynb" for i in range(40)], "lost or reordered records"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("notebooks/exercises/ps31_two_sum.ipynb", "ps31_two_sum"),
        ("Downloads/ps31_two_sum-Copy1.ipynb", "ps31_two_sum"),
        ("submitted/ana/ps33_merge_intervals/answer.ipynb", "ps33_merge_intervals"),
        ("scratch/my_notes.ipynb", "my_notes"),
    ],
)
def test_a_notebook_is_recorded_under_its_set(path: str, expected: str) -> None:
    assert assignment_id(Path(path)) == expected


def test_bad_records_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 10"):
        CheckRecord("ps31_two_sum", 11, 10, 4, 4, now(), "x.ipynb")
    with pytest.raises(ValueError, match="assignment"):
        CheckRecord("", 1, 10, 1, 4, now(), "x.ipynb")


def test_progress_with_nothing_recorded(tmp_path: Path) -> None:
    store = tmp_path / "progress.sqlite3"
    done = advpy(store, "progress")
    assert done.returncode == 0, done.stderr
    assert "ps31_two_sum" in done.stdout and "not checked yet" in done.stdout
    assert "Nothing checked yet" in done.stdout
    assert not store.exists()


# --- Validate in the course's JupyterLab ------------------------------------------------------


def validate(server, path: str) -> dict:
    request = urllib.request.Request(
        f"{server.base}/assignments/validate",
        data=urllib.parse.urlencode({"path": path}).encode(),
        method="POST",
        headers={"Authorization": f"token {server.token}"},
    )
    with urllib.request.urlopen(request, timeout=300) as answer:
        return json.loads(answer.read())


@pytest.mark.slow
def test_validate_in_the_course_lab_records_too(
    paths: CoursePaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = scratch_course(paths, tmp_path / "course")
    right = with_answers(
        nbformat.read(course.exercises / "ps31_two_sum.ipynb", as_version=4),
        {"find_pairs_answer": PS31_RIGHT},
    )
    nbformat.write(right, course.exercises / "ps31_two_sum.ipynb")
    store = tmp_path / "store" / "progress.sqlite3"
    monkeypatch.setenv(STORE_ENV, str(store))  # the server and its kernels inherit it
    with running_lab(course, tmp_path / "home") as server:
        answer = validate(server, "exercises/ps31_two_sum.ipynb")
        assert answer["success"] is True and "failed" not in answer["value"], answer
        blank = validate(server, "exercises/ps33_merge_intervals.ipynb")
        assert blank["success"] is True and len(blank["value"]["failed"]) == 4
        rows = history(store)
        assert [(r.assignment, r.earned, r.passed, r.via) for r in rows] == [
            ("ps31_two_sum", 10.0, 4, VIA_VALIDATE),
            ("ps33_merge_intervals", 0.0, 0, VIA_VALIDATE),
        ]
        assert rows[0].notebook == str((course.exercises / "ps31_two_sum.ipynb").resolve())
        # A damaged store: Validate answers exactly as before, and the log says why.
        store.write_text("garbage " * 500)
        again = validate(server, "exercises/ps31_two_sum.ipynb")
        assert again == answer
        assert "was not recorded in your progress" in server.log_tail(200)
