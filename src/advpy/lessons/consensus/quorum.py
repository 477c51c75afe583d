"""A simulation of quorum replication: N replicas, writes acknowledged by W, reads answered by R.

One writer writes versions 1, 2, 3... of one key, one every ``gap`` ms. Every write goes to all
N replicas, and each copy arrives after its own random delay (exponential, mean ``delay`` ms;
one replica in N is ``slow`` times slower, as a busy or distant replica is). The write is
**acknowledged** when W replicas have it. A read at time ``t`` asks all N replicas; each answers
with the newest version it holds when the request reaches it, and the read keeps the newest of
the first R answers. A read is **stale** when it returns a version older than one already
acknowledged before the read began.

When R + W > N, the R replicas that answer and the W that acknowledged the last write must have
a replica in common, so no read is stale; when R + W <= N they need not, and some reads are.
Everything random comes from ``seed``.
"""

from __future__ import annotations

import bisect
import random
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class QuorumResult:
    """One (N, R, W) setting: how many reads were stale, and what reads and writes cost."""

    n: int
    r: int
    w: int
    reads: int
    stale: int
    read_ms: float  # median time until R answers
    write_ms: float  # median time until W acknowledgements

    @property
    def stale_share(self) -> float:
        """The share of reads that were stale."""
        return self.stale / self.reads


def simulate(
    n: int,
    r: int,
    w: int,
    *,
    writes: int = 300,
    reads: int = 600,
    gap: float = 2.0,
    delay: float = 1.0,
    slow: float = 8.0,
    seed: int = 0,
) -> QuorumResult:
    """Run the simulation for one setting of (N, R, W)."""
    if not (1 <= r <= n and 1 <= w <= n):
        raise ValueError(f"need 1 <= R, W <= N, not N={n} R={r} W={w}")
    rng = random.Random(seed)

    def lag(replica: int) -> float:
        return rng.expovariate(1 / (delay * (slow if replica == n - 1 else 1.0)))

    # arrivals[j]: (time, version) of each write reaching replica j, sorted by time
    arrivals: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    acked: list[tuple[float, int]] = []
    write_times = []
    for version in range(1, writes + 1):
        sent = version * gap
        times = [sent + lag(j) for j in range(n)]
        for j, at in enumerate(times):
            arrivals[j].append((at, version))
        acked_at = sorted(times)[w - 1]
        acked.append((acked_at, version))
        write_times.append(acked_at - sent)
    for column in arrivals:
        column.sort()
    newest = [_running_max(column) for column in arrivals]
    acked.sort()
    acked_newest = _running_max(acked)
    stale = 0
    read_times = []
    end = writes * gap
    for _ in range(reads):
        start = rng.uniform(gap, end)
        answers = []
        for j in range(n):
            reaches = start + lag(j)
            answers.append((reaches + lag(j), _held(arrivals[j], newest[j], reaches)))
        answers.sort()
        got = max(version for _, version in answers[:r])
        read_times.append(answers[r - 1][0] - start)
        if got < _held(acked, acked_newest, start):
            stale += 1
    return QuorumResult(
        n, r, w, reads, stale, statistics.median(read_times), statistics.median(write_times)
    )


def _running_max(column: list[tuple[float, int]]) -> list[int]:
    out, best = [], 0
    for _, version in column:
        best = max(best, version)
        out.append(best)
    return out


def _held(column: list[tuple[float, int]], newest: list[int], at: float) -> int:
    """The newest version among the entries of ``column`` at or before time ``at``."""
    k = bisect.bisect_right(column, (at, float("inf")))
    return newest[k - 1] if k else 0


def sweep(ns: tuple[int, ...] = (3, 5), *, reads: int = 600, seed: int = 0) -> list[QuorumResult]:
    """Every (R, W) for each N."""
    return [
        simulate(n, r, w, reads=reads, seed=seed)
        for n in ns
        for r in range(1, n + 1)
        for w in range(1, n + 1)
    ]
