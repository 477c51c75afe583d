"""What HTTP servers share: readiness is an HTTP answer, and the handle has a URL and a client."""

from __future__ import annotations

import http.client
from typing import TYPE_CHECKING

from advpy.services.lifecycle import LOOPBACK, Backend, Service

if TYPE_CHECKING:
    import httpx


def answers_http(port: int, path: str = "/", host: str = LOOPBACK) -> bool:
    """True when an HTTP server on ``host:port`` answers ``GET path`` with any status: a 404
    or a 502 is an answer too, the server is up."""
    connection = http.client.HTTPConnection(host, port, timeout=2)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return True
    finally:
        connection.close()


class HttpService(Service):
    """A running HTTP server: its base URL and a ready ``httpx.Client``."""

    def __init__(self, backend: Backend, *, host: str, port: int) -> None:
        super().__init__(backend, host=host, port=port)
        self._client: httpx.Client | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, no final slash: ``server.url + "/users"``."""
        return f"http://{self.host}:{self.port}"

    @property
    def client(self) -> httpx.Client:
        """An ``httpx.Client`` whose base URL is the server's (made on first use, closed at
        stop): ``server.client.get("/users")``."""
        if self._client is None:
            import httpx

            self._client = httpx.Client(base_url=self.url, timeout=10)
        return self._client

    def _close_clients(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
