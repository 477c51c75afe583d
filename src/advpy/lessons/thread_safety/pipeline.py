"""A producer and workers around a :class:`queue.Queue`: back-pressure, sentinels, a clean
shutdown, and the queue's length over time.

:func:`run_pipeline` is the shape the lesson teaches: the producer puts every item and then one
sentinel per worker; each worker stops at its sentinel; the caller joins every thread. A
sampler thread records how many items wait in the queue, so that a plot can show what
``maxsize`` does to a producer faster than its workers.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["STOP", "PipelineRun", "run_pipeline", "worker_loop"]

#: The sentinel: a fresh object that no item can be (``None`` can).
STOP = object()


def worker_loop(tasks: queue.Queue[Any], handle: Callable[[Any], Any], out: list[Any]) -> None:
    """Take items until the sentinel arrives; append ``handle(item)`` to ``out``."""
    while True:
        item = tasks.get()
        if item is STOP:
            return
        out.append(handle(item))


@dataclass(frozen=True)
class PipelineRun:
    """One run: the queue's length sampled over time, and what came out."""

    maxsize: int  # 0 means unbounded
    workers: int
    items: int
    handled: int  # items handled in total
    times: tuple[float, ...]  # sampling instants, seconds since the start
    lengths: tuple[int, ...]  # items waiting in the queue at those instants
    produced_at: tuple[float, ...]  # when the producer finished putting each item
    seconds: float
    threads_left: int  # threads of this run still alive after it returned

    @property
    def peak(self) -> int:
        return max(self.lengths, default=0)


def run_pipeline(
    items: Iterable[Any],
    *,
    workers: int,
    maxsize: int,
    work_seconds: float,
    sample_every: float = 0.002,
) -> PipelineRun:
    """Feed ``items`` to ``workers`` threads through ``queue.Queue(maxsize)``; each item takes
    ``work_seconds`` to handle. Returns the queue length over time and when each item went in."""
    tasks: queue.Queue[Any] = queue.Queue(maxsize)
    out: list[Any] = []
    stop_sampling = threading.Event()
    times: list[float] = []
    lengths: list[int] = []
    start = time.perf_counter()

    def handle(item: Any) -> Any:
        time.sleep(work_seconds)  # a slow call: a database write, an HTTP request
        return item

    def sample() -> None:
        while not stop_sampling.is_set():
            times.append(time.perf_counter() - start)
            lengths.append(tasks.qsize())
            time.sleep(sample_every)

    sampler = threading.Thread(target=sample, daemon=True)
    threads = [
        threading.Thread(target=worker_loop, args=(tasks, handle, out)) for _ in range(workers)
    ]
    sampler.start()
    for thread in threads:
        thread.start()
    produced_at = []
    count = 0
    for item in items:
        tasks.put(item)  # waits while the queue is full: back-pressure
        produced_at.append(time.perf_counter() - start)
        count += 1
    for _ in threads:
        tasks.put(STOP)  # one sentinel per worker
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    stop_sampling.set()
    sampler.join()
    left = sum(thread.is_alive() for thread in threads)
    return PipelineRun(
        maxsize,
        workers,
        count,
        len(out),
        tuple(times),
        tuple(lengths),
        tuple(produced_at),
        seconds,
        left,
    )
