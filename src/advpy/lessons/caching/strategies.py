"""Five ways to put Redis in front of the shop's database, run over one workload.

- **cache-aside, TTL only**: the app reads the cache, on a miss reads the database and stores
  the page with a time to live; writes go to the database only. Stale until the entry expires.
- **cache-aside**: the same, and every write deletes the entry (invalidation).
- **read-through**: the same reads, but the *cache layer* owns the loader; the app only ever
  asks the cache. (Redis cannot call a database itself: the layer is a library in the app.)
- **write-through**: a write goes to the database, then the new page to the cache.
- **write-behind**: a write goes to the cache only, and a background thread flushes queued
  writes to the database in batches. Writes are fast; the database lags, and a crash before a
  flush loses them.

:func:`run_workload` drives one strategy through a list of operations and records, per
operation, whether a read hit the cache, how long it took and whether the value read was stale;
:func:`summarize` turns that into buckets over time; the ``plot_*`` functions draw them.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from advpy.lessons.caching.database import Page, ShopDatabase
from advpy.lessons.plotting import COLORS, new_figure


def page_key(product_id: int) -> str:
    """Where a product's page is cached."""
    return f"page:{product_id}"


class CacheAside:
    """The app's own code: read the cache, fall back to the database, store with a TTL."""

    name = "cache-aside"
    invalidate_on_write = True

    def __init__(self, r: Any, db: ShopDatabase, ttl: int) -> None:
        self.r, self.db, self.ttl = r, db, ttl

    def read(self, product_id: int) -> tuple[Page | None, bool]:
        """The page, and whether it came from the cache."""
        cached = self.r.get(page_key(product_id))
        if cached is not None:
            return json.loads(cached), True
        page = self.db.page(product_id)
        self.r.set(page_key(product_id), json.dumps(page), ex=self.ttl)
        return page, False

    def write(self, product_id: int, cents: int) -> None:
        self.db.set_price(product_id, cents)
        if self.invalidate_on_write:
            self.r.delete(page_key(product_id))

    def close(self) -> None:
        """Nothing to finish (write-behind flushes here)."""


class TTLOnly(CacheAside):
    """Cache-aside that never invalidates: a write is seen when the entry expires."""

    name = "cache-aside, TTL only"
    invalidate_on_write = False


class LoadingCache:
    """A read-through cache: constructed with the function that loads a missing value."""

    def __init__(self, r: Any, loader: Callable[[int], Page | None], ttl: int) -> None:
        self.r, self.loader, self.ttl = r, loader, ttl

    def get(self, product_id: int) -> tuple[Page | None, bool]:
        cached = self.r.get(page_key(product_id))
        if cached is not None:
            return json.loads(cached), True
        page = self.loader(product_id)
        self.r.set(page_key(product_id), json.dumps(page), ex=self.ttl)
        return page, False

    def invalidate(self, product_id: int) -> None:
        self.r.delete(page_key(product_id))


class ReadThrough:
    """The app asks the cache only; the cache knows how to load from the database."""

    name = "read-through"

    def __init__(self, r: Any, db: ShopDatabase, ttl: int) -> None:
        self.db = db
        self.cache = LoadingCache(r, db.page, ttl)

    def read(self, product_id: int) -> tuple[Page | None, bool]:
        return self.cache.get(product_id)

    def write(self, product_id: int, cents: int) -> None:
        self.db.set_price(product_id, cents)
        self.cache.invalidate(product_id)

    def close(self) -> None:
        """Nothing to finish."""


class WriteThrough(CacheAside):
    """Reads as cache-aside; a write updates the database, then the cached page if there is
    one (a product that is not cached has nothing to go stale: its next read loads it)."""

    name = "write-through"

    def write(self, product_id: int, cents: int) -> None:
        version = self.db.set_price(product_id, cents)
        cached = self.r.get(page_key(product_id))
        if cached is not None:
            page = json.loads(cached)
            page.update(price_cents=cents, version=version)
            self.r.set(page_key(product_id), json.dumps(page), ex=self.ttl)


class WriteBehind(CacheAside):
    """A write updates the cached page (if any) and queues the change; a thread flushes the
    queue to the database every ``interval`` seconds, in one transaction. Until a change is
    flushed, the queue is the truth: a read that loads a page from the database applies it."""

    name = "write-behind"

    def __init__(self, r: Any, db: ShopDatabase, ttl: int, interval: float = 0.05) -> None:
        super().__init__(r, db, ttl)
        self.interval = interval
        self.pending: dict[int, int] = {}
        self.flushes = 0
        self._lock = threading.Lock()  # a flush and a load from the database never interleave
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._flusher, daemon=True, name="write-behind")
        self._thread.start()

    def read(self, product_id: int) -> tuple[Page | None, bool]:
        cached = self.r.get(page_key(product_id))
        if cached is not None:
            return json.loads(cached), True
        with self._lock:
            page = self.db.page(product_id)
            if page is not None and product_id in self.pending:
                page["price_cents"] = self.pending[product_id]
            self.r.set(page_key(product_id), json.dumps(page), ex=self.ttl)
        return page, False

    def write(self, product_id: int, cents: int) -> None:
        with self._lock:
            self.pending[product_id] = cents  # a later write of the same product replaces it
        cached = self.r.get(page_key(product_id))
        if cached is not None:
            page = json.loads(cached)
            page.update(price_cents=cents, version=page["version"] + 1)
            self.r.set(page_key(product_id), json.dumps(page), ex=self.ttl)

    def flush(self) -> int:
        """Write the queued changes now; returns how many there were."""
        with self._lock:
            changes, self.pending = list(self.pending.items()), {}
            if changes:
                self.db.set_prices(changes)
                self.flushes += 1
        return len(changes)

    def _flusher(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.flush()


STRATEGIES: dict[str, type[CacheAside] | type[ReadThrough]] = {
    s.name: s for s in (TTLOnly, CacheAside, ReadThrough, WriteThrough, WriteBehind)
}


# --- a workload, run ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    kind: str  # "read" or "write"
    product_id: int
    cents: int = 0


def make_workload(count: int, products: int, write_share: float, seed: int = 14) -> list[Operation]:
    """``count`` operations on ``products`` products whose popularity falls off like 1/rank
    (a few products get most of the views, as in every shop), a share of them price changes."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(products)]
    ids = rng.choices(range(products), weights=weights, k=count)
    return [
        Operation("write", pid, rng.randrange(100, 10_000))
        if rng.random() < write_share
        else Operation("read", pid)
        for pid in ids
    ]


@dataclass
class Run:
    """What one strategy did with one workload."""

    strategy: str
    times: list[float] = field(default_factory=list)  # seconds since the start, per operation
    kinds: list[str] = field(default_factory=list)
    hits: list[bool] = field(default_factory=list)  # reads only count
    latencies: list[float] = field(default_factory=list)
    stale: list[bool] = field(default_factory=list)
    db_reads: int = 0
    db_writes: int = 0
    seconds: float = 0.0

    @property
    def read_count(self) -> int:
        return self.kinds.count("read")

    @property
    def hit_ratio(self) -> float:
        reads = [hit for hit, kind in zip(self.hits, self.kinds, strict=True) if kind == "read"]
        return sum(reads) / len(reads) if reads else 0.0

    @property
    def stale_reads(self) -> int:
        return sum(self.stale)

    def mean_latency(self, kind: str) -> float:
        chosen = [t for t, k in zip(self.latencies, self.kinds, strict=True) if k == kind]
        return sum(chosen) / len(chosen) if chosen else 0.0


def run_workload(strategy: Any, workload: list[Operation], db: ShopDatabase) -> Run:
    """Run ``workload`` through ``strategy`` (its cache empty at the start); a read is stale
    when its price differs from the last price the workload wrote for that product."""
    db.reset_counts()
    truth: dict[int, int] = {}
    run = Run(strategy.name)
    start = time.perf_counter()
    for op in workload:
        began = time.perf_counter()
        if op.kind == "read":
            page, hit = strategy.read(op.product_id)
            took = time.perf_counter() - began
            expected = truth.get(op.product_id)
            run.stale.append(
                page is not None and expected is not None and page["price_cents"] != expected
            )
        else:
            strategy.write(op.product_id, op.cents)
            took = time.perf_counter() - began
            truth[op.product_id] = op.cents
            hit = False
            run.stale.append(False)
        run.times.append(time.perf_counter() - start)
        run.kinds.append(op.kind)
        run.hits.append(hit)
        run.latencies.append(took)
    run.seconds = time.perf_counter() - start
    strategy.close()
    run.db_reads, run.db_writes = db.reads, db.writes
    return run


@dataclass(frozen=True)
class Bucket:
    """One slice of a run: how many operations were done at its end, and its reads' hit ratio
    and mean latency."""

    done: int
    hit_ratio: float
    mean_read: float


def summarize(run: Run, buckets: int = 10) -> list[Bucket]:
    """The run cut into ``buckets`` slices of equally many operations."""
    size = max(1, len(run.kinds) // buckets)
    out = []
    for first in range(0, len(run.kinds), size):
        last = min(first + size, len(run.kinds))
        chosen = [i for i in range(first, last) if run.kinds[i] == "read"]
        if not chosen:
            continue
        hit_ratio = sum(run.hits[i] for i in chosen) / len(chosen)
        mean_read = sum(run.latencies[i] for i in chosen) / len(chosen)
        out.append(Bucket(last, hit_ratio, mean_read))
    return out


STRATEGY_COLORS = {
    "cache-aside, TTL only": COLORS["ideal"],
    "cache-aside": COLORS["threads"],
    "read-through": COLORS["generator"],
    "write-through": COLORS["after"],
    "write-behind": COLORS["list"],
}


def _plot_buckets(
    runs: list[Run], title: str, ylabel: str, value: Callable[[Bucket], float], buckets: int
) -> tuple[Figure, Axes]:
    fig, ax = new_figure(title, "operations done (reads and writes)", ylabel)
    for run in runs:
        points = summarize(run, buckets)
        ax.plot(
            [b.done for b in points],
            [value(b) for b in points],
            "--" if run.strategy == "read-through" else "-",
            marker="o",
            markersize=4,
            label=run.strategy,
            color=STRATEGY_COLORS[run.strategy],
        )
    return fig, ax


def plot_hit_ratio(runs: list[Run], buckets: int = 10) -> tuple[Figure, Axes]:
    """Each strategy's hit ratio as the workload goes on, from an empty cache."""
    fig, ax = _plot_buckets(
        runs,
        "Hit ratio, from an empty cache",
        "hit ratio of the reads",
        lambda b: b.hit_ratio,
        buckets,
    )
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    return fig, ax


def plot_read_latency(runs: list[Run], buckets: int = 10) -> tuple[Figure, Axes]:
    """Each strategy's mean read time as the workload goes on (log scale)."""
    fig, ax = _plot_buckets(
        runs,
        "Mean time of a read, from an empty cache",
        "mean time of a read (ms, log scale)",
        lambda b: b.mean_read * 1e3,
        buckets,
    )
    ax.set_yscale("log")
    plain = FuncFormatter(lambda value, _: f"{value:g}")
    ax.yaxis.set_major_formatter(plain)
    ax.yaxis.set_minor_formatter(plain)
    ax.legend(loc="upper right")
    return fig, ax
