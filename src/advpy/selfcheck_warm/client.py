"""``advpy check``'s side of the warm self-check: ask this user's warm server, or check the cold
way (and start the server for the next check).

Importing this module loads only the standard library and :mod:`advpy.selfcheck`'s light parts:
the point is not to pay for nbformat, nbclient and a kernel in every ``advpy check``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from advpy.course.nbgrader_settings import CELL_TIMEOUT
from advpy.course.scoring import CellResult
from advpy.selfcheck import CheckError, run_checks
from advpy.selfcheck_warm.wire import (
    CHECK_SOCKET,
    LOCK_FILE,
    LOG_FILE,
    PID_FILE,
    WireError,
    cold_requested,
    connect,
    identity,
    server_dir,
    supported,
)

SERVER_MODULE = "advpy.selfcheck_warm.server"
#: The server's log is started afresh when it grows past this many bytes.
MAX_LOG = 1_000_000


def check_notebook(path: Path, timeout: int = CELL_TIMEOUT, cold: bool = False) -> list[CellResult]:
    """The results of the notebook's test cells, exactly as :func:`advpy.selfcheck.run_checks`
    gives them, from the warm server when one is running in this setting; otherwise from a
    fresh kernel, starting a warm server for the next check. ``cold`` (or
    ``$ADVPY_CHECK_COLD``) always uses a fresh kernel and leaves any server alone.

    Raises :class:`advpy.selfcheck.CheckError` as ``run_checks`` does.
    """
    if cold or cold_requested() or not supported():
        return run_checks(path, timeout)
    folder = server_dir()
    if folder is None:
        return run_checks(path, timeout)
    reply = ask(folder, path, timeout)
    if reply is None or "stale" in reply:
        if reply is not None or not server_running(folder):
            start_server(folder)
        return run_checks(path, timeout)
    if "results" in reply:
        return [CellResult(**fields) for fields in reply["results"]]
    if "error" in reply:
        raise CheckError(str(reply["error"]))
    return run_checks(path, timeout)


def ask(folder: Path, path: Path, timeout: int) -> dict[str, Any] | None:
    """The warm server's reply to a check of ``path``: its results or error, ``{"stale": why}``
    when it runs in another setting (it then stops), or ``None`` when none answers (none runs,
    it is starting, or it failed)."""
    try:
        cwd = os.getcwd()
        channel = connect(folder / CHECK_SOCKET, timeout=2.0)
    except OSError:
        return None
    umask = os.umask(0)
    os.umask(umask)
    request = {
        "op": "check",
        "identity": identity(),
        "path": str(path),
        "cwd": cwd,
        "env": dict(os.environ),
        "umask": umask,
        "timeout": timeout,
    }
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        channel.send(request, [1, 2])
        reply, fds = channel.receive()
    except (OSError, WireError):
        return None
    finally:
        channel.close()
    for fd in fds:
        os.close(fd)
    if "results" in reply or "error" in reply or "stale" in reply:
        return reply
    return None


def server_running(folder: Path) -> bool:
    """True when a warm server (ready or starting) holds ``folder``'s lock."""
    import fcntl

    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def start_server(folder: Path) -> None:
    """Start a warm server in the background (it waits for a stopping one to let go)."""
    log_path = folder / LOG_FILE
    try:
        if log_path.exists() and log_path.stat().st_size > MAX_LOG:
            log_path.unlink()
        log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        # It forks the server and returns at once, so the server is no child of this process.
        subprocess.run(
            [sys.executable, "-m", SERVER_MODULE, str(folder), "--detach"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            cwd=folder,
            start_new_session=True,
            close_fds=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        os.close(log)


def ping(folder: Path) -> dict[str, Any] | None:
    """The ready server's answer to a ping (its pids), or ``None``."""
    try:
        channel = connect(folder / CHECK_SOCKET, timeout=2.0)
    except OSError:
        return None
    try:
        channel.send({"op": "ping"})
        reply, _ = channel.receive()
    except (OSError, WireError):
        return None
    finally:
        channel.close()
    return reply


def ensure_server(folder: Path, wait: float = 60.0) -> dict[str, Any]:
    """Start a warm server unless one runs, and wait until it answers; its ping reply.

    Raises :class:`TimeoutError` when it is not ready within ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    started = False
    while time.monotonic() < deadline:
        reply = ping(folder)
        if reply is not None:
            return reply
        if not started and not server_running(folder):
            start_server(folder)
            started = True
        time.sleep(0.05)
    raise TimeoutError(f"no warm self-check server in {folder} after {wait:g} s")


def stop_server(folder: Path, wait: float = 15.0) -> None:
    """Ask the warm server to stop and wait until it has."""
    try:
        channel = connect(folder / CHECK_SOCKET, timeout=2.0)
        try:
            channel.send({"op": "stop"})
            channel.receive()
        finally:
            channel.close()
    except (OSError, WireError):
        pass
    deadline = time.monotonic() + wait
    while server_running(folder) and time.monotonic() < deadline:
        time.sleep(0.05)


def server_pids(folder: Path) -> tuple[int, int] | None:
    """The pids of the running server's kernel template and dispatcher, from its pid file."""
    try:
        template, dispatcher = (folder / PID_FILE).read_text().split()
        return int(template), int(dispatcher)
    except (OSError, ValueError):
        return None
