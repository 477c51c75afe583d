"""Redis and Memcached side by side: the time of one operation, and of many in one round trip.

Both servers run on this machine and are reached over loopback TCP, so a round trip costs tens
of microseconds, not the fraction of a millisecond to a few milliseconds of a network between
machines: the ratios, not the absolute numbers, carry over.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure

VALUE = "x" * 100  # a small cached value: a product page as JSON is a few hundred bytes


@dataclass(frozen=True)
class OpLatency:
    """The time of one kind of operation on one server, per key, in seconds."""

    server: str
    operation: str
    best: float  # what the operation costs when nothing else gets in the way
    median: float
    p90: float
    samples: int


def _timed(call: Callable[[], Any], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def _record(server: str, operation: str, times: list[float], per_call: int = 1) -> OpLatency:
    per_key = [t / per_call for t in times]
    p90 = statistics.quantiles(per_key, n=10)[-1] if len(per_key) > 1 else per_key[0]
    return OpLatency(server, operation, min(per_key), statistics.median(per_key), p90, len(per_key))


def measure_latencies(
    redis_client: Any, memcached_client: Any, *, repeats: int, batch: int = 100
) -> list[OpLatency]:
    """SET, GET of a present key, GET of a missing key, one at a time, and ``batch`` keys read
    in one round trip (a Redis pipeline of GETs, one MGET, Memcached's multi-key ``get``), on
    both servers. Times are per key. The best time is what the operation costs; the median and
    the 90th percentile add what a busy machine adds (waiting for a core)."""
    keys = [f"bench:{i}" for i in range(batch)]
    redis_client.mset({key: VALUE for key in keys})
    memcached_client.set_many({key: VALUE for key in keys})

    def pipelined() -> None:
        pipe = redis_client.pipeline(transaction=False)
        for key in keys:
            pipe.get(key)
        pipe.execute()

    cases: list[tuple[str, str, Callable[[], Any], int]] = [
        ("Redis", "SET", lambda: redis_client.set("bench:one", VALUE), 1),
        ("Memcached", "SET", lambda: memcached_client.set("bench:one", VALUE), 1),
        ("Redis", "GET", lambda: redis_client.get("bench:one"), 1),
        ("Memcached", "GET", lambda: memcached_client.get("bench:one"), 1),
        ("Redis", "GET (miss)", lambda: redis_client.get("bench:none"), 1),
        ("Memcached", "GET (miss)", lambda: memcached_client.get("bench:none"), 1),
        ("Redis", f"{batch} GETs in a pipeline", pipelined, batch),
        ("Redis", f"MGET of {batch} keys", lambda: redis_client.mget(keys), batch),
        ("Memcached", f"get of {batch} keys", lambda: memcached_client.get_many(keys), batch),
    ]
    times: dict[tuple[str, str], list[float]] = {(s, o): [] for s, o, _, _ in cases}
    rounds = 5  # interleaved, so that a busy moment of the machine falls on every case alike
    for _ in range(rounds):
        for server, operation, call, per_call in cases:
            reps = max(1, repeats // rounds // per_call)
            times[(server, operation)] += [t / per_call for t in _timed(call, reps)]
    return [_record(s, o, times[(s, o)]) for s, o, _, _ in cases]


def plot_latencies(records: list[OpLatency]) -> tuple[Figure, Axes]:
    """The best time per key of each operation on each server, as horizontal bars."""
    fig, ax = new_figure(
        "Redis and Memcached over loopback: time per key", "best time per key (µs)", ""
    )
    colors = {"Redis": COLORS["before"], "Memcached": COLORS["threads"]}
    labels = [f"{r.server}: {r.operation}" for r in records]
    values = [r.best * 1e6 for r in records]
    bars = ax.barh(range(len(records)), values, color=[colors[r.server] for r in records])
    ax.bar_label(bars, fmt="%.1f", fontsize=8, padding=2)
    ax.set_yticks(range(len(records)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(values) * 1.2)
    fig.subplots_adjust(left=0.36)
    return fig, ax
