"""An ASGI app (FastAPI, Starlette, or a bare ASGI callable) served by real uvicorn on
loopback, reached over real HTTP::

    app = FastAPI()

    @app.get("/hello")
    def hello() -> dict[str, str]:
        return {"message": "hello"}

    with serve_app(app) as server:                  # in a thread of this process
        server.client.get("/hello").json()          # {'message': 'hello'}
        server.url                                  # 'http://127.0.0.1:PORT'

    with serve_app("advpy.lessons.x.app:app", mode="process") as server:
        ...                                         # in a process of its own

Two ways to run it, because they teach different things:

- ``mode="thread"`` (the default) serves the app object itself from a thread of the notebook's
  process: an app defined in a cell works, and the lesson can look inside it while it serves.
  The thread runs its own event loop, so it works inside a Jupyter kernel, whose main thread
  already runs one. Its log (uvicorn's records from that thread) is kept in memory.
- ``mode="process"`` runs ``python -m uvicorn MODULE:APP`` behind the watchdog, as one would
  in production: a crash or a blocking call in the app cannot stall the notebook, and the
  server can use its own cores. The app must be importable by that new interpreter, so it is
  given as an import string (``"package.module:app"``); its log is uvicorn's own output.

Either way the port is 0: the system picks a free one and uvicorn binds it, so no other process
can take it in between; the server is ready when it answers ``GET ready_path`` over HTTP.

``serve_app(app, tls=local_certificates())`` serves HTTPS instead, with a certificate signed by
an authority made on the spot (:mod:`advpy.services.tls`); the handle's ``url`` is
``https://...`` and its ``client`` trusts that authority.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from advpy.services import lifecycle
from advpy.services.errors import ServiceError
from advpy.services.lifecycle import LOOPBACK, ServerProcess
from advpy.services.web import HttpService, answers_http

if TYPE_CHECKING:
    import ssl

    import uvicorn

    from advpy.services.tls import Certificates

#: Log records kept in memory per threaded server.
LOG_RECORDS_KEPT = 5000
#: How long uvicorn lets open requests finish when it stops, in seconds.
GRACEFUL_SHUTDOWN = 2
#: uvicorn's start-up line, which gives the port it bound.
RUNNING_LINE = re.compile(r"Uvicorn running on https?://[^\s:]+:(\d+)")


class _ThreadLog(logging.Handler):
    """Keeps the ``uvicorn.*`` records emitted by one server's thread, formatted, in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: deque[str] = deque(maxlen=LOG_RECORDS_KEPT)
        self.thread_id: int | None = None
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread == self.thread_id

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:
            self.handleError(record)


class UvicornThread:
    """The backend of a threaded server: a ``uvicorn.Server`` run by a daemon thread.

    Its data folder is made only when something asks for it: no watchdog would remove it if
    the process were killed, and most apps served this way keep nothing on disk.
    """

    pid: int | None = None
    log_path: Path | None = None

    def __init__(self, config: uvicorn.Config) -> None:
        import uvicorn

        self._data_dir: Path | None = None
        self.server = uvicorn.Server(config)
        self._log = _ThreadLog()
        self._logger = logging.getLogger("uvicorn")
        self._logger.addHandler(self._log)
        self._stopped = False
        self._thread = threading.Thread(target=self._serve, name="advpy-uvicorn", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        """The thread's work. uvicorn ends a failed start with ``sys.exit``: that, or any error,
        goes to the server's log (which the error raised in the notebook shows), not to the
        thread's unhandled-exception hook."""
        self._log.thread_id = threading.get_ident()  # before the server logs anything
        try:
            self.server.run()
        except BaseException as error:
            logging.getLogger("uvicorn.error").error(
                "the server's thread ended: %s",
                repr(error),
                exc_info=not isinstance(error, SystemExit),
            )

    @property
    def data_dir(self) -> Path:
        """A temporary folder for the app's files, made on first use while the server runs."""
        if self._data_dir is None:
            if self._stopped:
                raise RuntimeError("the server is stopped, and it never used a data folder")
            self._data_dir = lifecycle.make_data_dir("uvicorn")
        return self._data_dir

    def discard_data(self) -> None:
        if self._data_dir is not None:
            lifecycle.discard_data_dir(self._data_dir)

    @property
    def started(self) -> bool:
        return bool(self.server.started)

    def bound_port(self) -> int:
        """The port the system gave the server's socket."""
        sockets = self.server.servers[0].sockets
        return int(sockets[0].getsockname()[1])

    def poll(self) -> int | None:
        return None if self._thread.is_alive() else 0

    def read_log(self) -> str:
        return "\n".join(self._log.lines) + ("\n" if self._log.lines else "")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.server.should_exit = True
        self._thread.join(timeout=GRACEFUL_SHUTDOWN + 3)
        if self._thread.is_alive():
            self.server.force_exit = True
            self._thread.join(timeout=3)
        self._logger.removeHandler(self._log)


class AppServer(HttpService):
    """A running uvicorn server: its URL, a ready ``httpx.Client``, and its log."""

    kind = "uvicorn"

    def __init__(
        self,
        backend: lifecycle.Backend,
        *,
        port: int,
        mode: str,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(backend, host=LOOPBACK, port=port, tls=tls)
        #: "thread" or "process".
        self.mode = mode


def _wait_for_thread(
    backend: UvicornThread, ready_path: str, timeout: float, tls: ssl.SSLContext | None
) -> int:
    deadline = time.monotonic() + timeout
    delay = 0.002
    while not backend.started:
        if backend.poll() is not None:
            backend.stop()
            raise ServiceError(
                "uvicorn stopped before it served (an import error, or a failing start-up of "
                "the app?)",
                lifecycle.tail(backend.read_log(), 20),
            )
        if time.monotonic() > deadline:
            backend.stop()
            raise ServiceError(
                f"uvicorn did not start within {timeout:g} s",
                lifecycle.tail(backend.read_log(), 20),
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    port = backend.bound_port()
    try:
        answers_http(port, ready_path, tls=tls)
    except OSError as error:
        backend.stop()
        raise ServiceError(
            f"uvicorn started but did not answer GET {ready_path}: {error}",
            lifecycle.tail(backend.read_log(), 20),
        ) from error
    return port


def _command_line(options: Mapping[str, Any]) -> list[str]:
    """uvicorn's command-line flags for ``uvicorn.Config`` keywords: ``workers=2`` is
    ``--workers 2``, ``proxy_headers=True`` is ``--proxy-headers``, False is ``--no-...``."""
    words = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            words.append(flag)
        elif value is False:
            words.append("--no-" + flag.removeprefix("--"))
        else:
            words += [flag, str(value)]
    return words


def _serve_in_process(
    app: str,
    data_dir: Path,
    ready_path: str,
    timeout: float,
    options: Mapping[str, Any],
    tls: ssl.SSLContext | None,
) -> tuple[ServerProcess, int]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        LOOPBACK,
        "--port",
        "0",
        *_command_line(options),
    ]
    # The notebook's folder, as `python -m` puts the current folder on sys.path: an app module
    # next to the notebook imports.
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = ServerProcess(
        command, data_dir=data_dir, env=environment, cwd=Path.cwd(), grace=GRACEFUL_SHUTDOWN + 3
    )
    found: list[int] = []

    def is_ready() -> bool:
        if not found:
            match = RUNNING_LINE.search(process.read_log())
            if match is None:
                return False
            found.append(int(match.group(1)))
        return answers_http(found[0], ready_path, tls=tls)

    try:
        lifecycle.wait_until_ready(
            process, is_ready, name=f"uvicorn serving {app}", timeout=timeout
        )
    except BaseException:
        process.stop()  # already stopped after a ServiceError; after an interrupt, now
        raise
    return process, found[0]


def serve_app(
    app: Any,
    *,
    mode: Literal["thread", "process"] = "thread",
    ready_path: str = "/",
    timeout: float = 10.0,
    log_level: str = "info",
    access_log: bool = False,
    tls: Certificates | None = None,
    **options: Any,
) -> AppServer:
    """Serve ``app`` with uvicorn on 127.0.0.1 and a port the system picks; returns the handle
    once the server answers ``GET ready_path`` (any status counts as an answer).

    ``app`` is an ASGI app object, or an import string (``"package.module:app"``), which
    ``mode="process"`` requires. ``access_log=True`` logs each request. Other keywords are
    ``uvicorn.Config``'s (``workers=2``, ``limit_concurrency=10``, ``factory=True``...). Use
    the handle in a ``with`` block, or call ``stop()``; it also stops at interpreter exit.
    With ``tls`` (:func:`advpy.services.tls.local_certificates`), it serves HTTPS.
    """
    if mode not in ("thread", "process"):
        raise ValueError(f"mode is 'thread' or 'process', not {mode!r}")
    if mode == "process" and not isinstance(app, str):
        raise TypeError(
            "mode='process' starts a new interpreter, which cannot receive an object from this "
            "one: give the app as an import string, 'package.module:app' (the module must be "
            "importable from the notebook's folder or the installed packages)"
        )
    options = {
        "log_level": log_level,
        "access_log": access_log,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN,
        **options,
    }
    client_tls = None
    if tls is not None:
        options.update(tls.server_options())
        client_tls = tls.client_context()
    if mode == "process":
        data_dir = lifecycle.make_data_dir("uvicorn")
        try:
            process, port = _serve_in_process(
                app, data_dir, ready_path, timeout, options, client_tls
            )
        except BaseException:
            lifecycle.discard_data_dir(data_dir)
            raise
        return AppServer(process, port=port, mode=mode, tls=client_tls)
    import uvicorn

    config = uvicorn.Config(app, host=LOOPBACK, port=0, log_config=None, **options)
    backend = UvicornThread(config)
    try:
        port = _wait_for_thread(backend, ready_path, timeout, client_tls)
    except BaseException:
        backend.stop()
        backend.discard_data()
        raise
    return AppServer(backend, port=port, mode=mode, tls=client_tls)
