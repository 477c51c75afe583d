"""Singletons made by a metaclass, the race in the naive one, and what getting one costs.

A singleton metaclass overrides ``__call__``, the method that runs when a class is called:
instead of always building a new object, it hands back the one it built the first time. The
naive version checks "built yet?" and then builds, in two steps; threads that run between the
check and the store build one instance each.

- :class:`NaiveSingletonMeta`: check, then build, no lock (the usual first sketch).
- :class:`LockedSingletonMeta`: the same check, then the check again under a lock
  ("double-checked locking"): once the instance exists, no call takes the lock.
- :class:`AlwaysLockedSingletonMeta`: takes the lock on every call.
- :func:`measure_race`: threads started together at a barrier each ask a new class for its
  instance, many times over; the record counts the tries that produced more than one.
- :func:`measure_call_costs`: what one call costs once the instance exists, for each way.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
import threading
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "NaiveSingletonMeta",
    "LockedSingletonMeta",
    "AlwaysLockedSingletonMeta",
    "INITS",
    "WAYS",
    "RaceRecord",
    "measure_race",
    "measure_races",
    "CostRecord",
    "measure_call_costs",
]


class NaiveSingletonMeta(type):
    """One instance per class, kept in a dict on the metaclass: check, then build. Not
    thread-safe: two threads can both find the class missing and both build."""

    _instances: dict[type, Any] = {}

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]


class LockedSingletonMeta(type):
    """One instance per class, thread-safe by double-checked locking.

    The first check costs no lock, so every call after the first is as cheap as the naive
    version's. Only a thread that finds no instance takes the lock, then checks again: another
    thread may have built the instance while this one waited for the lock.
    """

    _instances: dict[type, Any] = {}
    _lock = threading.RLock()  # re-entrant: a singleton's __init__ may ask for another one

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls not in cls._instances:
            with cls._lock:
                if cls not in cls._instances:
                    cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]


class AlwaysLockedSingletonMeta(type):
    """One instance per class, thread-safe by taking the lock on every call."""

    _instances: dict[type, Any] = {}
    _lock = threading.RLock()

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        with cls._lock:
            if cls not in cls._instances:
                cls._instances[cls] = super().__call__(*args, **kwargs)
            return cls._instances[cls]


#: Settings a pure-Python ``__init__`` parses: 200 ``key = value`` lines.
SETTINGS_LINES = tuple(f"option{i} = value{i}" for i in range(200))


def _parse_settings(self: Any) -> None:
    """An ``__init__`` that does Python work only: it parses 200 settings lines."""
    self.settings = dict(line.split(" = ", 1) for line in SETTINGS_LINES)


def _connect(self: Any) -> None:
    """An ``__init__`` that opens a database, as a ``Database`` singleton does; sqlite3 lets go
    of the GIL while SQLite opens it."""
    self.connection = sqlite3.connect(":memory:", check_same_thread=False)


#: The ``__init__`` of the class whose instance the threads race for, by what it does.
INITS: dict[str, Callable[[Any], None] | None] = {
    "no __init__": None,
    "parses 200 settings lines": _parse_settings,
    "opens a SQLite database": _connect,
}


def _close(self: Any) -> None:
    connection = getattr(self, "connection", None)
    if connection is not None:
        connection.close()


def _new_class(meta: type, init: Callable[[Any], None] | None) -> type:
    namespace: dict[str, Any] = {"close": _close}
    if init is not None:
        namespace["__init__"] = init
    return meta("Database", (), namespace)


def _naive(init: Callable[[Any], None] | None) -> tuple[Callable[[], Any], Callable[[], None]]:
    cls = _new_class(NaiveSingletonMeta, init)
    return cls, lambda: NaiveSingletonMeta._instances.pop(cls, None)


def _locked(init: Callable[[Any], None] | None) -> tuple[Callable[[], Any], Callable[[], None]]:
    cls = _new_class(LockedSingletonMeta, init)
    return cls, lambda: LockedSingletonMeta._instances.pop(cls, None)


def _cached(init: Callable[[Any], None] | None) -> tuple[Callable[[], Any], Callable[[], None]]:
    cls = _new_class(type, init)

    @functools.cache
    def get_database() -> Any:
        return cls()

    return get_database, get_database.cache_clear


#: Ways of getting "the" instance: each makes (a zero-argument getter, a reset) for a new class
#: with the given ``__init__``.
WAYS: dict[
    str, Callable[[Callable[[Any], None] | None], tuple[Callable[[], Any], Callable[[], None]]]
] = {
    "naive SingletonMeta": _naive,
    "functools.cache factory": _cached,
    "double-checked lock": _locked,
}


@dataclass(frozen=True)
class RaceRecord:
    """``tries`` times, ``threads`` threads started together each got "the" instance once."""

    way: str  # a key of WAYS
    init: str  # a key of INITS
    interval: float  # the switch interval during the run (seconds)
    threads: int
    tries: int
    duplicated: int  # tries in which the threads got more than one instance
    extra: int  # instances built beyond one per try, over all tries

    @property
    def share(self) -> float:
        """The share of tries that built more than one instance (0.0 to 1.0)."""
        return self.duplicated / self.tries if self.tries else 0.0


def _one_try(way: str, init: str, threads: int) -> int:
    """How many distinct instances ``threads`` threads got in one try."""
    get, reset = WAYS[way](INITS[init])
    start = threading.Barrier(threads)
    got: list[Any] = []

    def run() -> None:
        start.wait()
        got.append(get())  # list.append is atomic: no result is lost

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    distinct = {id(instance): instance for instance in got}  # `got` keeps them all alive
    for instance in distinct.values():
        instance.close()
    reset()
    return len(distinct)


def measure_race(
    way: str, init: str, *, tries: int, threads: int = 8, interval: float = 1e-6
) -> RaceRecord:
    """``tries`` tries of :func:`_one_try` under the switch interval ``interval`` (put back
    afterwards). Each try uses a new class, so every try starts with no instance."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        counts = [_one_try(way, init, threads) for _ in range(tries)]
    finally:
        sys.setswitchinterval(previous)
    duplicated = sum(1 for count in counts if count > 1)
    return RaceRecord(way, init, interval, threads, tries, duplicated, sum(counts) - tries)


def measure_races(
    ways: list[str], inits: list[str], intervals: list[float], *, tries: int, threads: int = 8
) -> list[RaceRecord]:
    """:func:`measure_race` for every combination, the same number of tries each."""
    return [
        measure_race(way, init, tries=tries, threads=threads, interval=interval)
        for interval in intervals
        for init in inits
        for way in ways
    ]


@dataclass(frozen=True)
class CostRecord:
    """What one call of ``way`` cost, once the instance existed (best of several runs)."""

    way: str
    nanoseconds: float


class _Plain:
    """An ordinary class: every call builds a new object."""


class _Naive(metaclass=NaiveSingletonMeta):
    pass


class _Locked(metaclass=LockedSingletonMeta):
    pass


class _AlwaysLocked(metaclass=AlwaysLockedSingletonMeta):
    pass


@functools.cache
def _get_cached() -> _Plain:
    return _Plain()


class _Settings:
    """Stands in for a module: ``settings.database`` is an attribute read."""

    database = _Plain()


#: The getters whose cost per call :func:`measure_call_costs` measures, by name.
COST_WAYS: dict[str, Callable[[], Any]] = {
    "plain class (new object each call)": _Plain,
    "naive SingletonMeta": _Naive,
    "double-checked lock": _Locked,
    "lock on every call": _AlwaysLocked,
    "functools.cache factory": _get_cached,
    "module attribute": lambda: _Settings.database,
}


def measure_call_costs(*, number: int, repeats: int = 5) -> list[CostRecord]:
    """Nanoseconds per call of each getter in :data:`COST_WAYS`, the best of ``repeats`` runs of
    ``number`` calls, after a first call has built the instance."""
    records = []
    for way, get in COST_WAYS.items():
        get()
        best = min(timeit.repeat(get, number=number, repeat=repeats))
        records.append(CostRecord(way, best / number * 1e9))
    return records
