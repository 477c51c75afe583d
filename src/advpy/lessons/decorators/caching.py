"""Caching decorators, measured: what an unbounded ``functools.cache`` holds against a bounded
``lru_cache``, and a time-to-live cache of one value driven by a clock you can move by hand.
"""

from __future__ import annotations

import functools
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def render_page(page: int) -> str:
    """A page of 1 kB of text: the expensive result worth caching."""
    return f"page {page}: ".ljust(1000, ".")


@dataclass(frozen=True)
class CacheMemory:
    """What a cache holds after ``calls`` calls with distinct arguments."""

    label: str
    calls: int
    entries: int
    kib_held: float


def measure_cache_memory(calls: int, maxsize: int | None) -> CacheMemory:
    """Call a freshly cached ``render_page`` with ``calls`` distinct pages and measure (with
    tracemalloc) the memory still allocated afterwards: the cache's entries and results."""
    cached = functools.lru_cache(maxsize=maxsize)(render_page)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for page in range(calls):
            cached(page)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    label = "functools.cache (unbounded)" if maxsize is None else f"lru_cache(maxsize={maxsize})"
    return CacheMemory(label, calls, cached.cache_info().currsize, (after - before) / 1024)


class FakeClock:
    """A clock for tests and demos: it returns ``now``, which moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        self.now += seconds


def cached_for(
    seconds: float, clock: Callable[[], float] = time.monotonic
) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Cache the result of a function *without arguments* for ``seconds`` (as read from
    ``clock``): a settings file or a list of feature flags, fetched at most once a period."""

    def decorate(func: Callable[[], T]) -> Callable[[], T]:
        state: dict[str, Any] = {}

        @functools.wraps(func)
        def wrapper() -> T:
            now = clock()
            if "value" not in state or now - state["at"] >= seconds:
                state["value"], state["at"] = func(), now
            value: T = state["value"]
            return value

        return wrapper

    return decorate
