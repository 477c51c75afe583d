"""The stampede: many requests for one hot product when its cached page expires.

Worker threads stand for an app server's request handlers. Each reads the hot product's page
over and over for a while; the page lives in Redis for ``ttl`` seconds. Three ways to read it:

- ``"no protection"``: cache-aside. At each expiry every request that arrives before the page
  is back misses, and each one runs the slow query.
- ``"lock"``: on a miss, only the request that takes a short lock in Redis (``SET NX PX``)
  runs the query; the others poll the cache until the page is back.
- ``"early refresh"``: probabilistic early expiration (the "XFetch" rule of Vattani, Chierichetti
  and Lowenstein, 2015). The entry records when it logically expires and how long the query
  took (``delta``); each request refreshes it early with a probability that rises as the
  expiry nears: when ``now - delta * beta * ln(random()) >= expiry``. One request refreshes
  a little before the expiry and nobody ever sees a miss; Redis keeps the key a little
  longer than the logical expiry so that it is still there to be refreshed. Under heavy load
  several requests can decide to refresh within the time one query takes, so
- ``"early refresh + lock"`` lets only the request that also takes the lock refresh; the
  others serve the entry, which is still valid.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.caching.database import Page, ShopDatabase
from advpy.lessons.plotting import COLORS, new_figure

MODES = ("no protection", "lock", "early refresh", "early refresh + lock")
MODE_COLORS = dict(
    zip(MODES, (COLORS["before"], COLORS["threads"], COLORS["list"], COLORS["after"]), strict=True)
)


def read_plain(r: Any, db: ShopDatabase, product_id: int, ttl: float) -> Page | None:
    """Cache-aside without protection."""
    key = f"hot:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)
    page = db.page(product_id)
    r.set(key, json.dumps(page), px=int(ttl * 1000))
    return page


def read_with_lock(r: Any, db: ShopDatabase, product_id: int, ttl: float) -> Page | None:
    """Cache-aside where one request per miss runs the query, under a Redis lock."""
    key = f"hot:{product_id}"
    while True:
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)
        token = uuid.uuid4().hex
        if r.set(f"lock:{key}", token, nx=True, px=2000):
            try:
                page = db.page(product_id)
                r.set(key, json.dumps(page), px=int(ttl * 1000))
                return page
            finally:
                if r.get(f"lock:{key}") == token:  # good enough here; ps14 does it atomically
                    r.delete(f"lock:{key}")
        time.sleep(0.002)


def read_early(
    r: Any, db: ShopDatabase, product_id: int, ttl: float, beta: float = 1.0
) -> Page | None:
    """Cache-aside with probabilistic early refresh (XFetch)."""
    key = f"hot:{product_id}"
    cached = r.get(key)
    if cached is not None:
        entry = json.loads(cached)
        # -ln(u) for u in (0, 1] is an exponential random number: usually small, sometimes big.
        early = -entry["delta"] * beta * math.log(1.0 - random.random())
        if time.time() + early < entry["expiry"]:
            return entry["page"]
    began = time.perf_counter()
    page = db.page(product_id)
    delta = time.perf_counter() - began
    entry = {"page": page, "delta": delta, "expiry": time.time() + ttl}
    r.set(key, json.dumps(entry), px=int(ttl * 2000))  # kept beyond the logical expiry
    return page


def read_early_locked(r: Any, db: ShopDatabase, product_id: int, ttl: float) -> Page | None:
    """Early refresh where a request that decides to refresh must also take a lock: the others
    go on serving the entry, which is still valid."""
    key = f"hot:{product_id}"
    cached = r.get(key)
    if cached is not None:
        entry = json.loads(cached)
        early = -entry["delta"] * math.log(1.0 - random.random())
        if time.time() + early < entry["expiry"]:
            return entry["page"]
        if not r.set(f"lock:{key}", "1", nx=True, px=2000):
            return entry["page"]  # someone else is refreshing it
    began = time.perf_counter()
    page = db.page(product_id)
    delta = time.perf_counter() - began
    entry = {"page": page, "delta": delta, "expiry": time.time() + ttl}
    r.set(key, json.dumps(entry), px=int(ttl * 2000))
    r.delete(f"lock:{key}")
    return page


READERS = {
    "no protection": read_plain,
    "lock": read_with_lock,
    "early refresh": read_early,
    "early refresh + lock": read_early_locked,
}


@dataclass
class StampedeRun:
    """One mode under load: every request's latency, and when the database was queried."""

    mode: str
    threads: int
    seconds: float
    ttl: float
    latencies: list[float] = field(default_factory=list)
    db_times: list[float] = field(default_factory=list)  # seconds since the start, per query

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def db_reads(self) -> int:
        return len(self.db_times)

    @property
    def expiries(self) -> int:
        """How many times the page's time to live ran out during the run (at least once)."""
        return max(1, math.floor(self.seconds / self.ttl + 1e-9))

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class _CountingDatabase:
    """The shop's database, recording when each page query starts."""

    def __init__(self, db: ShopDatabase, start: float, times: list[float]) -> None:
        self.db, self.start, self.times = db, start, times
        self.lock = threading.Lock()

    def page(self, product_id: int) -> Page | None:
        with self.lock:
            self.times.append(time.perf_counter() - self.start)
        return self.db.page(product_id)


def measure_stampede(
    connect: Any, db: ShopDatabase, mode: str, *, threads: int, seconds: float, ttl: float
) -> StampedeRun:
    """``threads`` workers, each with its own Redis connection from ``connect()``, read the
    hot product for ``seconds`` in ``mode``; its page lives ``ttl`` seconds in the cache and is
    there when the run starts (the query that put it there is not counted)."""
    read = READERS[mode]
    product_id = 0  # the most popular product
    clients = [connect() for _ in range(threads)]
    clients[0].delete(f"hot:{product_id}", f"lock:hot:{product_id}")
    run = StampedeRun(mode, threads, seconds, ttl)
    start_gate = threading.Barrier(threads + 1)
    counting = _CountingDatabase(db, 0.0, run.db_times)
    per_thread: list[list[float]] = [[] for _ in range(threads)]

    def worker(index: int) -> None:
        client = clients[index]
        start_gate.wait()
        deadline = counting.start + seconds
        while (now := time.perf_counter()) < deadline:
            read(client, counting, product_id, ttl)  # type: ignore[arg-type]
            per_thread[index].append(time.perf_counter() - now)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    read(clients[0], db, product_id, ttl)  # the page is cached when the run starts
    counting.start = time.perf_counter()
    start_gate.wait()
    for w in workers:
        w.join()
    for client in clients:
        client.close()
    run.latencies = [t for times in per_thread for t in times]
    return run


def summary_line(run: StampedeRun) -> str:
    """One printed line per mode."""
    return (
        f"{run.mode:>20}: {run.requests:5d} requests, {run.db_reads:3d} database queries "
        f"(~{run.db_reads / run.expiries:.1f} per expiry), median "
        f"{statistics.median(run.latencies) * 1e3:.2f} ms, slowest 1% from "
        f"{run.percentile(0.99) * 1e3:.1f} ms"
    )


def plot_stampede(runs: list[StampedeRun]) -> tuple[Figure, Axes]:
    """Database queries over time in each mode: a step at every query."""
    fig, ax = new_figure(
        f"A hot key expiring every {runs[0].ttl:g} s under {runs[0].threads} threads",
        "time since the start (s)",
        "database queries so far",
    )
    for run in runs:
        times = sorted(run.db_times)
        ax.step(
            [0.0, *times, run.seconds],
            [0, *range(1, len(times) + 1), len(times)],
            where="post",
            label=f"{run.mode} ({run.db_reads})",
            color=MODE_COLORS[run.mode],
        )
    for k in range(1, runs[0].expiries + 1):
        ax.axvline(k * runs[0].ttl, color=COLORS["ideal"], alpha=0.25, linewidth=1)
    ax.legend(loc="upper left")
    return fig, ax
