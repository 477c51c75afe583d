"""The other tools of :mod:`threading`, each in a small piece of code the lesson shows.

- :class:`Stock`: a class whose locked method calls another locked method; with a plain
  ``Lock`` that second acquire waits forever, with an ``RLock`` it goes through.
- :func:`waits_forever`: runs a call in a daemon thread and reports whether it finished within
  a deadline, so a notebook can show a hang without hanging.
- :class:`BoundedBuffer`: a fixed-size buffer built on one :class:`threading.Condition`.
- :func:`measure_connection_limit`: jobs that each hold a "connection" for a while, with and
  without a :class:`threading.BoundedSemaphore` capping how many run at once.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Stock",
    "waits_forever",
    "BoundedBuffer",
    "LimitRun",
    "measure_connection_limit",
]


class Stock:
    """Items in a warehouse. ``add`` takes the lock; ``restock`` takes it too and calls ``add``
    while holding it, which only a re-entrant lock allows."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self.items = 0

    def add(self, count: int) -> None:
        with self.lock:
            self.items += count

    def restock(self, counts: list[int]) -> None:
        with self.lock:  # held while add() takes it again
            for count in counts:
                self.add(count)


def waits_forever(call: Callable[[], object], deadline: float = 0.5) -> bool:
    """Run ``call()`` in a daemon thread; True if it is still running after ``deadline``
    seconds (then it is left behind: a daemon thread does not keep Python alive)."""
    thread = threading.Thread(target=call, daemon=True, name="might-hang")
    thread.start()
    thread.join(deadline)
    return thread.is_alive()


class BoundedBuffer:
    """At most ``capacity`` items: ``put`` waits while it is full, ``get`` while it is empty.
    One lock guards the deque; the Condition built on it lets a thread sleep until another
    thread changes the buffer and calls ``notify_all``."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.items: deque[Any] = deque()
        self.changed = threading.Condition()

    def put(self, item: Any) -> None:
        with self.changed:
            self.changed.wait_for(lambda: len(self.items) < self.capacity)
            self.items.append(item)
            self.changed.notify_all()

    def get(self) -> Any:
        with self.changed:
            self.changed.wait_for(lambda: len(self.items) > 0)
            item = self.items.popleft()
            self.changed.notify_all()
            return item


@dataclass(frozen=True)
class LimitRun:
    """``jobs`` jobs of ``hold`` seconds, each in its own thread, capped at ``limit`` (None: no
    cap): the most that held a connection at once, and the total time."""

    limit: int | None
    jobs: int
    hold: float
    peak: int
    seconds: float


def measure_connection_limit(jobs: int, limit: int | None, hold: float = 0.02) -> LimitRun:
    """Start ``jobs`` threads at once; each "uses a connection" (sleeps ``hold`` s) inside a
    ``BoundedSemaphore(limit)``, or freely when ``limit`` is None."""
    gate = threading.BoundedSemaphore(limit) if limit is not None else None
    count_lock = threading.Lock()
    in_use = [0, 0]  # now, peak

    def job() -> None:
        if gate is not None:
            gate.acquire()
        try:
            with count_lock:
                in_use[0] += 1
                in_use[1] = max(in_use[1], in_use[0])
            time.sleep(hold)
            with count_lock:
                in_use[0] -= 1
        finally:
            if gate is not None:
                gate.release()

    threads = [threading.Thread(target=job) for _ in range(jobs)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LimitRun(limit, jobs, hold, in_use[1], time.perf_counter() - start)
