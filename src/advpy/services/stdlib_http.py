"""A standard-library HTTP server on loopback, run by a thread of the notebook's process.

Lessons that need a small HTTP endpoint before they teach ASGI (a slow service in lesson 01,
guarded and flaky endpoints in lesson 05) serve it from :class:`ThreadedLoopbackServer`: a
``ThreadingHTTPServer`` bound to 127.0.0.1 on a free port, served by a daemon thread, started
and stopped by a ``with`` block. Each lesson's server subclasses it and says what to serve in
:meth:`~ThreadedLoopbackServer.make_server`. (An ASGI app is served by
:func:`advpy.services.serve_app`.)
"""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Self


class ThreadedLoopbackServer:
    """Serve :meth:`make_server`'s server on 127.0.0.1 from a daemon thread; a context manager."""

    thread_name = "loopback-http-server"

    def __init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def make_server(self) -> ThreadingHTTPServer:
        """The server to run, bound to ``(LOOPBACK, 0)`` (0: the system picks a free port)."""
        raise NotImplementedError

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._server is not None

    @property
    def address(self) -> str:
        """``http://127.0.0.1:PORT`` (no final slash) while the server runs."""
        if self._server is None:
            raise RuntimeError("the server is not running: use it in a with block (or start())")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Start serving in a daemon thread; returns the server itself."""
        if self._server is None:
            server = self.make_server()
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=self.thread_name,
                daemon=True,
            )
            self._server = server
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
