"""A real Redis server on loopback, with a ready client::

    with redis_server() as server:
        server.client.set("greeting", "hello")
        server.client.get("greeting")          # 'hello'
        server.url                             # 'redis://127.0.0.1:PORT/0'

The server keeps nothing on disk (no snapshots, no append-only file): its data folder holds only
its log, and a lesson that needs persistence passes ``settings={"appendonly": "yes"}``.
Readiness is Redis's own ``PING`` answered with ``PONG`` (a server still loading answers
``LOADING`` and is not ready yet).
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from advpy.services import lifecycle, programs
from advpy.services.lifecycle import LOOPBACK, ServerProcess, Service

if TYPE_CHECKING:
    import redis


def answers_ping(port: int, host: str = LOOPBACK) -> bool:
    """True when a Redis server on ``host:port`` answers ``PING`` with ``+PONG``."""
    with socket.create_connection((host, port), timeout=1) as connection:
        connection.sendall(b"PING\r\n")
        return connection.recv(64).startswith(b"+PONG")


class RedisServer(Service):
    """A running ``redis-server``: its address, URL, log, and a ready client."""

    kind = "Redis"

    def __init__(self, process: ServerProcess, *, port: int, program: str) -> None:
        super().__init__(process, host=LOOPBACK, port=port)
        self.program = program
        self._client: redis.Redis | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:PORT/0``, for ``redis.Redis.from_url`` and other clients."""
        return f"redis://{self.host}:{self.port}/0"

    @property
    def client(self) -> redis.Redis:
        """A client that decodes replies to ``str`` (made on first use, closed at stop)."""
        if self._client is None:
            self._client = self.connect(decode_responses=True)
        return self._client

    def connect(self, **options: Any) -> redis.Redis:
        """A new ``redis.Redis`` client for this server; ``options`` go to its constructor."""
        import redis

        return redis.Redis(host=self.host, port=self.port, **options)

    def _close_clients(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def redis_server(
    *, settings: Mapping[str, str] | None = None, timeout: float = 10.0
) -> RedisServer:
    """Start ``redis-server`` on 127.0.0.1 and a free port; returns its handle once it answers.

    ``settings`` are extra ``redis.conf`` directives given on the command line
    (``{"maxmemory": "10mb", "maxmemory-policy": "allkeys-lru"}``). Use the handle in a ``with``
    block, or call ``stop()``; it also stops at interpreter exit and when the process is killed.
    """
    program = programs.locate(programs.REDIS)
    data_dir = lifecycle.make_data_dir("redis")
    options = {
        "bind": LOOPBACK,
        "protected-mode": "yes",
        "dir": str(data_dir),
        "save": "",  # no snapshots: the data lives as long as the server
        "appendonly": "no",
        "daemonize": "no",
        "logfile": "",  # to standard output, which is the log file
        **(settings or {}),
    }

    def start(port: int) -> ServerProcess:
        command = [str(program), "--port", str(port)]
        for name, value in options.items():
            command += [f"--{name}", value]
        return ServerProcess(command, data_dir=data_dir, stop_signal=signal.SIGTERM)

    try:
        process, port = lifecycle.start_on_free_port(
            start, answers_ping, name=f"Redis ({program})", timeout=timeout
        )
    except BaseException:
        lifecycle.discard_data_dir(data_dir)
        raise
    return RedisServer(process, port=port, program=str(program))
