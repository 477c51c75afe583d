"""A lock across machines on etcd: a lease, a lock key tied to it, the key's revision as a
fencing token, and storage that checks tokens.

A lock held by a process on another machine cannot be held forever: that process may crash,
pause (a garbage collection, a swapped-out page, a stopped VM) or lose the network. So the lock
is a **lease**: etcd grants a lease with a time to live (TTL, whole seconds) and ends it when
nobody renews it in time, deleting every key attached to it. Taking the lock is one
transaction: *if the lock key was never created* (its ``create_revision`` is 0), *put it,
attached to my lease*. etcd numbers every write in the cluster with a revision that only grows,
so the revision at which the lock key was created is a **fencing token**: whoever takes the
lock later gets a larger one. The storage remembers the highest token it has seen and refuses
writes carrying a smaller one, so a holder that paused past its lease cannot overwrite the work
of the next.

Everything goes through :class:`advpy.services.EtcdClient` (etcd's v3 JSON gateway, where keys
and values travel base64-encoded).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from advpy.services import EtcdError
from advpy.services.etcd import b64, unb64

if TYPE_CHECKING:
    from advpy.services import EtcdClient, EtcdCluster


@dataclass(frozen=True)
class Held:
    """A lock someone holds: who, under which etcd lease, and the fencing token it got."""

    owner: str
    lease_id: str
    token: int


class EtcdLock:
    """The lock ``name`` in etcd; each holder's key lives as long as its lease (``ttl_s``)."""

    def __init__(self, client: EtcdClient, name: str, ttl_s: int) -> None:
        self.client = client
        self.name = name
        self.ttl_s = ttl_s

    def acquire(self, owner: str) -> Held | None:
        """Take the lock for ``owner`` if its key does not exist; None if someone holds it."""
        lease_id = self.client.call("/v3/lease/grant", {"TTL": self.ttl_s})["ID"]
        key = b64(self.name)
        answer = self.client.call(
            "/v3/kv/txn",
            {
                "compare": [
                    {"key": key, "target": "CREATE", "result": "EQUAL", "create_revision": "0"}
                ],
                "success": [{"request_put": {"key": key, "value": b64(owner), "lease": lease_id}}],
            },
        )
        if not answer.get("succeeded"):
            self.client.call("/v3/lease/revoke", {"ID": lease_id})  # an unused lease: give it back
            return None
        return Held(owner, lease_id, token=int(answer["header"]["revision"]))

    def keep_alive(self, held: Held) -> int:
        """Renew the lease for another TTL; the TTL granted, 0 if the lease had already ended."""
        answer = self.client.call("/v3/lease/keepalive", {"ID": held.lease_id})
        return int(answer.get("result", {}).get("TTL", 0))

    def release(self, held: Held) -> bool:
        """End the holder's lease, which deletes its key; False if the lease had ended already.

        Releasing by lease, not by key name, means a holder whose lease expired cannot delete
        the key of whoever holds the lock now: that key hangs on another lease."""
        try:
            self.client.call("/v3/lease/revoke", {"ID": held.lease_id})
        except EtcdError as error:
            if "lease not found" in str(error):
                return False
            raise
        return True

    def holder(self) -> tuple[str, int] | None:
        """Who holds the lock now and the revision at which its key was created, or None."""
        kvs = self.client.call("/v3/kv/range", {"key": b64(self.name)}).get("kvs", [])
        if not kvs:
            return None
        return unb64(kvs[0].get("value", "")), int(kvs[0]["create_revision"])


def wait_until_gone(lock: EtcdLock, timeout: float = 10.0) -> float:
    """Poll every 10 ms until nobody holds ``lock``; returns the seconds it took."""
    started = time.monotonic()
    while lock.holder() is not None:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"the lock {lock.name!r} was still held after {timeout:g} s")
        time.sleep(0.01)
    return time.monotonic() - started


@dataclass(frozen=True)
class Expiry:
    """A lease kept alive ``renewals`` times, then left alone until its key vanished."""

    ttl_s: int
    renewals: int
    kept_s: float
    held_after_keep_alive: bool
    gone_after_s: float


def keep_alive_then_expire(client: EtcdClient, *, ttl_s: int, renewals: int = 3) -> Expiry:
    """Hold a lock for longer than its TTL by renewing every half TTL, then stop renewing and
    time how long after the last renewal its key disappears."""
    lock = EtcdLock(client, "expiry-demo", ttl_s)
    held = lock.acquire("A")
    if held is None:
        raise RuntimeError("the demo lock is held by someone else")
    started = time.monotonic()
    for _ in range(renewals):
        time.sleep(ttl_s / 2)
        lock.keep_alive(held)
    renewed = time.monotonic()
    still_held = lock.holder() == ("A", held.token)
    wait_until_gone(lock)
    return Expiry(ttl_s, renewals, renewed - started, still_held, time.monotonic() - renewed)


@dataclass
class Storage:
    """The storage the lock protects (a file server, a database), here a dict in this process.

    With ``fenced`` it keeps, per key, the largest token any accepted write carried, and refuses
    a write whose token is smaller; without, it takes every write."""

    fenced: bool
    values: dict[str, str] = field(default_factory=dict)
    largest: dict[str, int] = field(default_factory=dict)

    def write(self, key: str, value: str, token: int) -> bool:
        """Store ``value`` under ``key``; False (nothing changed) when fencing refuses it."""
        if self.fenced and key in self.largest and token < self.largest[key]:
            return False
        self.values[key] = value
        self.largest[key] = max(token, self.largest.get(key, token))
        return True


@dataclass(frozen=True)
class PauseStory:
    """What happened when the first holder paused, told as events, and what each store kept."""

    events: list[str]
    plain: str | None
    fenced: str | None


def paused_holder(client: EtcdClient, *, ttl_s: int, pause_s: float | None = None) -> PauseStory:
    """A takes the lock and pauses; B tries to take it and, if it can, writes; A wakes and
    writes too, then releases. Every write goes to two stores, one that ignores tokens and one
    that checks them. ``pause_s=None`` pauses A until its lease has ended and its key is gone."""
    lock = EtcdLock(client, "report-lock", ttl_s)
    plain, fenced = Storage(fenced=False), Storage(fenced=True)

    def write(who: str, token: int) -> str:
        return f"plain store {plain.write('report', who, token)}, fenced store " + str(
            fenced.write("report", who, token)
        )

    events: list[str] = []
    a = lock.acquire("A")
    if a is None:
        raise RuntimeError("the story's lock is held by someone else")
    events.append(f"A holds the lock, token {a.token}")
    events.append(f"B tries while A holds it: {lock.acquire('B')}")
    started = time.monotonic()
    if pause_s is None:
        wait_until_gone(lock)
    else:
        time.sleep(pause_s)
    events.append(
        f"A pauses {time.monotonic() - started:.1f} s (TTL {ttl_s} s); "
        f"the lock's holder now: {lock.holder()}"
    )
    b = lock.acquire("B")
    events.append(f"B takes the lock: token {b.token if b else None}")
    if b is not None:
        events.append(f"B writes with token {b.token}: {write('B', b.token)}")
    events.append(f"A wakes, writes with token {a.token}: {write('A', a.token)}")
    events.append(f"A releases: {lock.release(a)}; the lock's holder now: {lock.holder()}")
    if b is not None:
        lock.release(b)
    return PauseStory(events, plain.values.get("report"), fenced.values.get("report"))


def etcd_version(server: EtcdCluster) -> str:
    """The version the etcd server reports at ``/version``."""
    import httpx

    return str(httpx.get(server.url + "/version", timeout=2.0).json()["etcdserver"])


def etcdctl_lock(server: EtcdCluster, name: str) -> dict[str, str]:
    """Take the lock ``name`` with etcd's own recipe, ``etcdctl lock NAME -- COMMAND``, which
    runs COMMAND while it holds the lock; the command here prints the two variables etcdctl
    gives it, the lock's key and the revision at which it got the lock."""
    program = Path(server.program).with_name("etcdctl")  # installed with the server
    command = [str(program), "--endpoints", server.url, "lock", name, "--"]
    command += ["printenv", "ETCD_LOCK_KEY", "ETCD_LOCK_REV"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    key, revision = done.stdout.split()
    return {"ETCD_LOCK_KEY": key, "ETCD_LOCK_REV": revision}
