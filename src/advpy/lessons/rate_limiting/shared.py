"""Rate limiters whose counters live in Redis, so that every process of an app shares them.

Each function decides one request for ``key`` at the time ``now_ms`` (milliseconds, given by
the caller so that several processes can agree on the instant) and returns a
:class:`Decision`. Windows are fixed on the clock: window number ``now_ms // window_ms``, whose
counter is the Redis key ``f"{key}:{number}"``; every counter expires by itself.

- :func:`naive_fixed_window` reads the count (``GET``), decides in Python, and writes the new
  count (``SET``): two round trips with a gap between them, in which another process can read
  the same old count. Under concurrency it lets through more than the limit.
- :func:`multi_fixed_window` sends ``INCR`` and ``PEXPIRE`` in one ``MULTI``/``EXEC``
  transaction: Redis runs them back to back, and ``INCR`` returns the new count, so each
  request learns its own place in the window.
- :func:`lua_fixed_window` and :func:`lua_sliding_window` run a Lua script inside Redis: the
  whole script runs before any other command, so the read, the decision and the write are one
  step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import redis


@dataclass(frozen=True)
class Decision:
    """One verdict: allowed or not, how many more requests this window has room for, and how
    long until the current window ends (milliseconds)."""

    allowed: bool
    remaining: int
    reset_ms: int


def window_key(key: str, now_ms: int, window_ms: int) -> tuple[str, int]:
    """The counter's key for the window ``now_ms`` falls in, and the ms left in that window."""
    number = now_ms // window_ms
    return f"{key}:{number}", (number + 1) * window_ms - now_ms


def naive_fixed_window(
    client: redis.Redis, key: str, limit: int, window_ms: int, now_ms: int
) -> Decision:
    """GET, decide, SET: correct alone, wrong under concurrency."""
    counter, reset_ms = window_key(key, now_ms, window_ms)
    count = int(client.get(counter) or 0)
    if count >= limit:
        return Decision(False, 0, reset_ms)
    client.set(counter, count + 1, px=window_ms)
    return Decision(True, limit - count - 1, reset_ms)


def multi_fixed_window(
    client: redis.Redis, key: str, limit: int, window_ms: int, now_ms: int
) -> Decision:
    """INCR and PEXPIRE in one MULTI/EXEC transaction; the new count decides."""
    counter, reset_ms = window_key(key, now_ms, window_ms)
    with client.pipeline(transaction=True) as pipe:
        pipe.incr(counter)
        pipe.pexpire(counter, window_ms)
        count, _ = pipe.execute()
    return Decision(count <= limit, max(0, limit - count), reset_ms)


#: KEYS[1] the window's counter; ARGV limit, window_ms. Counts only allowed requests.
FIXED_WINDOW_LUA = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
if count >= limit then
  return {0, 0}
end
count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return {1, limit - count}
"""

#: KEYS[1] this window's counter, KEYS[2] the previous window's; ARGV limit, window_ms,
#: elapsed_ms (since this window began). The previous count is weighted by the share of the
#: sliding window it still covers; all arithmetic is on integers (counts times milliseconds).
SLIDING_WINDOW_LUA = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local used = previous * (window - elapsed) + current * window
if used + window > limit * window then
  return {0, 0}
end
current = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], 2 * window)
used = used + window
return {1, math.floor((limit * window - used) / window)}
"""


def lua_fixed_window(
    client: redis.Redis, key: str, limit: int, window_ms: int, now_ms: int
) -> Decision:
    """The fixed window as one Lua script: read, decide and count in one step."""
    counter, reset_ms = window_key(key, now_ms, window_ms)
    allowed, remaining = client.eval(FIXED_WINDOW_LUA, 1, counter, limit, window_ms)  # type: ignore[misc]
    return Decision(bool(allowed), int(remaining), reset_ms)


def lua_sliding_window(
    client: redis.Redis, key: str, limit: int, window_ms: int, now_ms: int
) -> Decision:
    """The sliding window counter as one Lua script over this window's and the previous
    window's counters."""
    number = now_ms // window_ms
    elapsed = now_ms - number * window_ms
    keys = (f"{key}:{number}", f"{key}:{number - 1}")
    allowed, remaining = client.eval(  # type: ignore[misc]
        SLIDING_WINDOW_LUA, 2, *keys, limit, window_ms, elapsed
    )
    return Decision(bool(allowed), int(remaining), window_ms - elapsed)


SharedLimiter = Callable[[redis.Redis, str, int, int, int], Decision]

#: The shared limiters by name, in the order the lesson shows them.
SHARED_LIMITERS: dict[str, SharedLimiter] = {
    "GET then SET (naive)": naive_fixed_window,
    "MULTI: INCR + PEXPIRE": multi_fixed_window,
    "Lua fixed window": lua_fixed_window,
    "Lua sliding window counter": lua_sliding_window,
}
