"""Lost updates, and the lock that stops them.

Lesson 01 (:mod:`advpy.lessons.gil.switching`) showed four threads losing updates to one
counter when a call sits between reading the value and writing it back. Here the same race is
run again with a :class:`threading.Lock` around the update, the lock's own cost is timed, and
a second common shape of the race is measured: counting into a dict with
``counts[key] = counts.get(key, 0) + 1``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from advpy.lessons import timing
from advpy.lessons.gil.switching import Counter, add_one_via_call, one, run_threads_together

__all__ = [
    "LockedCounter",
    "add_one_locked",
    "COUNTER_CODES",
    "RaceResult",
    "measure_counter",
    "count_words_unlocked",
    "count_words_locked",
    "DICT_CODES",
    "measure_dict_count",
    "LockCost",
    "measure_lock_cost",
]


class LockedCounter(Counter):
    """A :class:`~advpy.lessons.gil.switching.Counter` with the lock that guards ``value``."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()


def add_one_locked(counter: LockedCounter, times: int) -> None:
    """``counter.value += one()`` ``times`` times, each under ``counter.lock``: a switch at the
    call can still happen, but no other thread can touch ``value`` until the write is done."""
    for _ in range(times):
        with counter.lock:
            counter.value += one()


def _add_one_via_call(counter: LockedCounter, times: int) -> None:
    add_one_via_call(counter, times)


#: The two ways of adding, by the line of code each runs.
COUNTER_CODES: dict[str, Callable[[LockedCounter, int], None]] = {
    "counter.value += one()": _add_one_via_call,
    "with lock: counter.value += one()": add_one_locked,
}


@dataclass(frozen=True)
class RaceResult:
    """``threads`` threads each made ``times`` updates with ``code``; ``final`` updates stuck."""

    code: str
    threads: int
    times: int
    final: int
    runs: int = 1  # runs made before one lost an update (or :data:`RACE_RUNS`, or 1 with a lock)

    @property
    def expected(self) -> int:
        return self.threads * self.times

    @property
    def lost(self) -> int:
        return self.expected - self.final


#: The most runs of the unlocked update made to see it lose an update. A race depends on when
#: threads are switched: on a machine whose cores are all busy, a waiting thread may not get a
#: core while another runs its whole loop, and one run can lose nothing.
RACE_RUNS = 5


def measure_counter(*, times: int, threads: int = 4, interval: float = 1e-6) -> list[RaceResult]:
    """Each way of adding in :data:`COUNTER_CODES`, run by ``threads`` threads at once on one
    counter under the switch interval ``interval`` (put back afterwards). The unlocked way is
    run again, up to :data:`RACE_RUNS` times, until a run loses an update; the locked way once."""
    results = []
    for code, add in COUNTER_CODES.items():
        locked = add is add_one_locked
        for run in range(1, 1 + (1 if locked else RACE_RUNS)):
            counter = LockedCounter()
            run_threads_together(partial(add, counter, times), threads, interval)
            result = RaceResult(code, threads, times, counter.value, run)
            if result.lost:
                break
        results.append(result)
    return results


def count_words_unlocked(counts: dict[str, int], words: list[str]) -> None:
    """Count ``words`` into ``counts`` with a read (``get``), an add and a store."""
    for word in words:
        counts[word] = counts.get(word, 0) + 1


def count_words_locked(counts: dict[str, int], words: list[str], lock: threading.Lock) -> None:
    """The same, with the read, the add and the store under ``lock``."""
    for word in words:
        with lock:
            counts[word] = counts.get(word, 0) + 1


DICT_CODES = (
    "counts[w] = counts.get(w, 0) + 1",
    "with lock: counts[w] = counts.get(w, 0) + 1",
)


def measure_dict_count(
    *, words: int, threads: int = 4, vocabulary: int = 10, interval: float = 1e-6
) -> list[RaceResult]:
    """``threads`` threads each count ``words`` words (drawn in turn from ``vocabulary``
    different ones) into one shared dict, unlocked and then locked."""
    text = [f"w{i % vocabulary}" for i in range(words)]
    results = []
    for code in DICT_CODES:
        counts: dict[str, int] = {}
        lock = threading.Lock()
        target = (
            partial(count_words_unlocked, counts, text)
            if code == DICT_CODES[0]
            else partial(count_words_locked, counts, text, lock)
        )
        run_threads_together(target, threads, interval)
        results.append(RaceResult(code, threads, words, sum(counts.values())))
    return results


@dataclass(frozen=True)
class LockCost:
    """Nanoseconds per update of one thread alone, by how the update is written."""

    code: str
    nanoseconds: float


def measure_lock_cost(updates: int, repeats: int = 5) -> list[LockCost]:
    """One thread, no contention: ``updates`` additions to a counter, plain, under a ``Lock``
    taken with ``with``, and under an ``RLock``; best of ``repeats``."""
    lock, rlock = threading.Lock(), threading.RLock()

    def plain() -> None:
        counter = Counter()
        for _ in range(updates):
            counter.value += 1

    def locked() -> None:
        counter = Counter()
        for _ in range(updates):
            with lock:
                counter.value += 1

    def rlocked() -> None:
        counter = Counter()
        for _ in range(updates):
            with rlock:
                counter.value += 1

    cases = [
        ("counter.value += 1", plain),
        ("with lock: ...", locked),
        ("with rlock: ...", rlocked),
    ]
    return [LockCost(code, timing.best_time(repeats, func) / updates * 1e9) for code, func in cases]
