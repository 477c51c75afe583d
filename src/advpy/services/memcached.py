"""A real Memcached server on loopback, with a ready client::

    with memcached_server() as server:
        server.client.set("greeting", "hello")
        server.client.get("greeting")          # b'hello'
        server.address                         # ('127.0.0.1', PORT)

Memcached keeps everything in memory and nothing on disk: its data folder holds only its log.
``memory_mb`` is the most memory it uses for items (``-m``); when that is full it evicts the
least recently used items of the same size class. Readiness is Memcached's own ``version``
command answered with ``VERSION ...``. The client is pymemcache's ``Client``, which sends and
receives bytes.

As root, Memcached refuses to start unless told which user to run as: it runs as ``nobody``
then (``-u nobody``), as the packaged service does.
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from advpy.services import lifecycle, programs
from advpy.services.lifecycle import LOOPBACK, ServerProcess, Service

if TYPE_CHECKING:
    from pymemcache.client.base import Client


def answers_version(port: int, host: str = LOOPBACK) -> bool:
    """True when a Memcached server on ``host:port`` answers ``version`` with ``VERSION``."""
    with socket.create_connection((host, port), timeout=1) as connection:
        connection.sendall(b"version\r\n")
        return connection.recv(64).startswith(b"VERSION ")


class MemcachedServer(Service):
    """A running ``memcached``: its address, log, and a ready pymemcache client."""

    kind = "Memcached"

    def __init__(self, process: ServerProcess, *, port: int, program: str) -> None:
        super().__init__(process, host=LOOPBACK, port=port)
        self.program = program
        self._client: Client | None = None

    @property
    def url(self) -> str:
        """``memcache://127.0.0.1:PORT``: the address in the form clients' settings take."""
        return f"memcache://{self.host}:{self.port}"

    @property
    def client(self) -> Client:
        """A pymemcache client (made on first use, closed at stop); values come back as bytes."""
        if self._client is None:
            self._client = self.connect()
        return self._client

    def connect(self, **options: Any) -> Client:
        """A new ``pymemcache.Client`` for this server; ``options`` go to its constructor.

        Two defaults differ from pymemcache's: ``no_delay=True`` (no Nagle delay on small
        requests, as latency-minded clients set it) and ``default_noreply=False``, so that a
        ``set`` waits for the server's answer, as Redis clients do (pymemcache's own default
        sends it and returns at once, without knowing whether it was stored)."""
        from pymemcache.client.base import Client

        options.setdefault("no_delay", True)
        options.setdefault("default_noreply", False)
        options.setdefault("connect_timeout", 5)
        options.setdefault("timeout", 5)
        return Client((self.host, self.port), **options)

    def _close_clients(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def memcached_server(
    *, memory_mb: int = 64, options: Sequence[str] = (), timeout: float = 10.0
) -> MemcachedServer:
    """Start ``memcached`` on 127.0.0.1 and a free port; returns its handle once it answers.

    ``memory_mb`` caps the memory for items (``-m``); ``options`` are extra command-line
    options (``["-c", "256"]`` for at most 256 connections). Use the handle in a ``with`` block,
    or call ``stop()``; it also stops at interpreter exit and when the process is killed.
    """
    program = programs.locate(programs.MEMCACHED)
    data_dir = lifecycle.make_data_dir("memcached")
    as_root = getattr(os, "geteuid", lambda: -1)() == 0

    def start(port: int) -> ServerProcess:
        command = [
            str(program),
            "--listen",
            LOOPBACK,
            "--port",
            str(port),
            "--udp-port",
            "0",  # TCP only
            "--memory-limit",
            str(memory_mb),
            "-v",  # errors and warnings into the log
            *(["--user", "nobody"] if as_root else []),
            *options,
        ]
        return ServerProcess(command, data_dir=data_dir, stop_signal=signal.SIGTERM)

    try:
        process, port = lifecycle.start_on_free_port(
            start, answers_version, name=f"Memcached ({program})", timeout=timeout
        )
    except BaseException:
        lifecycle.discard_data_dir(data_dir)
        raise
    return MemcachedServer(process, port=port, program=str(program))
