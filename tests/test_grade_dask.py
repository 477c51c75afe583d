"""``advpy grade`` on a Dask distributed cluster: a ``LocalCluster`` of two worker processes on
loopback, and a scheduler and two workers started with the ``dask scheduler`` / ``dask worker``
commands as processes of their own. Scores equal those of the local workers cell by cell, grades
land once in the gradebook of the machine running the command, an assignment's file reaches the
notebook with the task (no shared folder is read), a worker killed mid-notebook loses nothing,
no grading sandbox is left on the workers, a run the cluster loses is graded by the next run,
and bad input gets a clear error at once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from grading_helpers import PS31_RIGHT, TIMING, error_text, source_answers

from advpy.course.paths import CoursePaths
from advpy.course.scratch import (
    CellScore,
    make_scratch_course,
    read_scores,
    solution_cell_ids,
    student_notebook,
    submit,
    with_answers,
)
from advpy.grade import runner
from advpy.grade.cluster import ClusterUnavailable, carry, require_distributed
from advpy.grade.executor import LocalPool, NotebookJob, NotebookRun, RunLost
from advpy.grade.runner import JOURNAL_NAME, GradeOptions, grade_assignment
from advpy.grade.sandbox import find_bwrap

ASSIGNMENT = "ps31_two_sum"
CORPUS = Path(__file__).resolve().parent / "corpus" / ASSIGNMENT
DASK = Path(sys.executable).parent / "dask"
#: A file the assignment ships beside its notebook (in ``source/``).
SHIPPED = "hint.txt"
#: A right answer that takes a while (so a worker can be killed while it runs) and reads the
#: assignment's file, which reaches the notebook only inside the task.
SLOW_RIGHT = (
    "import pathlib, time\n"
    "time.sleep(2)\n"
    f"assert pathlib.Path({SHIPPED!r}).read_text() == 'shipped', 'no file from the assignment'\n"
    + PS31_RIGHT
)
STUDENTS = ("reference", "blank", "wrong_self_pair", "slow_right")


@pytest.fixture(scope="module")
def small_class(paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four submissions of ps31, not yet graded: right, blank, wrong, and slow but right."""
    find_bwrap()
    course = make_scratch_course(paths, [ASSIGNMENT], tmp_path_factory.mktemp("dask") / "class")
    (course / "source" / ASSIGNMENT / SHIPPED).write_text("shipped")
    blank = student_notebook(course, ASSIGNMENT)
    answer = solution_cell_ids(blank)[0]
    submit(course, ASSIGNMENT, "reference", with_answers(blank, source_answers(ASSIGNMENT)))
    submit(course, ASSIGNMENT, "blank", blank)
    wrong = (CORPUS / "wrong_self_pair.py").read_text()
    submit(course, ASSIGNMENT, "wrong_self_pair", with_answers(blank, {answer: wrong}))
    submit(course, ASSIGNMENT, "slow_right", with_answers(blank, {answer: SLOW_RIGHT}))
    return course


def _copy(course: Path, destination: Path) -> Path:
    shutil.copytree(course, destination)
    return destination


@pytest.fixture(scope="module")
def local_run(small_class: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The class graded by the local workers, as without a cluster."""
    course = _copy(small_class, tmp_path_factory.mktemp("dask-local") / "class")
    summary = grade_assignment(GradeOptions(ASSIGNMENT, course, jobs=2))
    assert summary.graded == len(STUDENTS)
    return course


def _assert_same_scores(local: Path, cluster: Path) -> None:
    """Every cell's score equal, but for a growth-rate check timed on a loaded machine."""
    expected, got = read_scores(local, ASSIGNMENT), read_scores(cluster, ASSIGNMENT)
    assert sorted(got) == sorted(expected) == sorted(STUDENTS)
    differences = []
    for student, cells in expected.items():
        assert sorted(got[student]) == sorted(cells), student
        for grade_id, cell in cells.items():
            mine: CellScore = got[student][grade_id]
            if mine.score == cell.score:
                continue
            failing = local if mine.score > cell.score else cluster
            if not any(t in error_text(failing, ASSIGNMENT, student, grade_id) for t in TIMING):
                differences.append(f"{student} {grade_id}: local {cell.score}, dask {mine.score}")
    assert not differences, "\n".join(differences)
    # The slow answer read the assignment's file, which only the task could have brought.
    examples = got["slow_right"]["find_pairs_tests_examples"]
    assert examples.score == examples.max_score > 0


def _assert_recorded_once(course: Path) -> None:
    journal = course / "reports" / ASSIGNMENT / JOURNAL_NAME
    students = [json.loads(line)["student"] for line in journal.read_text().splitlines()]
    assert sorted(students) == sorted(STUDENTS), "each submission is journaled exactly once"


def _sandboxes_under(process: psutil.Process) -> list[int]:
    """The grading workers (sandboxed or forked from one) among ``process``'s descendants."""
    found = []
    for child in process.children(recursive=True):
        try:
            if "advpy.grade.worker" in " ".join(child.cmdline()):
                found.append(child.pid)
        except psutil.Error:
            continue
    return found


@pytest.mark.slow
def test_a_local_cluster_grades_as_the_local_workers_do(
    small_class: Path, local_run: Path, tmp_path: Path
) -> None:
    course = _copy(small_class, tmp_path / "class")
    summary = grade_assignment(GradeOptions(ASSIGNMENT, course, local_cluster=2))
    assert summary.graded == len(STUDENTS) and summary.lost == []
    _assert_same_scores(local_run, course)
    _assert_recorded_once(course)
    assert _sandboxes_under(psutil.Process()) == [], "a grading sandbox outlived the run"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def dask_processes(tmp_path: Path) -> Iterator[tuple[str, list[psutil.Process]]]:
    """A scheduler and two single-thread workers, each started by the ``dask`` command as a
    process of its own on loopback (workers without a nanny: one that dies stays dead, and
    its tasks must be run by the other): the scheduler's address, and the worker processes."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    host_port = address.removeprefix("tcp://")
    common = ["--no-dashboard"]
    worker = ["--nthreads", "1", "--no-nanny", "--host", "127.0.0.1"]
    started: list[subprocess.Popen[bytes]] = []
    log = open(tmp_path / "dask.log", "wb")  # noqa: SIM115
    try:
        started.append(
            subprocess.Popen(
                [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", host_port.split(":")[1]]
                + common,
                stdout=log,
                stderr=log,
            )
        )
        for _ in range(2):
            started.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, *worker, *common],
                    stdout=log,
                    stderr=log,
                )
            )
        _wait_for_workers(address, 2, tmp_path / "dask.log")
        yield address, [psutil.Process(p.pid) for p in started[1:]]
    finally:
        # The workers first (each says goodbye to the scheduler), then the scheduler.
        for process in reversed(started):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _wait_for_workers(address: str, count: int, log: Path) -> None:
    from distributed import Client

    deadline = time.monotonic() + 120
    while True:
        try:
            with Client(address, timeout=5, set_as_default=False) as client:
                client.wait_for_workers(count, timeout=max(1.0, deadline - time.monotonic()))
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the dask processes did not start:\n{log.read_text()}"
                ) from None
            time.sleep(0.2)


def _busy_worker(workers: list[psutil.Process]) -> psutil.Process | None:
    """A Dask worker process running a notebook right now: inside its sandbox (bubblewrap's
    processes aside), the warm grading worker has forked a notebook's process."""
    for worker in workers:
        pythons = 0
        for pid in _sandboxes_under(worker):
            try:
                pythons += not psutil.Process(pid).cmdline()[0].endswith("bwrap")
            except (psutil.Error, IndexError):
                continue
        if pythons >= 2:
            return worker
    return None


@pytest.mark.slow
def test_dask_commands_grade_as_the_local_workers_do_and_a_killed_worker_loses_nothing(
    small_class: Path,
    local_run: Path,
    tmp_path: Path,
    dask_processes: tuple[str, list[psutil.Process]],
) -> None:
    address, workers = dask_processes
    course = _copy(small_class, tmp_path / "class")
    with ThreadPoolExecutor(1) as grader:
        graded = grader.submit(
            grade_assignment, GradeOptions(ASSIGNMENT, course, scheduler=address)
        )
        killed = None
        deadline = time.monotonic() + 180
        while killed is None and not graded.done() and time.monotonic() < deadline:
            killed = _busy_worker(workers)
            if killed is not None:
                killed.kill()  # SIGKILL, in the middle of a notebook
            time.sleep(0.05)
        summary = graded.result(timeout=300)
    assert killed is not None, "no worker was seen running a notebook"
    assert summary.graded == len(STUDENTS) and summary.lost == [], summary.line()
    _assert_same_scores(local_run, course)
    _assert_recorded_once(course)
    # The warm sandboxes of the worker that lived were closed at the end of the run.
    living = [w for w in workers if w.pid != killed.pid]
    assert len(living) == 1 and living[0].is_running()
    assert _sandboxes_under(living[0]) == []


class _LosingPool(LocalPool):
    """The local pool, except that the run of ``lose``'s notebook is lost, as a cluster that
    went away would lose it."""

    def __init__(self, jobs: int, lose: str) -> None:
        super().__init__(jobs)
        self.lose = lose

    def submit(self, job: NotebookJob) -> Future[NotebookRun]:
        if job.student != self.lose:
            return super().submit(job)
        lost: Future[NotebookRun] = Future()
        lost.set_exception(RunLost("CancelledError: the scheduler went away"))
        return lost


@pytest.mark.slow
def test_a_run_the_cluster_loses_is_graded_by_the_next_run(
    small_class: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = _copy(small_class, tmp_path / "class")
    for student in ("wrong_self_pair", "slow_right"):  # two are enough here
        shutil.rmtree(course / "submitted" / student)
    with monkeypatch.context() as patch:
        patch.setattr(runner.ClassGrader, "_open_pool", lambda self: _LosingPool(1, "blank"))
        first = grade_assignment(GradeOptions(ASSIGNMENT, course))
    assert first.lost == ["blank"] and first.graded == 1
    assert "1 NOT graded" in first.line() and "run the command again" in first.line()
    assert "the scheduler went away" in first.line()
    assert "blank" not in read_scores(course, ASSIGNMENT)
    journal = (course / "reports" / ASSIGNMENT / JOURNAL_NAME).read_text()
    assert '"blank"' not in journal
    second = grade_assignment(GradeOptions(ASSIGNMENT, course, jobs=1))
    assert second.graded == 1 and second.skipped == 1 and second.lost == []
    assert sum(c.score for c in read_scores(course, ASSIGNMENT)["blank"].values()) == 0


def _advpy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advpy.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bad_cluster_arguments_are_refused_at_once_with_what_to_do() -> None:
    closed = _advpy("grade", ASSIGNMENT, "--scheduler", f"tcp://127.0.0.1:{_free_port()}")
    assert closed.returncode == 2
    assert "no Dask scheduler answers at tcp://127.0.0.1:" in closed.stderr
    assert "dask scheduler" in closed.stderr
    typo = _advpy("grade", ASSIGNMENT, "--scheduler", "127.0.0.1")
    assert typo.returncode == 2 and "expected tcp://HOST:PORT" in typo.stderr
    local = _advpy("grade", ASSIGNMENT, "--cluster", "local:many")
    assert local.returncode == 2 and "expected local:N" in local.stderr
    both = _advpy("grade", ASSIGNMENT, "--cluster", "local:2", "--scheduler", "tcp://h:1")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    jobs = _advpy("grade", ASSIGNMENT, "--cluster", "local:2", "--jobs", "3")
    assert jobs.returncode == 2 and "--nthreads" in jobs.stderr


def test_without_dask_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ClusterUnavailable, match="pip install .*dask distributed"):
        require_distributed()


def test_a_task_carries_regular_files_only(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_bytes(b"1,2\n")
    (tmp_path / "secret").write_text("the instructor's")
    (tmp_path / "link").symlink_to(tmp_path / "secret")
    os.mkfifo(tmp_path / "pipe")
    files = tuple((str(tmp_path / name), name) for name in ("data.csv", "link", "pipe"))
    assert carry(files) == (("data.csv", b"1,2\n"),)
    assert carry(((str(tmp_path / "data.csv"), "data.csv"),), budget=2) == ()
