"""Locks that record who holds them and who waits for them, and a detector that breaks
deadlocks the way a database does: find a cycle in the wait-for graph, pick a victim, make its
wait fail.

A :class:`TrackedLock` is a ``threading.Lock`` that writes into a shared :class:`LockTable`.
A thread that cannot get it at once waits in short slices (``acquire(timeout=...)``), so that
between two slices it can notice that the detector chose it as a victim and raise
:class:`DeadlockVictim`; the thread then leaves its ``with`` blocks, which releases what it
holds, and the others go on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

from advpy.lessons.deadlocks.waitfor import find_cycle, wait_for_graph

#: How long a blocked thread waits before it looks whether it was chosen as a victim.
SLICE = 0.002


class DeadlockVictim(RuntimeError):
    """Raised in a thread that the detector chose to break a deadlock."""


@dataclass(frozen=True)
class Detection:
    """One deadlock found: the cycle, the victim, and how long the cycle had existed."""

    cycle: list[str]
    victim: str
    waited: float  # seconds from the last waiter of the cycle starting to wait to detection


@dataclass
class LockTable:
    """Who holds which tracked lock and who waits for which, behind one guard."""

    holders: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)
    since: dict[str, float] = field(default_factory=dict)
    victims: set[str] = field(default_factory=set)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def lock(self, name: str) -> TrackedLock:
        """A new lock named ``name`` that reports to this table."""
        return TrackedLock(self, name)

    def snapshot(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        """``(held, wanted)``: each resource's holders and each waiter's resource, as plain
        data (the input of :func:`~advpy.lessons.deadlocks.waitfor.wait_for_graph`)."""
        with self.guard:
            held = {resource: [holder] for resource, holder in self.holders.items()}
            return held, dict(self.waiting)

    def graph(self) -> dict[str, list[str]]:
        """The wait-for graph right now."""
        return wait_for_graph(*self.snapshot())


class TrackedLock:
    """A ``threading.Lock`` that reports its holder and its waiters to a :class:`LockTable`."""

    def __init__(self, table: LockTable, name: str) -> None:
        self.table = table
        self.name = name
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Take the lock; raises :class:`DeadlockVictim` if the detector picks this thread
        while it waits."""
        me = threading.current_thread().name
        table = self.table
        if not self._lock.acquire(blocking=False):
            with table.guard:
                table.waiting[me] = self.name
                table.since[me] = time.perf_counter()
            try:
                while not self._lock.acquire(timeout=SLICE):
                    if me in table.victims:
                        with table.guard:
                            table.victims.discard(me)
                        raise DeadlockVictim(f"{me} was chosen to break a deadlock")
            finally:
                with table.guard:
                    table.waiting.pop(me, None)
                    table.since.pop(me, None)
        with table.guard:
            table.holders[self.name] = me

    def try_acquire(self) -> bool:
        """Take the lock only if it is free right now (a try-lock: it never waits)."""
        if not self._lock.acquire(blocking=False):
            return False
        with self.table.guard:
            self.table.holders[self.name] = threading.current_thread().name
        return True

    def release(self) -> None:
        """Give the lock back."""
        with self.table.guard:
            self.table.holders.pop(self.name, None)
        self._lock.release()

    def __enter__(self) -> TrackedLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


class Detector:
    """A thread that looks at the wait-for graph every ``interval`` seconds and, when it finds
    a cycle, makes one thread of it (the one that started waiting last) a victim."""

    def __init__(self, table: LockTable, interval: float) -> None:
        self.table = table
        self.interval = interval
        self.detections: list[Detection] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="detector", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()

    def check(self) -> Detection | None:
        """Look once; returns the detection, if any."""
        table = self.table
        cycle = find_cycle(table.graph())
        if cycle is None:
            return None
        with table.guard:
            if not all(node in table.waiting for node in cycle):
                return None  # the cycle was already broken between the two looks
            victim = max(cycle, key=lambda node: table.since[node])
            waited = time.perf_counter() - table.since[victim]
            table.victims.add(victim)
        found = Detection(cycle=cycle, victim=victim, waited=waited)
        self.detections.append(found)
        return found

    def __enter__(self) -> Detector:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
