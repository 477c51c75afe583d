"""The five classic rate limiters, in memory, each deciding one request at a time.

Every limiter is told the time of each request (``now``, in seconds) instead of reading a
clock, so a trace of arrival times can be replayed exactly, in a test or a plot, without
waiting. ``allow(now)`` answers True (let it through) or False (reject it). The requests must
arrive in order of time.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """Holds up to ``capacity`` tokens, refilled at ``rate`` tokens per second; a request takes
    one. Bursts up to ``capacity`` pass at once, then requests pass at ``rate``."""

    capacity: float
    rate: float
    tokens: float = field(init=False)
    last: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity

    def allow(self, now: float) -> bool:
        if self.last is not None:
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class LeakyBucket:
    """A queue of at most ``capacity`` requests, served at ``rate`` per second: a request is
    accepted when there is room in the queue, and leaves it at a steady pace. ``served`` holds
    the time each accepted request is served (later than it arrived when the queue is busy)."""

    capacity: int
    rate: float
    served: list[float] = field(default_factory=list, init=False)
    _queue: deque[float] = field(default_factory=deque, init=False)

    def allow(self, now: float) -> bool:
        while self._queue and self._queue[0] <= now:
            self._queue.popleft()  # released to the app: no longer waiting
        if len(self._queue) >= self.capacity:
            return False
        release = now if not self.served else max(now, self.served[-1] + 1 / self.rate)
        if release > now:
            self._queue.append(release)
        self.served.append(release)
        return True


@dataclass
class FixedWindow:
    """At most ``limit`` requests per window of ``window`` seconds, the windows fixed on the
    clock (``[0, window)``, ``[window, 2 * window)``...); the count starts again at 0 in each."""

    limit: int
    window: float
    _index: int = field(default=-1, init=False)
    _count: int = field(default=0, init=False)

    def allow(self, now: float) -> bool:
        index = math.floor(now / self.window)
        if index != self._index:
            self._index, self._count = index, 0
        if self._count < self.limit:
            self._count += 1
            return True
        return False


@dataclass
class SlidingLog:
    """At most ``limit`` requests in any ``window`` seconds ending now, exactly: it keeps the
    time of every request it let through during the last window (memory grows with the limit)."""

    limit: int
    window: float
    _log: deque[float] = field(default_factory=deque, init=False)

    def allow(self, now: float) -> bool:
        while self._log and self._log[0] <= now - self.window:
            self._log.popleft()
        if len(self._log) < self.limit:
            self._log.append(now)
            return True
        return False


@dataclass
class SlidingWindowCounter:
    """Two counters, the current fixed window's and the previous one's, the previous weighted
    by how much of it the sliding window still covers: an estimate of the sliding log's count
    in constant memory."""

    limit: int
    window: float
    _index: int = field(default=0, init=False)
    _current: int = field(default=0, init=False)
    _previous: int = field(default=0, init=False)

    def estimate(self, now: float) -> float:
        """The weighted count of the last ``window`` seconds, before this request."""
        index = math.floor(now / self.window)
        if index != self._index:
            self._previous = self._current if index == self._index + 1 else 0
            self._current, self._index = 0, index
        elapsed = now - index * self.window
        return self._previous * (self.window - elapsed) / self.window + self._current

    def allow(self, now: float) -> bool:
        if self.estimate(now) + 1 <= self.limit:
            self._current += 1
            return True
        return False


Limiter = TokenBucket | LeakyBucket | FixedWindow | SlidingLog | SlidingWindowCounter


def make_limiters(limit: int, window: float) -> dict[str, Limiter]:
    """The five limiters, each set to allow about ``limit`` requests per ``window`` seconds on
    average (the buckets refill or leak at ``limit / window`` per second and hold ``limit``)."""
    rate = limit / window
    return {
        "token bucket": TokenBucket(capacity=limit, rate=rate),
        "leaky bucket": LeakyBucket(capacity=limit, rate=rate),
        "fixed window": FixedWindow(limit, window),
        "sliding log": SlidingLog(limit, window),
        "sliding window counter": SlidingWindowCounter(limit, window),
    }
