"""What HTTP servers share: readiness is an HTTP answer, and the handle has a URL and a client."""

from __future__ import annotations

import http.client
import ssl
from typing import TYPE_CHECKING, Any

from advpy.services.lifecycle import LOOPBACK, Backend, Service

if TYPE_CHECKING:
    import httpx


def answers_http(
    port: int, path: str = "/", host: str = LOOPBACK, tls: ssl.SSLContext | None = None
) -> bool:
    """True when an HTTP server on ``host:port`` answers ``GET path`` with any status: a 404
    or a 502 is an answer too, the server is up. With ``tls`` (a client context), over HTTPS."""
    connection: http.client.HTTPConnection
    if tls is None:
        connection = http.client.HTTPConnection(host, port, timeout=2)
    else:
        connection = http.client.HTTPSConnection(host, port, timeout=2, context=tls)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return True
    finally:
        connection.close()


class HttpService(Service):
    """A running HTTP server: its base URL and a ready ``httpx.Client``; over HTTPS when it
    was given ``tls``, the client context that trusts its certificate."""

    def __init__(
        self, backend: Backend, *, host: str, port: int, tls: ssl.SSLContext | None = None
    ) -> None:
        super().__init__(backend, host=host, port=port)
        self.tls = tls
        self._client: httpx.Client | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (``https://`` over TLS), no final slash:
        ``server.url + "/users"``."""
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def client(self) -> httpx.Client:
        """An ``httpx.Client`` whose base URL is the server's (made on first use, closed at
        stop): ``server.client.get("/users")``."""
        if self._client is None:
            self._client = self.connect()
        return self._client

    def connect(self, base_url: str | None = None, **options: Any) -> httpx.Client:
        """A new ``httpx.Client`` (the caller closes it) for the server's URL or ``base_url``
        (a proxy or relay in front of it), trusting the server's certificate over TLS;
        ``options`` go to ``httpx.Client``."""
        import httpx

        settings: dict[str, Any] = {"timeout": 10, **options}
        if self.tls is not None:
            settings.setdefault("verify", self.tls)
        return httpx.Client(base_url=base_url or self.url, **settings)

    def _close_clients(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
