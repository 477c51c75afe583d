"""Eviction under ``maxmemory``: which keys Redis drops when the cache is full.

The workload: a shop's hot products are read again and again; then a batch job caches every
product once (a *scan*: thousands of keys, each used once), while the hot products keep being
read. The app is cache-aside: a hot read that misses stores the page again. Under
``allkeys-lru`` Redis evicts the keys used least recently, and a long scan makes the hot keys
look old; under ``allkeys-lfu`` it evicts the keys used least often, and the scan's keys, used
once, go first. Both are approximations: Redis samples a few keys (``maxmemory-samples``, 5) and
evicts the best candidate among them, and its LFU counter is a logarithmic 8-bit counter that
decays with time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure

POLICY_COLORS = {"allkeys-lru": COLORS["before"], "allkeys-lfu": COLORS["after"]}


@dataclass
class EvictionRun:
    """One policy: the hot keys' hit ratio per chunk of the scan, and Redis's own counters."""

    policy: str
    hot_keys: int
    scan_keys: int
    hit_ratios: list[float] = field(default_factory=list)
    evicted: int = 0
    keys_at_end: int = 0
    hot_kept_at_end: int = 0

    @property
    def hit_ratio(self) -> float:
        return sum(self.hit_ratios) / len(self.hit_ratios) if self.hit_ratios else 0.0


def measure_eviction(
    r: Any,
    policy: str,
    *,
    hot_keys: int,
    scan_keys: int,
    warm_reads: int = 20,
    chunk: int = 200,
    value_size: int = 1000,
    seed: int = 14,
) -> EvictionRun:
    """Flush ``r``'s server, set its policy, warm ``hot_keys`` keys with ``warm_reads`` reads
    each, then write ``scan_keys`` one-off keys in chunks of ``chunk``, each chunk with as many
    reads of random hot keys; misses are stored again. ``r`` must decode replies to str."""
    rng = random.Random(seed)
    value = "v" * value_size
    r.flushall()
    r.config_set("maxmemory-policy", policy)
    r.config_resetstat()
    hot = [f"hot:{i}" for i in range(hot_keys)]
    pipe = r.pipeline(transaction=False)
    for key in hot:
        pipe.set(key, value)
    pipe.execute()
    for _ in range(warm_reads):
        for key in hot:
            pipe.get(key)
        pipe.execute()
    run = EvictionRun(policy, hot_keys, scan_keys)
    for first in range(0, scan_keys, chunk):
        reads = [rng.choice(hot) for _ in range(chunk)]
        for number in range(first, min(first + chunk, scan_keys)):
            pipe.set(f"scan:{number}", value)
        for key in reads:
            pipe.get(key)
        answers = pipe.execute()[-len(reads) :]
        missed = {key for key, answer in zip(reads, answers, strict=True) if answer is None}
        for key in missed:
            pipe.set(key, value)
        pipe.execute()
        run.hit_ratios.append(1 - sum(a is None for a in answers) / len(answers))
    info = r.info("stats")
    run.evicted = int(info["evicted_keys"])
    run.keys_at_end = int(r.dbsize())
    for key in hot:
        pipe.exists(key)
    run.hot_kept_at_end = sum(pipe.execute())
    return run


def plot_eviction(runs: list[EvictionRun]) -> tuple[Figure, Axes]:
    """The hot keys' hit ratio while the scan goes on, one line per policy."""
    fig, ax = new_figure(
        f"{runs[0].hot_keys} hot keys while {runs[0].scan_keys} one-off keys are written",
        "one-off keys written so far",
        "hit ratio of the hot keys' reads",
    )
    for run in runs:
        step = run.scan_keys / len(run.hit_ratios)
        xs = [round((i + 1) * step) for i in range(len(run.hit_ratios))]
        ax.plot(xs, run.hit_ratios, label=run.policy, color=POLICY_COLORS.get(run.policy))
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    return fig, ax
