"""A small HTTP server on the loopback interface that answers every request slowly.

It stands in for a slow web service, so that the lessons can time real network I/O without
leaving the machine: each request waits ``delay`` seconds (the server's thread sleeps, as a
remote service would keep the client waiting), then answers with a short body. The server runs
in a daemon thread of the process that starts it and serves each request in its own thread.

    with SlowServer(delay=0.05) as server:
        fetch(server.url)
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from advpy.services import LOOPBACK, ThreadedLoopbackServer

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


class SlowServer(ThreadedLoopbackServer):
    """An HTTP server on 127.0.0.1 (a free port) whose every answer takes ``delay`` seconds."""

    thread_name = "slow-http-server"

    def __init__(self, delay: float = 0.05) -> None:
        if delay < 0:
            raise ValueError("delay must not be negative")
        super().__init__()
        self.delay = delay

    def make_server(self) -> _SlowHTTPServer:
        server = _SlowHTTPServer((LOOPBACK, 0), _SlowHandler)
        server.delay = self.delay
        return server

    @property
    def url(self) -> str:
        """The address to GET, e.g. ``http://127.0.0.1:40123/``."""
        return self.address + "/"
