"""Measurements for the GIL lesson. Each ``measure_*`` function returns plain records; the
``advpy.lessons.gil.plots`` functions draw them.

Every time reported is the best (smallest) of a few repeats of the same job: other programs on
the machine can only make a run slower, so the minimum is the least disturbed estimate.
"""

from __future__ import annotations

import functools
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

from advpy.cores import usable_cores
from advpy.lessons.gil.workloads import payload_size, split_evenly, warm_up
from advpy.lessons.timing import best_time

#: The executors a speed-up is measured with.
EXECUTORS = ("threads", "processes")

Task = Callable[[int], Any]


@dataclass(frozen=True)
class SpeedupRecord:
    """One job (a fixed total amount of work) run by ``workers`` threads or processes."""

    task: str  # what the job computes, e.g. "pure Python"
    executor: str  # "threads" or "processes"
    workers: int
    seconds: float  # best wall time of the whole job with this many workers
    baseline_seconds: float  # best wall time of the same job in one plain call, no pool
    startup_seconds: float = 0.0  # starting the pool and warming its workers: not in seconds

    @property
    def speedup(self) -> float:
        """How many times faster than the plain call (2.0 = twice as fast)."""
        return self.baseline_seconds / self.seconds

    @property
    def efficiency(self) -> float:
        """Speed-up per worker: 1.0 when every worker is fully used."""
        return self.speedup / self.workers


@dataclass(frozen=True)
class HandoffRecord:
    """How often the running thread changed while two busy threads ran under one switch
    interval."""

    interval: float  # the switch interval in seconds (sys.setswitchinterval)
    seconds: float  # how long the two threads ran
    handoffs: int  # how many times the thread that ran changed
    iterations: int  # loop steps both threads completed together: the useful work done

    @property
    def handoffs_per_second(self) -> float:
        return self.handoffs / self.seconds


@dataclass(frozen=True)
class TransferRecord:
    """The time to hand one argument of ``megabytes`` to a worker and get a small answer back."""

    megabytes: float  # size of the argument (1 MB = 10**6 bytes)
    executor: str  # "threads" (shared memory, nothing copied) or "processes" (pickled, piped)
    seconds: float  # best round-trip time of one call


def pool_context() -> BaseContext:
    """The start method process pools use here: *forkserver* where it exists, else *spawn*.

    Both start clean worker processes (unlike *fork*, which copies a process that may have
    threads running), so functions must be importable from a module to reach the workers. The
    lesson's workers are preloaded into the fork server so each new worker starts quickly.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["numpy", "advpy.lessons.gil.workloads", "advpy.lessons.gil.sharing"]
        )
        return context
    return multiprocessing.get_context("spawn")


def start_workers(pool: ProcessPoolExecutor, workers: int, tries: int = 5) -> int:
    """Make ``pool`` start all its ``workers`` before anything is timed; returns how many
    distinct worker processes answered (normally ``workers``)."""
    seen: set[int] = set()
    for attempt in range(tries):
        seen |= set(pool.map(warm_up, [0.02 * (attempt + 1)] * workers))
        if len(seen) >= workers:
            break
    return len(seen)


def _run_all(pool: Executor, task: Task, amounts: list[int]) -> list[Any]:
    return list(pool.map(task, amounts))


def task_name(task: Task) -> str:
    """A readable name for a task, also when it is a ``functools.partial``."""
    inner = task.func if isinstance(task, functools.partial) else task
    return str(getattr(inner, "__name__", "task"))


#: The most workers a speed-up plot goes to, however many cores the machine has: each point
#: starts a pool of that many processes, and past a handful the plot only repeats itself.
MOST_WORKERS = 8


def worker_counts(cores: int | None = None, most: int = MOST_WORKERS) -> list[int]:
    """The worker axis of a speed-up plot: 1 up to twice the usable cores, but never past
    ``most`` (8 by default), so a 64-core machine does not start hundreds of processes."""
    usable = cores if cores is not None else usable_cores()
    return list(range(1, max(1, min(most, 2 * usable)) + 1))


def _start_pool(kind: str, count: int) -> Executor:
    """A started pool of ``count`` threads or processes, every worker already running."""
    if kind == "threads":
        threads = ThreadPoolExecutor(max_workers=count)
        list(threads.map(warm_up, [0.01] * count))
        return threads
    procs = ProcessPoolExecutor(max_workers=count, mp_context=pool_context())
    try:
        start_workers(procs, count)
    except BaseException:
        procs.shutdown(cancel_futures=True)
        raise
    return procs


def measure_speedup(
    task: Task,
    total: int,
    workers: Sequence[int],
    *,
    executors: Sequence[str] = EXECUTORS,
    repeats: int = 3,
    name: str | None = None,
) -> list[SpeedupRecord]:
    """Time one job of ``total`` work split evenly over each worker count, for each executor.

    ``task(amount)`` does ``amount`` work; with ``w`` workers the job is ``w`` calls whose
    amounts add up to ``total``, run by a pool of ``w`` threads or ``w`` processes. The baseline
    is the whole job as one plain call in this thread, the fastest of ``repeats`` runs before
    the first set-up and one more after each executor's set-ups, so that one unlucky sample
    cannot inflate every speed-up.

    One pool exists at a time: it is started, its workers are warmed up (the time that takes
    is kept apart as ``startup_seconds``), the job runs ``repeats`` times (the fastest run
    counts), and the pool is shut down before the next one starts.
    """
    for kind in executors:
        if kind not in EXECUTORS:
            raise ValueError(f"unknown executor {kind!r}; expected one of {EXECUTORS}")
    label = name or task_name(task)
    baseline = best_time(max(1, repeats), task, total)
    timed: list[tuple[str, int, float, float]] = []
    for kind in executors:
        for count in workers:
            started = time.perf_counter()
            pool = _start_pool(kind, count)
            startup = time.perf_counter() - started
            try:
                amounts = split_evenly(total, count)
                seconds = best_time(repeats, _run_all, pool, task, amounts)
            finally:
                pool.shutdown(wait=True)
            timed.append((kind, count, seconds, startup))
        baseline = min(baseline, best_time(1, task, total))
    return [
        SpeedupRecord(label, kind, count, seconds, baseline, startup)
        for kind, count, seconds, startup in timed
    ]


#: Below this speed-up at 2 workers, a process pool has not shown that it used a second core.
CLEAR_SPEEDUP = 1.2


def speedup_caveat(
    records: Sequence[SpeedupRecord], *, cores: int | None = None, load: float | None = None
) -> str | None:
    """A warning to print next to a speed-up plot when the measurement cannot show what
    processes buy, or ``None`` when it can.

    It cannot when fewer than 2 cores are usable, or when processes did not reach
    :data:`CLEAR_SPEEDUP` at 2 workers (other programs held the cores, or each worker's share
    was too small to pay for sending it). A load average (``load``, read *before* measuring)
    at or above the number of cores is mentioned too: no core was idle then.
    """
    usable = cores if cores is not None else usable_cores()
    reasons = []
    if usable < 2:
        reasons.append(f"only {usable} core is usable here, so two processes cannot run at once")
    two = [r for r in records if r.executor == "processes" and r.workers == 2]
    if two and two[0].speedup < CLEAR_SPEEDUP:
        reasons.append(f"2 processes reached only ×{two[0].speedup:.2f}")
    if load is not None and load >= usable:
        reasons.append(
            f"the load average was {load:.1f} on {usable} usable cores before measuring, "
            "so no core was idle"
        )
    if not reasons:
        return None
    return (
        "Read this plot with care: " + "; ".join(reasons) + ". With an idle second core, 2 "
        "processes finish a job like this one close to twice as fast as one plain call; run "
        "the cell again when the machine is quieter (or on a machine with more free cores)."
    )


def best_speedup(records: Sequence[SpeedupRecord], executor: str) -> SpeedupRecord:
    """The record of ``executor`` with the highest speed-up."""
    chosen = [r for r in records if r.executor == executor]
    if not chosen:
        raise ValueError(f"no records for {executor!r}")
    return max(chosen, key=lambda r: r.speedup)


def format_speedups(records: Sequence[SpeedupRecord]) -> str:
    """A small text table of the records: executor, workers, time, speed-up, efficiency, and
    the pool's start-up (paid once per pool, outside the timed runs)."""
    if not records:
        return "(no records)"
    lines = [
        f"one plain call: {records[0].baseline_seconds * 1000:.1f} ms",
        f"{'executor':<10} {'workers':>7} {'time (ms)':>10} {'speed-up':>9} {'efficiency':>10} "
        f"{'start-up (ms)':>14}",
    ]
    for r in records:
        lines.append(
            f"{r.executor:<10} {r.workers:>7} {r.seconds * 1000:>10.1f} "
            f"{r.speedup:>8.2f}x {r.efficiency:>10.2f} {r.startup_seconds * 1000:>14.1f}"
        )
    return "\n".join(lines)


def count_handoffs(seconds: float) -> tuple[int, int]:
    """Run two busy threads for ``seconds``; return (handoffs, loop steps done by both).

    Each thread loops, and whenever it notices that the other thread ran last it counts one
    handoff. With the GIL only one of them runs at a time, and the interpreter asks the running
    thread to let the other one in every switch interval.
    """
    last = [""]
    handoffs = [0]
    steps = [0, 0]
    deadline = time.perf_counter() + seconds

    def spin(me: int) -> None:
        name = "ab"[me]
        count = 0
        while time.perf_counter() < deadline:
            count += 1
            if last[0] != name:
                last[0] = name
                handoffs[0] += 1
        steps[me] = count

    threads = [threading.Thread(target=spin, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return max(0, handoffs[0] - 1), sum(steps)


def measure_handoffs(intervals: Sequence[float], seconds: float) -> list[HandoffRecord]:
    """:func:`count_handoffs` under each switch interval; the interval is restored after."""
    previous = sys.getswitchinterval()
    records = []
    try:
        for interval in intervals:
            sys.setswitchinterval(interval)
            handoffs, steps = count_handoffs(seconds)
            records.append(HandoffRecord(interval, seconds, handoffs, steps))
    finally:
        sys.setswitchinterval(previous)
    return records


def measure_transfer(sizes_mb: Sequence[float], repeats: int = 3) -> list[TransferRecord]:
    """Round-trip time of one call whose argument is ``mb`` megabytes, through a one-worker
    process pool (the argument is pickled and piped to the worker) and a one-worker thread pool
    (the worker gets a reference; nothing is copied)."""
    records = []
    with (
        ProcessPoolExecutor(max_workers=1, mp_context=pool_context()) as procs,
        ThreadPoolExecutor(max_workers=1) as threads,
    ):
        start_workers(procs, 1)
        for megabytes in sizes_mb:
            payload = bytes(int(megabytes * 1_000_000))
            for kind, pool in (("processes", procs), ("threads", threads)):
                seconds = best_time(repeats, _round_trip, pool, payload)
                records.append(TransferRecord(float(megabytes), kind, seconds))
    return records


def _round_trip(pool: Executor, payload: bytes) -> int:
    return int(pool.submit(payload_size, payload).result())
