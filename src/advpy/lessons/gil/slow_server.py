"""A small HTTP server on the loopback interface that answers every request slowly.

It stands in for a slow web service, so that the lessons can time real network I/O without
leaving the machine: each request waits ``delay`` seconds (the server's thread sleeps, as a
remote service would keep the client waiting), then answers with a short body. The server runs
in a daemon thread of the process that starts it and serves each request in its own thread.

    with SlowServer(delay=0.05) as server:
        fetch(server.url)
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

#: The body every answer carries.
BODY = b"ok\n" * 64


class _SlowHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    delay = 0.0


class _SlowHandler(BaseHTTPRequestHandler):
    server: _SlowHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - the name http.server looks for
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the default handler logs every request to stderr."""


class SlowServer:
    """An HTTP server on 127.0.0.1 (a free port) whose every answer takes ``delay`` seconds."""

    def __init__(self, delay: float = 0.05) -> None:
        if delay < 0:
            raise ValueError("delay must not be negative")
        self.delay = delay
        self._server: _SlowHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._server is not None

    @property
    def url(self) -> str:
        """The address to GET, e.g. ``http://127.0.0.1:40123/``."""
        if self._server is None:
            raise RuntimeError("the server is not running: call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> SlowServer:
        """Start serving in a daemon thread; returns the server itself."""
        if self._server is None:
            server = _SlowHTTPServer(("127.0.0.1", 0), _SlowHandler)
            server.delay = self.delay
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="slow-http-server",
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

    def __enter__(self) -> SlowServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
