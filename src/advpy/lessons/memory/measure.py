"""Memory measurements for the memory lesson: each ``measure_*`` function returns records.

Memory is counted with :mod:`tracemalloc`, which sees every block Python allocates and says
how many bytes are alive now. That is precise and repeatable, unlike the process's resident
size (what the operating system reports, and what memory-profiler shows), which moves in
pages and keeps memory that Python freed but did not hand back yet.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from advpy.lessons.memory import cycles, leaks, slotted

__all__ = [
    "CacheGrowth",
    "InstanceMemory",
    "Collections",
    "tracing",
    "traced_bytes",
    "collector_paused",
    "measure_cache_growth",
    "measure_instances",
    "measure_collections",
    "INSTANCE_KINDS",
    "CycleRun",
    "SERVE",
    "measure_cycle_memory",
    "PauseRecord",
    "measure_collection_pause",
]


@contextmanager
def tracing(frames: int = 1) -> Iterator[None]:
    """Trace allocations inside the block (keeps tracing on if it already was)."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start(frames)
    try:
        yield
    finally:
        if not was_tracing:
            tracemalloc.stop()


def traced_bytes() -> int:
    """Bytes allocated by Python since tracing started and still alive (tracing must be on)."""
    return tracemalloc.get_traced_memory()[0]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Turn the cyclic garbage collector off inside the block, and back on after it if it was
    on: only reference counting frees memory in between."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class CacheGrowth:
    """Memory a report cache held after some requests."""

    cache: str  # a label for the cache measured
    requests: int  # requests served so far
    bytes_held: int  # traced bytes alive compared with before the first request
    entries: int  # reports the caches hold


def measure_cache_growth(
    get: Callable[[str, int], leaks.Report],
    label: str,
    *,
    requests: int,
    checkpoints: int = 10,
    size: int = leaks.REPORT_SIZE,
) -> list[CacheGrowth]:
    """Serve ``requests`` requests through ``get`` (a function of :mod:`advpy.lessons.memory.leaks`)
    from empty caches, recording the memory still held at ``checkpoints`` evenly spaced moments.

    Reports hold no reference cycles, so reference counting alone frees what the cache lets
    go: the cyclic collector is paused while measuring, so that it cannot free unrelated
    garbage in the middle of a measurement."""
    leaks.clear_caches()
    step = max(1, requests // checkpoints)
    marks = list(range(step, requests, step)) + [requests]
    # Readings go into arrays made in advance, so recording them allocates nothing traced.
    held = array("q", [0] * len(marks))
    entries = array("q", [0] * len(marks))
    gc.collect()
    with collector_paused(), tracing():
        baseline = traced_bytes()
        for index, served in enumerate(marks):
            first = marks[index - 1] if index else 0
            leaks.serve_requests(served - first, get, size=size, first=first)
            held[index] = traced_bytes() - baseline
            entries[index] = sum(leaks.cache_entries().values())
    leaks.clear_caches()
    records = [CacheGrowth(label, 0, 0, 0)]
    records += [CacheGrowth(label, m, h, e) for m, h, e in zip(marks, held, entries, strict=True)]
    return records


@dataclass(frozen=True)
class InstanceMemory:
    """Memory taken by a number of instances of one kind of object."""

    kind: str
    instances: int
    bytes_total: int  # traced bytes the instances take (their list not included)

    @property
    def bytes_each(self) -> float:
        return self.bytes_total / self.instances if self.instances else 0.0


#: What :func:`measure_instances` compares: label -> (class, read each ``__dict__`` once?).
INSTANCE_KINDS: dict[str, tuple[type, bool]] = {
    "ordinary class": (slotted.Point, False),
    "ordinary class, __dict__ read once": (slotted.Point, True),
    "class with __slots__": (slotted.SlottedPoint, False),
}


def measure_instances(
    counts: Sequence[int], kinds: dict[str, tuple[type, bool]] | None = None
) -> list[InstanceMemory]:
    """Bytes taken by ``n`` points of each kind, for each ``n`` in ``counts``.

    The coordinate values are made before measuring and shared by every kind, so only the
    instances themselves (and whatever attribute storage they carry) are counted. The cyclic
    collector is paused while measuring, as in :func:`measure_cache_growth`.
    """
    chosen = INSTANCE_KINDS if kinds is None else kinds
    records = []
    gc.collect()
    with collector_paused(), tracing():
        for count in counts:
            values = [float(i) for i in range(count)]
            for label, (kind, touch_dict) in chosen.items():
                before = traced_bytes()
                points = slotted.make_points(kind, values, touch_dict=touch_dict)
                used = traced_bytes() - before - sys.getsizeof(points)
                records.append(InstanceMemory(label, count, used))
                del points
    return records


class _Link:
    """One half of a two-object reference cycle."""

    def __init__(self) -> None:
        self.other: Any = None


def _make_cycles(pairs: int) -> None:
    for _ in range(pairs):
        first, second = _Link(), _Link()
        first.other, second.other = second, first


@dataclass(frozen=True)
class Collections:
    """How often the collector ran on one generation while garbage cycles were made."""

    generation: int
    runs: int  # collections of this generation (it also collects the younger ones)
    collected: int  # unreachable objects those collections found


def measure_collections(pairs: int) -> list[Collections]:
    """Make ``pairs`` two-object cycles, dropping each at once, and count the automatic
    collections of each generation (0, 1, 2) that this triggered."""
    runs = [0, 0, 0]
    collected = [0, 0, 0]

    def on_collect(phase: str, info: dict[str, int]) -> None:
        generation = min(info["generation"], 2)
        if phase == "start":
            runs[generation] += 1
        else:
            collected[generation] += info["collected"]

    gc.collect()
    gc.callbacks.append(on_collect)
    try:
        _make_cycles(pairs)
    finally:
        gc.callbacks.remove(on_collect)
    return [Collections(g, runs[g], collected[g]) for g in range(3)]


#: How each request is served in :func:`measure_cycle_memory`, by label.
SERVE: dict[str, Callable[[int], int]] = {
    "session <-> handler cycle": cycles.serve_with_cycle,
    "weak back-link, no cycle": cycles.serve_with_weak_link,
}


@dataclass(frozen=True)
class CycleRun:
    """Memory in use while requests were served one after another, each dropped when done."""

    approach: str  # a key of SERVE
    request_bytes: int  # the buffer each request allocates
    in_use: tuple[int, ...]  # traced bytes alive after each request (index 0 = after the 1st)
    peak_bytes: int  # the most traced bytes alive at any moment of the run
    collections: int  # automatic collections (any generation) during the run

    @property
    def peak_requests(self) -> float:
        """The peak expressed in requests' worth of buffers."""
        return self.peak_bytes / self.request_bytes if self.request_bytes else 0.0


def measure_cycle_memory(
    requests: int, request_bytes: int = 10_000, approaches: Sequence[str] | None = None
) -> list[CycleRun]:
    """Serve ``requests`` requests with each approach of :data:`SERVE`, the cyclic collector
    running as usual, and record the memory alive after every request and the peak.

    A request that leaves a cycle behind keeps its buffer until the collector runs; one
    without a cycle frees it at once. So the cycle's line climbs until a collection, drops,
    and climbs again, and its peak is many requests' worth of memory."""
    runs = []
    started = [0]

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] += 1

    for approach in approaches or list(SERVE):
        serve = SERVE[approach]
        in_use = array("q", [0] * requests)
        gc.collect()
        started[0] = 0
        gc.callbacks.append(count)
        try:
            with tracing():
                baseline = traced_bytes()
                tracemalloc.reset_peak()
                for index in range(requests):
                    serve(request_bytes)
                    in_use[index] = traced_bytes() - baseline
                peak = tracemalloc.get_traced_memory()[1] - baseline
        finally:
            gc.callbacks.remove(count)
        gc.collect()
        runs.append(CycleRun(approach, request_bytes, tuple(in_use), peak, started[0]))
    return runs


@dataclass(frozen=True)
class PauseRecord:
    """How long one full collection took with ``tracked`` objects known to the collector."""

    added: int  # containers added for the measurement
    tracked: int  # all objects the collector tracked then (the added ones and the rest)
    seconds: float  # the fastest of a few full collections


def measure_collection_pause(sizes: Sequence[int], repeats: int = 3) -> list[PauseRecord]:
    """Time ``gc.collect()`` (a full collection) with ``n`` more live containers (one-item
    lists), for each ``n`` in ``sizes``. The collector has to visit every tracked object that is
    alive, so the pause grows with the heap, although none of these objects is garbage."""
    records = []
    for added in sizes:
        heap: list[list[int]] = [[index] for index in range(added)]
        gc.collect()
        tracked = len(gc.get_objects())
        best = float("inf")
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            gc.collect()
            best = min(best, time.perf_counter() - start)
        records.append(PauseRecord(added, tracked, best))
        del heap
    gc.collect()
    return records
