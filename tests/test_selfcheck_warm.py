"""The warm ``advpy check``: the same results as the cold path, cell by cell, on reference
solutions and wrong answers; no state carried from one check to the next; a killed, stale or
outdated server replaced; the same failure report for a notebook that hangs or kills its kernel.

One warm server serves this module (in a private temporary folder); the tests that replace it
start their own.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from corpus import corpus_answers
from grading_helpers import PS31_RIGHT, source_answers

from advpy.course.paths import course_paths, exercise_masters
from advpy.course.scratch import solution_cell_ids, with_answers
from advpy.progress import history
from advpy.selfcheck import CheckError, run_checks
from advpy.selfcheck_warm import client
from advpy.selfcheck_warm.wire import COLD_ENV, DIR_ENV, peer_is_me, server_dir

PATHS = course_paths()
SETS = [m.stem for m in exercise_masters(PATHS)]
#: Wrong answers that fail the visible checks for a reason that does not depend on timing.
WRONG = {
    "ps31_two_sum": "wrong_swapped",
    "ps33_merge_intervals": "wrong_no_max",
    "ps35_longest_substring": "wrong_off_by_one",
    "ps38_validate_bst": "wrong_children_only",
    "ps03_generators_async": "wrong_always_equal",
    "ps05_decorators": "wrong_retry_async_not_awaited",
}


def _private_folder() -> Path:
    # Short, so that the socket paths fit in sun_path whatever the temporary folder is.
    folder = Path(tempfile.mkdtemp(prefix="acw-", dir="/tmp"))
    folder.chmod(0o700)
    return folder


@pytest.fixture(scope="module", autouse=True)
def _warm_allowed() -> Iterator[None]:
    """The suite checks the cold way (conftest.py); this module may use warm servers."""
    cold = os.environ.pop(COLD_ENV, None)
    yield
    if cold is not None:
        os.environ[COLD_ENV] = cold


@pytest.fixture(scope="module")
def server() -> Iterator[Path]:
    """A warm server in a private folder of its own, ready, stopped at the end."""
    folder = _private_folder()
    before = os.environ.get(DIR_ENV)
    os.environ[DIR_ENV] = str(folder)
    try:
        client.ensure_server(folder)
        yield folder
    finally:
        client.stop_server(folder)
        if before is None:
            os.environ.pop(DIR_ENV, None)
        else:
            os.environ[DIR_ENV] = before
        shutil.rmtree(folder, ignore_errors=True)


def notebook_with(assignment: str, answers: dict[str, str] | None, folder: Path) -> Path:
    """The learner's notebook of ``assignment`` with the given answer cells, in ``folder``."""
    notebook = nbformat.read(PATHS.exercises / f"{assignment}.ipynb", as_version=4)
    if answers:
        notebook = with_answers(notebook, answers)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{assignment}.ipynb"
    nbformat.write(notebook, target)
    return target


def answers_of(assignment: str, name: str) -> dict[str, str]:
    """The answer cells of the reference solution or of a corpus answer."""
    reference = source_answers(assignment)
    if name == "reference":
        return reference
    blank = nbformat.read(PATHS.exercises / f"{assignment}.ipynb", as_version=4)
    (answer,) = [a for a in corpus_answers(assignment) if a.name == name]
    return answer.cells(solution_cell_ids(blank), reference)


def warm_reply(folder: Path, path: Path, timeout: int = 120) -> dict:
    """The server's own reply (not a cold fallback), with the kernel it forked."""
    reply = client.ask(folder, path, timeout)
    assert reply is not None, "the warm server did not answer"
    assert reply.get("forked") is True, f"the kernel was not forked: {reply}"
    return reply


def warm_results(folder: Path, path: Path, timeout: int = 120) -> list:
    reply = warm_reply(folder, path, timeout)
    assert "results" in reply, reply
    return [client.CellResult(**fields) for fields in reply["results"]]


def _cases() -> list[tuple[str, str]]:
    return [(s, "reference") for s in SETS] + sorted(WRONG.items())


@pytest.mark.slow
@pytest.mark.parametrize(("exercise", "answer"), _cases())
def test_warm_results_equal_cold_results(
    server: Path, tmp_path: Path, exercise: str, answer: str
) -> None:
    path = notebook_with(exercise, answers_of(exercise, answer), tmp_path)
    warm = warm_results(server, path)
    cold = run_checks(path)
    assert [r.grade_id for r in warm] == [r.grade_id for r in cold]
    for w, c in zip(warm, cold, strict=True):
        assert w == c, f"{exercise} {answer}: {c.grade_id} warm {w} cold {c}"
    if answer == "reference":
        assert all(r.passed for r in warm), warm
    else:
        assert not all(r.passed for r in warm), warm


def test_the_cli_prints_and_records_the_same_warm_and_cold(server: Path, tmp_path: Path) -> None:
    swapped = PS31_RIGHT.replace("(target - n, n)", "(n, target - n)")
    path = notebook_with("ps31_two_sum", {"find_pairs_answer": swapped}, tmp_path)
    warm_reply(server, path)  # the server is up and forks kernels in this setting
    runs = {}
    for mode in ("warm", "cold"):
        before = _checks_answered(server)
        command = [sys.executable, "-m", "advpy.cli", "check", str(path)]
        runs[mode] = subprocess.run(
            command + (["--cold"] if mode == "cold" else []),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert _checks_answered(server) == before + (mode == "warm"), mode
    warm, cold = runs["warm"], runs["cold"]
    assert warm.returncode == cold.returncode == 1
    assert warm.stdout == cold.stdout
    assert warm.stderr == cold.stderr
    assert "1 of 4 checks passed: 3/10 points" in warm.stdout
    assert "Recorded in" in warm.stdout
    # The suite's own store (conftest.py), shared by its processes: this notebook's rows.
    warm_row, cold_row = [r for r in history() if r.notebook == str(path.resolve())]
    assert replace(warm_row, checked_at=cold_row.checked_at) == cold_row
    assert (warm_row.earned, warm_row.possible, warm_row.passed) == (3, 10, 1)


def test_a_check_leaves_nothing_for_the_next(server: Path, tmp_path: Path) -> None:
    first = _notebook(
        tmp_path / "first",
        [
            "import builtins, json, os, sys, threading, time\n"
            "builtins.LEFT_BEHIND = 1\n"
            "json.LEFT_BEHIND = 1\n"
            "os.environ['LEFT_BEHIND'] = '1'\n"
            "sys.modules['left_behind'] = json\n"
            "sys.path.append('/left/behind')\n"
            "threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
            "open('kernel.pid', 'w').write(str(os.getpid()))\n"
            "os.chdir('/')",
        ],
        "assert True, 'first'",
    )
    second = _notebook(
        tmp_path / "second",
        [
            "import builtins, json, os, sys, threading\n"
            "pid = int(open('../first/kernel.pid').read())"
        ],
        "assert not hasattr(builtins, 'LEFT_BEHIND'), 'a builtin survived'\n"
        "assert not hasattr(json, 'LEFT_BEHIND'), 'a module attribute survived'\n"
        "assert 'LEFT_BEHIND' not in os.environ, 'an environment variable survived'\n"
        "assert 'left_behind' not in sys.modules, 'a module survived'\n"
        "assert '/left/behind' not in sys.path, 'sys.path kept an entry'\n"
        "assert not [t for t in threading.enumerate() if 'sleep' in t.name], 'a thread survived'\n"
        "assert os.getpid() != pid, 'the same process ran both checks'\n"
        "assert os.path.basename(os.getcwd()) == 'second', 'the working folder leaked'",
    )
    assert all(r.passed for r in warm_results(server, first))
    results = warm_results(server, second)
    assert all(r.passed for r in results), results
    first_kernel = int((tmp_path / "first" / "kernel.pid").read_text())
    _wait_for(lambda: not _alive(first_kernel), 15, "the first check's kernel still runs")


def test_a_hanging_notebook_times_out_as_in_the_cold_path(server: Path, tmp_path: Path) -> None:
    path = _notebook(tmp_path, ["import time\ntime.sleep(60)"], "assert True")
    reply = warm_reply(server, path, timeout=2)
    with pytest.raises(CheckError) as cold:
        run_checks(path, timeout=2)
    assert reply["error"] == str(cold.value)
    assert "timed out" in reply["error"]


def test_a_notebook_that_kills_its_kernel_fails_as_in_the_cold_path(
    server: Path, tmp_path: Path
) -> None:
    path = _notebook(tmp_path, ["import os\nos._exit(3)"], "assert True")
    reply = warm_reply(server, path)
    with pytest.raises(CheckError) as cold:
        run_checks(path)
    assert reply["error"] == str(cold.value)
    assert "the kernel stopped while running" in reply["error"]


@pytest.mark.parametrize("make", [lambda d: d / "missing.ipynb", lambda d: d])
def test_bad_input_gets_the_cold_paths_message(server: Path, tmp_path: Path, make) -> None:
    path = make(tmp_path)
    reply = client.ask(server, path, 120)
    assert reply is not None and "error" in reply, reply
    with pytest.raises(CheckError) as cold:
        run_checks(path)
    assert reply["error"] == str(cold.value)


def test_a_check_whose_client_goes_away_stops_its_kernel(server: Path, tmp_path: Path) -> None:
    path = _notebook(
        tmp_path,
        ["import os\nopen('kernel.pid', 'w').write(str(os.getpid()))\nimport time\ntime.sleep(60)"],
        "assert True",
    )
    check = subprocess.Popen(
        [sys.executable, "-m", "advpy.cli", "check", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pid_file = tmp_path / "kernel.pid"
    _wait_for(lambda: pid_file.exists() and pid_file.read_text(), 60, "the kernel never started")
    kernel = int(pid_file.read_text())
    check.send_signal(signal.SIGKILL)
    check.wait()
    _wait_for(lambda: not _alive(kernel), 15, "the kernel outlived its check")


def test_a_killed_server_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _own_server(monkeypatch)
    try:
        pids = client.server_pids(folder)
        assert pids is not None
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        _wait_for(lambda: not any(map(_alive, pids)), 15, "the killed server still runs")
        path = notebook_with("ps31_two_sum", {"find_pairs_answer": PS31_RIGHT}, tmp_path)
        results = client.check_notebook(path)  # answered the cold way; starts a new server
        assert all(r.passed for r in results)
        replaced = client.ensure_server(folder)
        assert (replaced["template"], replaced["pid"]) != pids
        assert all(r.passed for r in warm_results(folder, path))
    finally:
        _remove_server(folder)


def test_a_server_from_another_setting_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _own_server(monkeypatch)
    try:
        first = client.ensure_server(folder)
        path = notebook_with("ps31_two_sum", {"find_pairs_answer": PS31_RIGHT}, tmp_path)
        monkeypatch.setenv("ADVPY_SOME_SETTING", "changed")  # as after an upgrade or a new shell
        reply = client.ask(folder, path, 120)
        assert reply is not None and "another setting" in reply["stale"]
        _wait_for(lambda: not client.server_running(folder), 15, "the stale server holds on")
        assert all(r.passed for r in client.check_notebook(path))
        second = client.ensure_server(folder)
        assert second["pid"] != first["pid"]
        results = warm_results(folder, path)
        assert all(r.passed for r in results)
    finally:
        _remove_server(folder)


def test_a_stopping_server_lets_running_checks_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _own_server(monkeypatch)
    try:
        path = _notebook(
            tmp_path,
            ["open('started', 'w').close()\nimport time\ntime.sleep(3)"],
            "assert True",
        )
        replies: list = []
        running = threading.Thread(target=lambda: replies.append(client.ask(folder, path, 120)))
        running.start()
        _wait_for((tmp_path / "started").exists, 60, "the first check never started")
        monkeypatch.setenv("ADVPY_SOME_SETTING", "changed")
        stale = client.ask(folder, path, 120)
        assert stale is not None and "stale" in stale
        running.join(60)
        assert replies and replies[0] is not None, "the running check was cut short"
        assert replies[0].get("results") and replies[0]["results"][0]["earned"] == 1.0
        _wait_for(lambda: not client.server_running(folder), 15, "the stale server runs on")
    finally:
        _remove_server(folder)


def test_a_server_whose_code_changed_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "site"
    extra.mkdir()
    entries = [e for e in os.environ.get("PYTHONPATH", "").split(os.pathsep) if e]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([*entries, str(extra)]))
    folder = _own_server(monkeypatch)
    try:
        path = notebook_with("ps31_two_sum", {"find_pairs_answer": PS31_RIGHT}, tmp_path)
        assert all(r.passed for r in warm_results(folder, path))
        (extra / "new_package.py").write_text("")  # a package installed while the server runs
        reply = client.ask(folder, path, 120)
        assert reply is not None and "code changed" in reply["stale"]
    finally:
        _remove_server(folder)


def test_an_idle_server_stops_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVPY_CHECK_IDLE", "1")
    folder = _own_server(monkeypatch)
    try:
        _wait_for(lambda: not client.server_running(folder), 30, "the idle server runs on")
        assert not (folder / "check.sock").exists()
        assert not (folder / "kernel.sock").exists()
    finally:
        _remove_server(folder)


def test_cold_is_used_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _private_folder()
    monkeypatch.setenv(DIR_ENV, str(folder))
    monkeypatch.setenv(COLD_ENV, "1")
    path = notebook_with("ps31_two_sum", {"find_pairs_answer": PS31_RIGHT}, tmp_path)
    assert all(r.passed for r in client.check_notebook(path))
    assert not client.server_running(folder), "a cold check started a server"
    assert not (folder / "check.sock").exists()
    shutil.rmtree(folder, ignore_errors=True)


def test_the_client_loads_no_notebook_machinery() -> None:
    code = (
        "import sys, advpy.cli\n"
        "from advpy.selfcheck_warm.client import check_notebook\n"
        "from advpy.selfcheck import format_report, record_check\n"
        "heavy = ('nbformat', 'nbclient', 'jupyter_client', 'IPython', 'nbgrader', 'zmq')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_only_a_private_folder_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    monkeypatch.setenv(DIR_ENV, str(shared))
    assert server_dir() is None
    shared.chmod(0o700)
    assert server_dir() == shared
    link = tmp_path / "link"
    link.symlink_to(shared)
    monkeypatch.setenv(DIR_ENV, str(link))
    assert server_dir() is None
    if os.geteuid() == 0:
        os.chown(shared, 65534, 65534)
        monkeypatch.setenv(DIR_ENV, str(shared))
        assert server_dir() is None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a second user: run as root")
def test_another_users_connection_is_told_apart() -> None:
    folder = Path(tempfile.mkdtemp(prefix="acw-open-", dir="/tmp"))
    folder.chmod(0o755)  # open to everyone, unlike a server's folder
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(folder / "s"))
    os.chmod(folder / "s", 0o777)
    listener.listen(1)
    listener.settimeout(30)
    pid = os.fork()
    if pid == 0:  # a process of another user connects
        try:
            os.setgid(65534)
            os.setuid(65534)
            other = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            other.connect(str(folder / "s"))
            other.recv(1)
        finally:
            os._exit(0)
    connection, _ = listener.accept()
    assert not peer_is_me(connection)
    connection.close()
    os.waitpid(pid, 0)
    mine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mine.connect(str(folder / "s"))
    connection, _ = listener.accept()
    assert peer_is_me(connection)
    for sock in (connection, mine, listener):
        sock.close()
    shutil.rmtree(folder, ignore_errors=True)


def _notebook(folder: Path, cells: list[str], test: str) -> Path:
    """A small exercise notebook: plain cells, then one graded test cell."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    graded = nbformat.v4.new_code_cell(test)
    graded.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "check",
        "locked": True,
        "points": 1,
        "schema_version": 3,
        "solution": False,
    }
    notebook.cells.append(graded)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ps99_probe.ipynb"
    nbformat.write(notebook, path)
    return path


def _remove_server(folder: Path) -> None:
    client.stop_server(folder)
    shutil.rmtree(folder, ignore_errors=True)


def _own_server(monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = _private_folder()
    monkeypatch.setenv(DIR_ENV, str(folder))
    client.ensure_server(folder)
    return folder


def _checks_answered(folder: Path) -> int:
    reply = client.ping(folder)
    assert reply is not None
    return int(reply["checks"])


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _wait_for(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(message)
