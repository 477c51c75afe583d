"""Lock contention: throughput against threads with one lock, with striped locks, and with a
shorter critical section.

Each operation saves a record to a slow store and then notes it in a shared index: a wait of
``wait_seconds`` (``time.sleep``, standing in for a network or disk round trip, which releases
the GIL like real I/O does) followed by ``index[key] = ...``. Three ways to guard the index:

- ``one lock``: the wait and the update under one lock, so every operation waits for every
  other;
- ``striped locks``: ``stripes`` locks, the key choosing one (``key % stripes``), so two
  operations wait for each other only when their keys share a stripe;
- ``one lock, update only``: wait first, outside any lock, then take the one lock just for the
  index update, so the critical section is as short as it can be.

Waiting, not computing, is what threads overlap well under the GIL (lesson 01), and it keeps
the shape of the result the same on a machine whose cores are busy with other work.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

__all__ = ["StripedIndex", "ContentionRecord", "STRATEGIES", "measure_contention"]


class StripedIndex:
    """A dict guarded by ``stripes`` locks; key ``k`` is guarded by ``locks[k % stripes]``."""

    def __init__(self, stripes: int) -> None:
        self.locks = [threading.Lock() for _ in range(stripes)]
        self.data: dict[int, int] = {}

    def lock_for(self, key: int) -> threading.Lock:
        return self.locks[key % len(self.locks)]


STRATEGIES = ("one lock", "striped locks", "one lock, update only")


@dataclass(frozen=True)
class ContentionRecord:
    """``threads`` threads did ``operations`` operations in all with ``strategy``."""

    strategy: str
    threads: int
    operations: int
    seconds: float
    wait_seconds: float
    stripes: int

    @property
    def throughput(self) -> float:
        """Operations per second, all threads together."""
        return self.operations / self.seconds


def _save(index: StripedIndex, strategy: str, key: int, wait: float) -> None:
    if strategy == "one lock":
        with index.locks[0]:
            time.sleep(wait)  # the slow store, with the lock held
            index.data[key] = index.data.get(key, 0) + 1
    elif strategy == "striped locks":
        with index.lock_for(key):
            time.sleep(wait)
            index.data[key] = index.data.get(key, 0) + 1
    else:
        time.sleep(wait)  # the slow store, outside the lock
        with index.locks[0]:
            index.data[key] = index.data.get(key, 0) + 1


def _run(strategy: str, threads: int, per_thread: int, wait: float, stripes: int) -> float:
    index = StripedIndex(stripes if strategy == "striped locks" else 1)
    start_line = threading.Barrier(threads + 1)

    def run(seed: int) -> None:
        keys = random.Random(seed)
        start_line.wait()
        for _ in range(per_thread):
            _save(index, strategy, keys.randrange(1_000_000), wait)

    workers = [threading.Thread(target=run, args=(seed,)) for seed in range(threads)]
    for worker in workers:
        worker.start()
    start_line.wait()
    start = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if sum(index.data.values()) != threads * per_thread:
        raise RuntimeError("an update was lost: the index is not guarded")
    return elapsed


def measure_contention(
    thread_counts: list[int],
    *,
    operations: int,
    wait_seconds: float = 0.0005,
    stripes: int = 16,
    repeats: int = 3,
) -> list[ContentionRecord]:
    """For each strategy and thread count, ``operations`` operations split evenly between the
    threads; the best of ``repeats`` runs, the repeats interleaved between strategies so that
    a busy moment of the machine does not fall on one strategy only."""
    best: dict[tuple[str, int], float] = {}
    for _ in range(max(1, repeats)):
        for strategy in STRATEGIES:
            for threads in thread_counts:
                per_thread = max(1, operations // threads)
                seconds = _run(strategy, threads, per_thread, wait_seconds, stripes)
                key = (strategy, threads)
                best[key] = min(best.get(key, float("inf")), seconds)
    return [
        ContentionRecord(
            strategy,
            threads,
            max(1, operations // threads) * threads,
            best[strategy, threads],
            wait_seconds,
            stripes,
        )
        for strategy in STRATEGIES
        for threads in thread_counts
    ]
