"""How many requests each shared limiter lets through when several processes hit it at once.

:func:`measure_accuracy` starts ``processes`` worker processes (spawned, so the worker lives
here, in an importable module). For each limiter, the workers wait at one barrier, then each
sends ``requests_each`` requests for the same key at the same instant as fast as it can, each
over its own Redis connection. A limiter that holds its limit lets through exactly ``limit``;
the naive one lets through more.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure
from advpy.lessons.rate_limiting.shared import SHARED_LIMITERS
from advpy.lessons.rate_limiting.workers import load_worker


@dataclass(frozen=True)
class Accuracy:
    """One limiter under concurrent load: the limit, what was sent and what got through."""

    limiter: str
    limit: int
    sent: int
    allowed: int
    per_process: tuple[int, ...]

    @property
    def excess(self) -> int:
        """Requests let through beyond the limit."""
        return self.allowed - self.limit


def measure_accuracy(
    url: str,
    *,
    limit: int,
    processes: int,
    requests_each: int,
    names: Sequence[str] = tuple(SHARED_LIMITERS),
) -> list[Accuracy]:
    """Run every limiter in ``names`` against the Redis at ``url`` from ``processes`` processes
    at once, each sending ``requests_each`` requests in one window; one record per limiter."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(
            target=load_worker,
            args=(url, list(names), limit, requests_each, barrier, results, i),
            daemon=True,
        )
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    counts: dict[str, list[int]] = {name: [0] * processes for name in names}
    try:
        for _ in range(processes * len(names)):
            name, index, allowed = results.get(timeout=120)
            counts[name][index] = allowed
    except queue.Empty:
        raise RuntimeError("a load process stopped answering") from None
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
                worker.join()
        results.close()
        results.join_thread()
    return [
        Accuracy(name, limit, processes * requests_each, sum(counts[name]), tuple(counts[name]))
        for name in names
    ]


def plot_accuracy(records: Sequence[Accuracy]) -> tuple[Figure, Axes]:
    """Requests let through by each limiter, stacked by process, against the limit."""
    fig, ax = new_figure(
        f"{records[0].sent} requests from {len(records[0].per_process)} processes at once",
        "requests let through",
        "",
    )
    names = [r.limiter for r in records]
    palette = [COLORS["threads"], COLORS["async"], COLORS["list"], COLORS["generator"]]
    for p in range(len(records[0].per_process)):
        left = [sum(r.per_process[:p]) for r in records]
        ax.barh(
            names,
            [r.per_process[p] for r in records],
            left=left,
            color=palette[p % len(palette)],
            edgecolor="white",
            label=f"process {p + 1}",
        )
    ax.axvline(records[0].limit, color=COLORS["before"], ls="--", label=f"limit {records[0].limit}")
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    fig.subplots_adjust(left=0.3)
    return fig, ax
