"""A real etcd cluster on loopback (Raft under the hood), with a ready client::

    with etcd_cluster(3) as cluster:           # three members, healthy in about 2.5 s
        cluster.client.put("greeting", "hello")
        cluster.client.get("greeting")          # 'hello'
        cluster.leader().name                   # 'n1', say
        cluster.leader().kill()                 # a crash: SIGKILL, no goodbye to its peers

    with etcd_server() as single:              # one member: a cluster of one
        single.client.put("k", "v")

Each member is an ``etcd`` process behind its own watchdog, with a client port and a peer port
on 127.0.0.1 and a data folder of its own inside the cluster's folder. The cluster is ready when
every member answers ``GET /health`` with ``{"health": "true"}``, which etcd says only once the
member knows a leader. ``heartbeat_ms`` and ``election_ms`` are etcd's ``--heartbeat-interval``
and ``--election-timeout`` (its defaults are 100 and 1000 ms; on loopback 50 and 500 are safe
and make a failover quicker).

**The client talks HTTP/JSON.** etcd 3.4 serves its v3 API over gRPC and, on the same port,
through a JSON gateway (``POST /v3/kv/put``, ``/v3/kv/range``, ``/v3/maintenance/status``...;
keys and values travel base64-encoded). :class:`EtcdClient` uses that gateway with ``httpx``:
the Python gRPC clients on PyPI (``etcd3``) are unmaintained and need an old ``protobuf``.
``etcdctl``, installed with the server, works too.

The handle has the shape of every service: ``host`` and ``port`` (the first member's client
port), ``url``, ``data_dir``, ``log_text()`` (every member's log, each line prefixed with its
name), ``pid`` (the first member's), ``running`` (until every member has ended) and ``stop()``.
"""

from __future__ import annotations

import base64
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advpy.services import lifecycle, programs
from advpy.services.errors import ServiceError
from advpy.services.lifecycle import LOOPBACK, ServerProcess, Service

if TYPE_CHECKING:
    import httpx


class EtcdError(Exception):
    """etcd answered a request with an error (``leader changed``, ``no leader``, a timeout...)."""


def b64(text: str) -> str:
    """``text`` as the v3 JSON gateway carries keys and values: base64 of its UTF-8 bytes."""
    return base64.b64encode(text.encode()).decode()


def unb64(data: str) -> str:
    """A key or value from the v3 JSON gateway back as text."""
    return base64.b64decode(data).decode()


class EtcdClient:
    """The v3 API over etcd's JSON gateway; tries ``urls`` in order until one answers.

    A connection refused, or a member that does not answer within ``timeout`` seconds, moves on
    to the next URL; an error etcd itself returns (for instance ``etcdserver: leader changed``
    during an election) is raised as :class:`EtcdError` at once, since the write may or may not
    have been committed.
    """

    def __init__(self, urls: Sequence[str], *, timeout: float = 2.0) -> None:
        import httpx

        self.urls = list(urls)
        self._http: httpx.Client = httpx.Client(timeout=timeout)

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` to ``path`` (``/v3/kv/put``...) on the first member that answers."""
        import httpx

        problem: Exception | None = None
        for url in self.urls:
            try:
                response = self._http.post(url + path, json=body)
            except httpx.TransportError as error:
                problem = error
                continue
            data: dict[str, Any] = response.json()
            if response.status_code != 200 or "error" in data:
                raise EtcdError(str(data.get("error") or data.get("message") or data))
            return data
        raise EtcdError(f"no member answered: {type(problem).__name__}: {problem}")

    def put(self, key: str, value: str) -> int:
        """Store ``value`` under ``key``; returns the store's revision after the write."""
        data = self.call("/v3/kv/put", {"key": b64(key), "value": b64(value)})
        return int(data["header"]["revision"])

    def get(self, key: str, *, serializable: bool = False) -> str | None:
        """The value under ``key``, or None. By default a linearizable read (the member checks
        with the leader first); ``serializable=True`` answers from the member's own copy, which
        works without a leader but may be stale."""
        body: dict[str, Any] = {"key": b64(key)}
        if serializable:
            body["serializable"] = True
        data = self.call("/v3/kv/range", body)
        kvs = data.get("kvs", [])
        return unb64(kvs[0].get("value", "")) if kvs else None

    def get_prefix(self, prefix: str) -> dict[str, str]:
        """Every key starting with ``prefix``, with its value."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        data = self.call("/v3/kv/range", {"key": b64(prefix), "range_end": b64(end)})
        return {unb64(kv["key"]): unb64(kv.get("value", "")) for kv in data.get("kvs", [])}

    def status(self) -> dict[str, int]:
        """The answering member's view: its ``member_id``, the ``leader`` it knows, the Raft
        ``term`` and ``index``."""
        data = self.call("/v3/maintenance/status", {})
        return {
            "member_id": int(data["header"]["member_id"]),
            "leader": int(data.get("leader", 0)),
            "term": int(data.get("raftTerm", 0)),
            "index": int(data.get("raftIndex", 0)),
        }

    def members(self) -> dict[int, str]:
        """Every member's id and name."""
        data = self.call("/v3/cluster/member/list", {})
        return {int(m["ID"]): m.get("name", "") for m in data.get("members", [])}

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()


def is_healthy(url: str) -> bool:
    """True when the etcd member at ``url`` says it is healthy (it knows a leader)."""
    import httpx

    try:
        response = httpx.get(url + "/health", timeout=0.5)
        return bool(response.json().get("health") == "true")
    except (httpx.HTTPError, ValueError):
        return False


@dataclass
class EtcdMember:
    """One member of a cluster: its name, ports and process."""

    name: str
    client_port: int
    peer_port: int
    process: ServerProcess

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, where it answers clients."""
        return f"http://{LOOPBACK}:{self.client_port}"

    @property
    def pid(self) -> int | None:
        """The member's process id."""
        return self.process.pid

    @property
    def running(self) -> bool:
        """True until it is stopped or killed."""
        return self.process.poll() is None

    def kill(self) -> None:
        """Crash the member: SIGKILL, so it cannot tell its peers it is going."""
        if self.process.pid is not None and self.running:
            os.kill(self.process.pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while self.running and time.monotonic() < deadline:
                time.sleep(0.005)


class _ClusterBackend:
    """The members' processes, seen as one backend by :class:`Service`."""

    def __init__(self, members: list[EtcdMember], data_dir: Path) -> None:
        self.members = members
        self.data_dir = data_dir

    @property
    def pid(self) -> int | None:
        return self.members[0].process.pid

    @property
    def log_path(self) -> Path | None:
        return self.members[0].process.log_path

    def poll(self) -> int | None:
        statuses = [m.process.poll() for m in self.members]
        return None if any(s is None for s in statuses) else statuses[0]

    def read_log(self) -> str:
        return "".join(
            f"{m.name}: {line}\n"
            for m in self.members
            for line in m.process.read_log().splitlines()
        )

    def stop(self) -> None:
        for member in self.members:
            member.process.stop()

    def discard_data(self) -> None:
        lifecycle.discard_data_dir(self.data_dir)


class EtcdCluster(Service):
    """A running etcd cluster: its members, the leader, and a client that fails over."""

    kind = "etcd"

    def __init__(self, backend: _ClusterBackend, *, program: str) -> None:
        super().__init__(backend, host=LOOPBACK, port=backend.members[0].client_port)
        self.members = backend.members
        self.program = program
        self._client: EtcdClient | None = None

    @property
    def url(self) -> str:
        """The first member's client URL."""
        return self.members[0].url

    @property
    def urls(self) -> list[str]:
        """Every member's client URL, in member order."""
        return [m.url for m in self.members]

    @property
    def client(self) -> EtcdClient:
        """A client over every member's URL (made on first use, closed at stop)."""
        if self._client is None:
            self._client = self.connect()
        return self._client

    def connect(self, urls: Sequence[str] | None = None, *, timeout: float = 2.0) -> EtcdClient:
        """A new :class:`EtcdClient` for ``urls`` (every member's by default)."""
        return EtcdClient(urls if urls is not None else self.urls, timeout=timeout)

    def leader(self, timeout: float = 10.0) -> EtcdMember:
        """The member the running members agree leads, waiting up to ``timeout`` s for one."""
        deadline = time.monotonic() + timeout
        while True:
            live = [m for m in self.members if m.running]
            views = {}
            for member in live:
                client = EtcdClient([member.url], timeout=0.5)
                try:
                    views[member.name] = client.status()
                except EtcdError:
                    pass
                finally:
                    client.close()
            leaders = {v["leader"] for v in views.values()}
            if len(leaders) == 1 and len(views) == len(live) and 0 not in leaders:
                found = [n for n, v in views.items() if v["member_id"] == v["leader"]]
                if found:
                    return next(m for m in self.members if m.name == found[0])
            if time.monotonic() > deadline:
                raise ServiceError("the etcd members agree on no leader", self.last_log_lines())
            time.sleep(0.01)

    def _close_clients(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _start_members(
    program: Path, data_dir: Path, size: int, options: list[str]
) -> list[EtcdMember]:
    ports = [(lifecycle.free_port(), lifecycle.free_port()) for _ in range(size)]
    names = [f"n{i + 1}" for i in range(size)]
    initial = ",".join(
        f"{n}=http://{LOOPBACK}:{peer}" for n, (_, peer) in zip(names, ports, strict=True)
    )
    members: list[EtcdMember] = []
    try:
        for name, (client_port, peer_port) in zip(names, ports, strict=True):
            folder = data_dir / name
            folder.mkdir()
            command = [
                str(program),
                "--name", name,
                "--data-dir", str(folder / "data"),
                "--listen-client-urls", f"http://{LOOPBACK}:{client_port}",
                "--advertise-client-urls", f"http://{LOOPBACK}:{client_port}",
                "--listen-peer-urls", f"http://{LOOPBACK}:{peer_port}",
                "--initial-advertise-peer-urls", f"http://{LOOPBACK}:{peer_port}",
                "--initial-cluster", initial,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", data_dir.name,
                "--logger", "zap",
                "--log-outputs", "stderr",
                *options,
            ]  # fmt: skip
            process = ServerProcess(command, data_dir=folder, stop_signal=signal.SIGTERM)
            members.append(EtcdMember(name, client_port, peer_port, process))
    except BaseException:
        for member in members:
            member.process.stop()
        raise
    return members


def _wait_until_healthy(members: list[EtcdMember], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        for member in members:
            status = member.process.poll()
            if status is not None:
                raise ServiceError(
                    f"etcd member {member.name} exited with status {status} before it was ready",
                    member.process.read_log_lines(),
                    member.process.log_path,
                )
        if all(is_healthy(m.url) for m in members):
            return
        if time.monotonic() > deadline:
            raise ServiceError(
                f"the etcd cluster was not healthy within {timeout:g} s",
                members[0].process.read_log_lines(),
                members[0].process.log_path,
            )
        time.sleep(0.02)


def etcd_cluster(
    size: int = 3,
    *,
    heartbeat_ms: int = 50,
    election_ms: int = 500,
    options: Sequence[str] = (),
    timeout: float = 20.0,
) -> EtcdCluster:
    """Start ``size`` etcd members on 127.0.0.1 as one cluster; returns its handle once every
    member is healthy.

    ``options`` are extra command-line options given to every member. Use the handle in a
    ``with`` block, or call ``stop()``; it also stops at interpreter exit and when the process
    is killed.
    """
    if size < 1:
        raise ValueError(f"a cluster needs at least one member, not {size}")
    program = programs.locate(programs.ETCD)
    arguments = [
        "--heartbeat-interval",
        str(heartbeat_ms),
        "--election-timeout",
        str(election_ms),
        *options,
    ]
    for attempt in range(lifecycle.PORT_TRIES):
        data_dir = lifecycle.make_data_dir("etcd")
        members: list[EtcdMember] = []
        try:
            members = _start_members(program, data_dir, size, arguments)
            _wait_until_healthy(members, timeout)
        except ServiceError as error:
            for member in members:
                member.process.stop()
            lifecycle.discard_data_dir(data_dir)
            if attempt + 1 < lifecycle.PORT_TRIES and lifecycle.port_was_taken(error):
                continue
            raise
        except BaseException:
            for member in members:
                member.process.stop()
            lifecycle.discard_data_dir(data_dir)
            raise
        return EtcdCluster(_ClusterBackend(members, data_dir), program=str(program))
    raise AssertionError("unreachable")


def etcd_server(*, options: Sequence[str] = (), timeout: float = 20.0) -> EtcdCluster:
    """Start a single etcd member (a cluster of one) on 127.0.0.1; see :func:`etcd_cluster`."""
    return etcd_cluster(1, options=options, timeout=timeout)
