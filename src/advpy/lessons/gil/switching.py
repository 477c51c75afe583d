"""Where threads really switch: lost updates in a read-modify-write, and a thread stalled
behind one long C call.

A thread that wants the GIL waits for the switch interval, then asks the running thread to
let go. The running thread only acts on that request at its eval loop's check points: on
CPython 3.10 and later, when it calls or enters a function and when a loop jumps back. A
thread that is inside one C function (``sum`` over a huge ``range``, say) passes no check
point until the function returns, so every other thread waits that long.

- :func:`measure_races`: four threads add 1 to a shared counter many times, written two ways:
  ``counter.value += 1`` has no check point between reading and writing the value;
  ``counter.value += one()`` has a call there. The record says how many updates were lost.
- :func:`measure_stalls`: a ticker thread that wants to run every millisecond, next to a long
  C call and next to a Python loop of the same length. The records hold every gap between
  ticks.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "Counter",
    "one",
    "add_one",
    "add_one_via_call",
    "RACES",
    "RaceRecord",
    "measure_race",
    "measure_races",
    "run_threads_together",
    "StallRecord",
    "c_call",
    "python_loop",
    "measure_stall",
    "measure_stalls",
]


class Counter:
    """A shared counter: threads add to ``value``."""

    def __init__(self) -> None:
        self.value = 0


def one() -> int:
    """1, from a function call: the call is a point where the running thread may switch."""
    return 1


def add_one(counter: Counter, times: int) -> None:
    """``counter.value += 1``, ``times`` times: read, add, write, with no call in between."""
    for _ in range(times):
        counter.value += 1


def add_one_via_call(counter: Counter, times: int) -> None:
    """``counter.value += one()``, ``times`` times: the value is read *before* the call to
    ``one`` and written after it, so a switch at the call leaves a stale value to write."""
    for _ in range(times):
        counter.value += one()


#: The two ways of adding, by the line of code each runs.
RACES: dict[str, Callable[[Counter, int], None]] = {
    "counter.value += 1": add_one,
    "counter.value += one()": add_one_via_call,
}


@dataclass(frozen=True)
class RaceRecord:
    """``threads`` threads each added 1 ``times`` times to one counter, written as ``code``."""

    code: str
    threads: int
    times: int
    final: int  # the counter's value at the end
    interval: float  # the switch interval during the run (seconds)

    @property
    def expected(self) -> int:
        """What the counter would hold if no update were lost."""
        return self.threads * self.times

    @property
    def lost(self) -> int:
        """Updates overwritten by a thread that wrote back a stale value."""
        return self.expected - self.final


def measure_race(code: str, *, times: int, threads: int = 4, interval: float = 1e-6) -> RaceRecord:
    """Run ``threads`` threads of ``RACES[code]`` on one counter under the switch interval
    ``interval`` (put back afterwards); a very short interval makes switches frequent."""
    add = RACES[code]
    counter = Counter()
    run_threads_together(lambda: add(counter, times), threads, interval)
    return RaceRecord(code, threads, times, counter.value, interval)


def run_threads_together(target: Callable[[], None], threads: int, interval: float) -> None:
    """Run ``target`` in ``threads`` threads that start together, under the switch interval
    ``interval`` (put back afterwards), and wait for them all."""
    # All threads start together: a thread started late on a busy machine would otherwise find
    # the others finished, and nothing would overlap.
    start = threading.Barrier(threads)

    def run() -> None:
        start.wait()
        target()

    previous = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        workers = [threading.Thread(target=run) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(previous)


def measure_races(*, times: int, threads: int = 4, interval: float = 1e-6) -> list[RaceRecord]:
    """:func:`measure_race` for each way of adding in :data:`RACES`."""
    return [measure_race(code, times=times, threads=threads, interval=interval) for code in RACES]


@dataclass(frozen=True)
class StallRecord:
    """When a ticker thread managed to run while this thread did ``work``."""

    work: str  # what this thread ran meanwhile
    tick: float  # the ticker sleeps this long between ticks (seconds)
    interval: float  # the switch interval during the run (seconds)
    times: tuple[float, ...]  # when each tick ran, in seconds since the start
    gaps: tuple[float, ...]  # seconds since the previous tick
    work_start: float  # when the work started and ended, seconds since the start
    work_end: float

    @property
    def max_gap(self) -> float:
        """The longest the ticker waited between two ticks (seconds)."""
        return max(self.gaps, default=0.0)

    @property
    def work_seconds(self) -> float:
        return self.work_end - self.work_start


def c_call(size: int) -> int:
    """One call into C that holds the GIL throughout: ``sum(range(size))``."""
    return sum(range(size))


def python_loop(seconds: float) -> int:
    """A Python loop that runs for ``seconds``: it passes a check point at every turn."""
    end = time.perf_counter() + seconds
    turns = 0
    while time.perf_counter() < end:
        turns += 1
    return turns


def measure_stall(
    work: Callable[[], object], label: str, *, tick: float = 0.001, lead: float = 0.03
) -> StallRecord:
    """Run a ticker thread (sleep ``tick``, note the time, again) while this thread runs
    ``work()``, starting ``lead`` seconds in; the ticker stops ``lead`` seconds after."""
    times: list[float] = []
    gaps: list[float] = []
    stop = threading.Event()
    start = time.perf_counter()

    def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(tick)  # sleeping releases the GIL; waking up needs it back
            now = time.perf_counter()
            times.append(now - start)
            gaps.append(now - last)
            last = now

    thread = threading.Thread(target=ticker, name="ticker")
    thread.start()
    try:
        time.sleep(lead)
        work_start = time.perf_counter() - start
        work()
        work_end = time.perf_counter() - start
        time.sleep(lead)
    finally:
        stop.set()
        thread.join()
    return StallRecord(
        label,
        tick,
        sys.getswitchinterval(),
        tuple(times),
        tuple(gaps),
        work_start,
        work_end,
    )


def measure_stalls(size: int, *, tick: float = 0.001) -> list[StallRecord]:
    """The ticker next to ``sum(range(size))`` (one C call), then next to a Python loop that
    runs as long as that call took."""
    in_c = measure_stall(lambda: c_call(size), f"sum(range({size:,})): one C call", tick=tick)
    in_python = measure_stall(
        lambda: python_loop(in_c.work_seconds),
        "a Python loop running as long",
        tick=tick,
    )
    return [in_c, in_python]


def lost_share(records: Sequence[RaceRecord]) -> dict[str, float]:
    """The share of updates lost, by code (0.0 = none lost, 0.5 = half)."""
    return {r.code: r.lost / r.expected if r.expected else 0.0 for r in records}
