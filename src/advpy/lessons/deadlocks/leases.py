"""A lock across machines: a lease in Redis with a fencing token, and storage that checks it.

A lock held by a process on another machine cannot be held forever: that process may crash,
or pause (a garbage collection, a swapped-out page, a stopped VM) or lose the network. So the
lock is a **lease**: it expires after ``ttl_ms`` unless renewed. Expiry brings the opposite
danger: a paused holder wakes up still believing it holds the lock. A **fencing token** is a
number that grows with every grant; the storage remembers the highest token it has seen and
refuses writes carrying a smaller one, so the stale holder's write is refused.

Each step below is one Lua script, which Redis runs atomically: nothing runs between a check
and the change that depends on it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import redis

#: Take the lease if nobody holds it, then count one more grant: the count is the token.
ACQUIRE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false
"""

#: Delete the lease only if this owner still holds it (compare-and-delete).
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

#: Write only if the token is at least the highest this key has seen.
FENCED_WRITE = """
local highest = tonumber(redis.call('HGET', KEYS[1], 'token') or '-1')
if tonumber(ARGV[2]) < highest then
  return 0
end
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'token', ARGV[2])
return 1
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class LeaseLock:
    """A lease named ``name`` in Redis, with its fencing counter at ``name:fence``."""

    def __init__(self, client: redis.Redis, name: str, ttl_ms: int) -> None:
        self.client = client
        self.name = name
        self.ttl_ms = ttl_ms
        self._acquire = client.register_script(ACQUIRE)
        self._release = client.register_script(RELEASE)

    def acquire(self, owner: str) -> int | None:
        """The fencing token if ``owner`` now holds the lease, None if someone else does."""
        token = self._acquire(keys=[self.name, f"{self.name}:fence"], args=[owner, self.ttl_ms])
        return None if token is None else int(token)

    def release(self, owner: str) -> bool:
        """Give the lease back, if ``owner`` still holds it."""
        return bool(self._release(keys=[self.name], args=[owner]))

    def holder(self) -> str | None:
        """Who holds the lease now."""
        value = self.client.get(self.name)
        return None if value is None else _text(value)


class Storage:
    """A tiny key-value store in Redis hashes that can check fencing tokens."""

    def __init__(self, client: redis.Redis, *, fenced: bool) -> None:
        self.client = client
        self.fenced = fenced
        self._write = client.register_script(FENCED_WRITE)

    def write(self, key: str, value: str, token: int) -> bool:
        """Store ``value``; a fenced store refuses a token below the highest seen."""
        if not self.fenced:
            self.client.hset(f"storage:{key}", mapping={"value": value, "token": token})
            return True
        return bool(self._write(keys=[f"storage:{key}"], args=[value, token]))

    def read(self, key: str) -> str | None:
        """The value stored under ``key``."""
        value = self.client.hget(f"storage:{key}", "value")
        return None if value is None else _text(value)


@dataclass(frozen=True)
class PauseStory:
    """What happened when the first holder paused past its lease."""

    fenced: bool
    events: list[str]
    final: str | None


def paused_holder(client: redis.Redis, *, ttl_ms: int, fenced: bool) -> PauseStory:
    """Client A takes the lease and pauses longer than the lease lasts; B takes it, writes;
    A wakes up and writes too, then tries to release."""
    client.delete("report-lock", "report-lock:fence", "storage:report")
    lock = LeaseLock(client, "report-lock", ttl_ms)
    store = Storage(client, fenced=fenced)
    events: list[str] = []
    token_a = lock.acquire("A")
    assert token_a is not None
    events.append(f"A holds the lease, token {token_a}")
    events.append(f"B tries while A holds it: {lock.acquire('B')}")
    time.sleep(ttl_ms / 1000 * 1.5)  # A's pause: a long garbage collection, say
    events.append(f"A paused {ttl_ms * 1.5:.0f} ms; the lease's holder now: {lock.holder()}")
    token_b = lock.acquire("B")
    assert token_b is not None
    events.append(f"B holds the lease, token {token_b}")
    events.append(f"B writes with token {token_b}: {store.write('report', 'B', token_b)}")
    events.append(f"A wakes, writes with token {token_a}: {store.write('report', 'A', token_a)}")
    events.append(f"A releases: {lock.release('A')} (B still holds it: {lock.holder() == 'B'})")
    lock.release("B")
    return PauseStory(fenced=fenced, events=events, final=store.read("report"))


def lease_ttl(client: redis.Redis, name: str) -> int:
    """Milliseconds left on a lease (Redis ``PTTL``: -2 when there is none)."""
    return int(client.pttl(name))


def redis_info(client: redis.Redis) -> dict[str, Any]:
    """The Redis server's version."""
    info = client.info("server")
    return {"redis_version": info["redis_version"]}
