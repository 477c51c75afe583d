"""What every service shares: a free port on loopback, a data folder, a server process behind a
watchdog, waiting until it is ready, its log, and stopping it however the notebook ends.

The shape of every service:

1. find the program (:mod:`advpy.services.programs`), or say what to install;
2. make a temporary data folder, which holds the server's log too;
3. pick a free port on 127.0.0.1 and start the server there behind the watchdog
   (:mod:`advpy.services.watchdog`); if another process took the port in the meantime (the log
   says "address already in use"), try again with another one;
4. wait until it answers its own protocol, within a timeout; if it exits or the time runs out,
   stop it and raise :class:`ServiceError` with its last log lines;
5. return a handle (a :class:`Service`) that is also a context manager.

A handle is stopped when its ``with`` block ends, by :meth:`Service.stop`, at interpreter exit
(``atexit``), and, when the process is killed, by its watchdog. Handles stay registered until
they are stopped, so a server started in one cell and used in the next is not collected.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from advpy.services.errors import ServiceError

#: Where every service listens: this machine only.
LOOPBACK = "127.0.0.1"
#: The file, in a server's data folder, that holds what it prints.
LOG_NAME = "server.log"
#: The program between the notebook and each server process.
WATCHDOG = Path(__file__).with_name("watchdog.py")
#: Starts that fail because another process took the port get this many tries in all.
PORT_TRIES = 3


def free_port(host: str = LOOPBACK) -> int:
    """A port nobody listens on now (the system picks it). Another process may take it before
    the server binds it; the services retry with another port when that happens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def port_is_open(port: int, host: str = LOOPBACK) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def make_data_dir(service: str) -> Path:
    """A new temporary folder for one server's data and log (mode 0700)."""
    return Path(tempfile.mkdtemp(prefix=f"advpy-{service}-"))


def tail(text: str, count: int) -> list[str]:
    """The last ``count`` non-empty lines of ``text``."""
    return [line for line in text.splitlines() if line.strip()][-count:]


# --------------------------------------------------------------------------------------------
# The registry: every handle not yet stopped, stopped at interpreter exit.

_LIVE: list[Service] = []
_LIVE_LOCK = threading.Lock()
_OWNER = os.getpid()


def _register(service: Service) -> None:
    with _LIVE_LOCK:
        _LIVE.append(service)


def _unregister(service: Service) -> None:
    with _LIVE_LOCK:
        if service in _LIVE:
            _LIVE.remove(service)


def running_services() -> list[Service]:
    """The handles started in this process and not stopped yet, oldest first."""
    with _LIVE_LOCK:
        return list(_LIVE)


def stop_all() -> None:
    """Stop every running service, the newest first (a gateway before what it proxies to)."""
    if os.getpid() != _OWNER:
        return  # a forked child inherited the list: the servers are its parent's
    for service in reversed(running_services()):
        try:
            service.stop()
        except Exception as error:  # one failure must not keep the others running
            print(f"advpy.services: stopping {service!r} failed: {error}", file=sys.stderr)


atexit.register(stop_all)


# --------------------------------------------------------------------------------------------
# A handle.


class Backend(Protocol):
    """What runs a server: a process behind a watchdog, or a thread of this process."""

    @property
    def data_dir(self) -> Path:
        """The server's temporary folder."""
        ...

    @property
    def pid(self) -> int | None:
        """The server's process id; None when it runs in this process."""
        ...

    @property
    def log_path(self) -> Path | None:
        """The file it logs to; None when it logs to memory."""
        ...

    def poll(self) -> int | None:
        """The server's exit status once it has ended on its own, else None."""
        ...

    def read_log(self) -> str:
        """Everything the server has logged so far."""
        ...

    def stop(self) -> None:
        """Stop the server and wait until it has (idempotent)."""
        ...

    def discard_data(self) -> None:
        """Remove the data folder, once the server is stopped."""
        ...


class Service:
    """A running server: where it listens, its data folder and its log; a context manager.

    Subclasses add what is natural for their protocol: a URL and a ready client.
    """

    #: What messages call this kind of server.
    kind = "service"

    def __init__(self, backend: Backend, *, host: str, port: int) -> None:
        self.backend = backend
        self.host = host
        self.port = port
        self._stopped = False
        self._final_log: str | None = None
        _register(self)

    @property
    def data_dir(self) -> Path:
        """The server's temporary folder: its data, its log, and room for the lesson's files."""
        return self.backend.data_dir

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)``, as ``socket.create_connection`` takes it."""
        return (self.host, self.port)

    @property
    def pid(self) -> int | None:
        """The server's process id (it leads the process group that holds its workers); None
        for a server that runs in a thread of this process."""
        return self.backend.pid

    @property
    def log_path(self) -> Path | None:
        """The file the server logs to (removed at stop); None when it logs to memory."""
        return self.backend.log_path

    @property
    def running(self) -> bool:
        """True until :meth:`stop`, or until the server ends on its own."""
        return not self._stopped and self.backend.poll() is None

    def log_text(self) -> str:
        """Everything the server has logged so far (kept after it stops)."""
        if self._final_log is not None:
            return self._final_log
        return self.backend.read_log()

    def last_log_lines(self, count: int = 20) -> list[str]:
        """The server's last ``count`` non-empty log lines."""
        return tail(self.log_text(), count)

    def stop(self) -> None:
        """Stop the server (idempotent): close the clients, stop it, remove its data folder."""
        if self._stopped:
            return
        self._stopped = True
        try:
            self._close_clients()
        finally:
            try:
                self.backend.stop()
            finally:
                self._final_log = self.backend.read_log()
                self.backend.discard_data()
                _unregister(self)

    def _close_clients(self) -> None:
        """Close the clients the handle made; nothing by default."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<{type(self).__name__} {self.host}:{self.port} {state}>"


# --------------------------------------------------------------------------------------------
# A server process behind its watchdog.


class ServerProcess:
    """One server program, started behind the watchdog, its output in ``log_path``.

    ``pid`` is the server's own process id (it leads its process group); ``exit_status`` is
    set once the watchdog reports that the server ended on its own.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        data_dir: Path,
        stop_signal: int = signal.SIGTERM,
        grace: float = 5.0,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        start_timeout: float = 10.0,
    ) -> None:
        self.command = list(command)
        self.data_dir = data_dir
        self.log_path = data_dir / LOG_NAME
        self.grace = grace
        self.exit_status: int | None = None
        self._buffer = b""
        self._stopped = False
        arguments = [
            sys.executable,
            "-I",  # isolated: no PYTHON* variables, no user site-packages
            "-S",  # no site module: the watchdog needs only the standard library
            str(WATCHDOG),
            "--stop-signal",
            str(int(stop_signal)),
            "--grace",
            str(grace),
            "--remove",
            str(data_dir),
            "--parent",
            str(os.getpid()),
        ]
        if threading.current_thread() is threading.main_thread():
            # The parent-death signal follows the thread that starts the watchdog: only the
            # main thread lives as long as the process (see the watchdog's docstring).
            arguments.append("--pdeathsig")
        arguments += ["--", *self.command]
        with open(self.log_path, "ab") as log:
            self._watchdog = subprocess.Popen(
                arguments,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=cwd or data_dir,
                env=dict(env) if env is not None else None,
                start_new_session=True,
            )
        first = self._next_report(start_timeout)
        if first is None or not first.startswith("pid "):
            self._watchdog.kill()
            self._close_pipes()
            reason = first.removeprefix("error ") if first else "no answer from its watchdog"
            raise ServiceError(
                f"could not start {self.command[0]}: {reason}", self.read_log_lines(), self.log_path
            )
        self.server_pid = int(first.split()[1])
        self.pid: int | None = self.server_pid

    @property
    def watchdog_pid(self) -> int:
        """The watchdog's process id."""
        return self._watchdog.pid

    def _next_report(self, timeout: float) -> str | None:
        """The watchdog's next line, waiting up to ``timeout`` seconds; None if none came."""
        deadline = time.monotonic() + timeout
        stdout = self._watchdog.stdout
        assert stdout is not None
        while b"\n" not in self._buffer:
            left = max(0.0, deadline - time.monotonic())  # 0: look without waiting
            readable, _, _ = select.select([stdout], [], [], left)
            if not readable:
                return None
            data = os.read(stdout.fileno(), 4096)
            if not data:
                return None
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode(errors="replace")

    def poll(self) -> int | None:
        """The server's exit status if it has ended (on its own, or stopped), else None; does
        not block."""
        if self._stopped:
            return self.exit_status if self.exit_status is not None else 0
        if self.exit_status is None:
            line = self._next_report(0)
            if line is not None and line.startswith("exited "):
                self.exit_status = int(line.split()[1])
            elif line is None and self._watchdog.poll() is not None:
                self.exit_status = -1  # the watchdog itself is gone
        return self.exit_status

    def read_log(self) -> str:
        """What the server (and its watchdog) printed so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def discard_data(self) -> None:
        """Remove the data folder (after :meth:`stop`)."""
        discard_data_dir(self.data_dir)

    def read_log_lines(self, count: int = 20) -> list[str]:
        """The last ``count`` non-empty lines of the log."""
        return tail(self.read_log(), count)

    def stop(self) -> None:
        """Tell the watchdog to stop the server, and wait for both to end (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        stdin = self._watchdog.stdin
        try:
            if stdin is not None:
                stdin.write(b"stop\n")
                stdin.flush()
        except OSError:
            pass  # the watchdog is gone already
        try:
            self._watchdog.wait(timeout=self.grace + 5)
        except subprocess.TimeoutExpired:
            self._watchdog.kill()
            self._watchdog.wait()
            try:
                os.killpg(self.server_pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self._watchdog.stdin, self._watchdog.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass
        if self._watchdog.returncode is None:
            try:
                self._watchdog.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._watchdog.kill()
                self._watchdog.wait()


def wait_until_ready(
    server: ServerProcess,
    is_ready: Callable[[], bool],
    *,
    name: str,
    timeout: float,
) -> None:
    """Call ``is_ready`` until it returns True; :class:`ServiceError` when the server exits or
    ``timeout`` seconds pass (the server is stopped then, and its last log lines shown)."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    last_problem = ""
    while True:
        status = server.poll()
        if status is not None:
            server.stop()
            raise ServiceError(
                f"{name} exited with status {status} before it was ready",
                server.read_log_lines(),
                server.log_path,
            )
        try:
            if is_ready():
                return
        except Exception as error:  # refused connections and the like, until it is up
            last_problem = f"{type(error).__name__}: {error}"
        if time.monotonic() > deadline:
            server.stop()
            why = f" (the last check said {last_problem})" if last_problem else ""
            raise ServiceError(
                f"{name} was not ready within {timeout:g} s{why}",
                server.read_log_lines(),
                server.log_path,
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def port_was_taken(error: ServiceError) -> bool:
    """True when a start failed because another process had the port."""
    return any("address already in use" in line.lower() for line in error.log_lines)


def start_on_free_port(
    start: Callable[[int], ServerProcess],
    is_ready: Callable[[int], bool],
    *,
    name: str,
    timeout: float,
) -> tuple[ServerProcess, int]:
    """Start a server on a free port and wait until it is ready; a new port if it was taken."""
    for attempt in range(PORT_TRIES):
        port = free_port()
        server = start(port)
        try:
            wait_until_ready(server, partial(is_ready, port), name=name, timeout=timeout)
        except ServiceError as error:
            if attempt + 1 < PORT_TRIES and port_was_taken(error):
                server.log_path.unlink(missing_ok=True)
                continue
            raise
        except BaseException:  # an interrupt while waiting: no server is left behind
            server.stop()
            raise
        return server, port
    raise AssertionError("unreachable")


def discard_data_dir(data_dir: Path) -> None:
    """Remove a data folder after a failed start (the error has the log lines already)."""
    shutil.rmtree(data_dir, ignore_errors=True)
