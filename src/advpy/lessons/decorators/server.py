"""A tiny web framework on the standard library: requests, responses, a router whose ``route``
is a decorator, and a real HTTP server on the loopback interface.

The server is ``http.server.ThreadingHTTPServer`` bound to 127.0.0.1 on port 0 (the operating
system picks a free port), serving in a daemon thread, one thread per request. It is a context
manager, so a ``with`` block starts it and always stops it::

    router = Router()

    @router.route("/hello")
    def hello(request):
        return Response(200, {"message": "hello"})

    with LoopbackServer(router) as server:
        status, body = fetch(server.url + "/hello")
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from advpy.services import LOOPBACK, ThreadedLoopbackServer


@dataclass(frozen=True)
class Request:
    """What a view gets: the method, the path and the headers (names in lower case)."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    """What a view returns: a status code, a JSON-able body, and extra headers."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


#: A view: a function from a request to a response.
View = Callable[[Request], Response]


class Router:
    """Maps paths to views. ``@router.route(path)`` registers the function it decorates."""

    def __init__(self) -> None:
        self.views: dict[str, View] = {}

    def route(self, path: str) -> Callable[[View], View]:
        """A decorator that registers a view under ``path`` and returns it unchanged."""

        def register(view: View) -> View:
            self.views[path] = view
            return view

        return register

    def __call__(self, request: Request) -> Response:
        view = self.views.get(request.path)
        if view is None:
            return Response(404, {"error": f"no route {request.path}"})
        return view(request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    app: Callable[[Request], Response]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def _answer(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, self.path.split("?", 1)[0], headers)
        try:
            response = self.server.app(request)
        except Exception as error:  # a bug in a view: answer 500, keep serving
            response = Response(500, {"error": type(error).__name__})
        payload = json.dumps(response.body).encode()
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _answer  # noqa: N815 - the names http.server looks for
    do_POST = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the default handler logs every request to stderr."""


class LoopbackServer(ThreadedLoopbackServer):
    """Serve ``app`` (a function from :class:`Request` to :class:`Response`) over HTTP on
    127.0.0.1, on a free port, in a daemon thread; use it as a context manager."""

    thread_name = "loopback-http-server"

    def __init__(self, app: Callable[[Request], Response]) -> None:
        super().__init__()
        self.app = app

    def make_server(self) -> _Server:
        server = _Server((LOOPBACK, 0), _Handler)
        server.app = self.app
        return server

    @property
    def url(self) -> str:
        """The server's base address, e.g. ``http://127.0.0.1:40123`` (no final slash)."""
        return self.address


def fetch(url: str, token: str | None = None, timeout: float = 5.0) -> tuple[int, Any]:
    """GET ``url`` (with ``Authorization: Bearer <token>`` when a token is given) and return
    ``(status, decoded JSON body)``, whatever the status."""
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")
