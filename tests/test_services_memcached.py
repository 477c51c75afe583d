"""advpy.services.memcached_server starts a real Memcached on loopback and leaves nothing behind:
it answers a real round trip, evicts within its memory cap, says why a bad start failed with
its own log lines, says what to install when it is missing, and stops with nothing left
running (process, port, folder)."""

from __future__ import annotations

import psutil
import pytest
from pymemcache.exceptions import MemcacheServerError

from advpy import doctor
from advpy.services import (
    LOOPBACK,
    MemcachedServer,
    ServiceError,
    ServiceNotInstalled,
    lifecycle,
    memcached_server,
    programs,
    running_services,
    status,
)
from advpy.services.memcached import answers_version


def test_memcached_set_get_then_stop() -> None:
    with memcached_server() as server:
        assert isinstance(server, MemcachedServer)
        assert server.host == LOOPBACK and server.url == f"memcache://{LOOPBACK}:{server.port}"
        assert answers_version(server.port)
        assert server.client.set("greeting", "hello")
        assert server.client.get("greeting") == b"hello"
        other = server.connect()
        assert other.get_many(["greeting", "nothing"]) == {"greeting": b"hello"}
        other.close()
        # set() waits for the server's answer, so a refused item raises (pymemcache's own
        # default would send it, return True and never hear the refusal)
        assert server.client.default_noreply is False
        with pytest.raises(MemcacheServerError, match="too large"):
            server.client.set("too-big", b"x" * (2 * 1024 * 1024))
        pid = server.pid
        assert pid is not None and psutil.pid_exists(pid)
        assert (server.data_dir / lifecycle.LOG_NAME).exists()
        assert server in running_services()
    assert not server.running
    assert not lifecycle.port_is_open(server.port), "the port still answers"
    assert not server.data_dir.exists(), "the data folder was not removed"
    assert server not in running_services()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_memcached_keeps_within_its_memory_cap() -> None:
    with memcached_server(memory_mb=2) as server:
        value = b"x" * 10_000
        for number in range(600):  # about 6 MB of values into 2 MB
            server.client.set(f"k{number}", value)
        kept = server.client.get_many([f"k{number}" for number in range(600)])
        stats = server.client.stats()
    assert 0 < len(kept) < 600
    assert stats[b"evictions"] > 0
    assert f"k{599}" in kept, "the newest item is kept: the oldest ones are evicted"


def test_memcached_with_a_bad_option_fails_with_its_log_lines() -> None:
    with pytest.raises(ServiceError) as raised:
        memcached_server(options=["--threads", "many"])
    message = str(raised.value)
    assert "exited with status" in message
    assert "threads" in message.lower()  # Memcached's own complaint, from its log


def test_memcached_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(programs, "candidate_dirs", lambda program: [])
    with pytest.raises(ServiceNotInstalled) as raised:
        memcached_server()
    message = str(raised.value)
    assert "Memcached is not installed" in message
    assert "apt-get install memcached" in message and "brew install memcached" in message


def test_memcached_is_in_the_status_and_the_system_packages_list() -> None:
    found = {item.name: item for item in status()}
    memcached = found["memcached"]
    assert memcached.detail.startswith("ready: " if memcached.ready else "missing: ")
    listed = {p.debian: p for p in doctor.system_deps().read_list()}
    assert listed["memcached"].needs == "lab"
    assert listed["memcached"].brew == "memcached"
