"""A steady load of requests through the gateway, recorded one answer at a time, so that a
route change made while it runs can be checked for dropped requests and drawn."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

import httpx
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.microservices.shop import SERVED_BY
from advpy.lessons.plotting import COLORS, new_figure


@dataclass(frozen=True)
class Answer:
    """One request of the load: when it started (seconds since the load began), its path, and
    who answered it with which status, or the error that dropped it."""

    at: float
    path: str
    served_by: str | None
    status: int | None
    error: str | None

    @property
    def dropped(self) -> bool:
        """No answer, or a gateway error (nginx's 502 or 504) instead of the service's."""
        return self.error is not None or self.status is None or self.status >= 500


class SteadyLoad:
    """``workers`` threads that GET ``paths`` in turn through ``url`` until :meth:`stop`, each
    request on a new connection (as many independent clients would), recording every answer."""

    def __init__(self, url: str, paths: Sequence[str], workers: int = 2) -> None:
        self.url = url
        self.paths = list(paths)
        self.workers = workers
        self._answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._start = 0.0

    def __enter__(self) -> SteadyLoad:
        self._start = time.perf_counter()
        for number in range(self.workers):
            thread = threading.Thread(target=self._run, args=(number,), name=f"load-{number}")
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def elapsed(self) -> float:
        """Seconds since the load began."""
        return time.perf_counter() - self._start

    def _run(self, number: int) -> None:
        limits = httpx.Limits(max_keepalive_connections=0)  # a new connection per request
        with httpx.Client(base_url=self.url, timeout=5.0, limits=limits) as client:
            turn = number
            while not self._stop.is_set():
                path = self.paths[turn % len(self.paths)]
                turn += 1
                at = self.elapsed()
                try:
                    response = client.get(path)
                    answer = Answer(
                        at, path, response.headers.get(SERVED_BY), response.status_code, None
                    )
                except httpx.HTTPError as error:
                    answer = Answer(at, path, None, None, type(error).__name__)
                with self._lock:
                    self._answers.append(answer)

    def stop(self) -> list[Answer]:
        """Stop the threads (each finishes its request) and return every answer, in order."""
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self._threads.clear()
        with self._lock:
            return sorted(self._answers, key=lambda a: a.at)


def summarize(answers: Sequence[Answer], switch: tuple[float, float]) -> dict[str, Counter[str]]:
    """Who answered each path before the reload began, while it ran, and after it returned,
    and how many were dropped: ``{"before": Counter({"/orders/1 <- monolith": 120, ...}),
    "during": ..., "after": ..., "dropped": Counter({"/orders/1 (502)": 1})}``."""
    result: dict[str, Counter[str]] = {
        "before": Counter(),
        "during": Counter(),
        "after": Counter(),
        "dropped": Counter(),
    }
    for answer in answers:
        if answer.dropped:
            result["dropped"][f"{answer.path} ({answer.error or answer.status})"] += 1
            continue
        side = "before" if answer.at < switch[0] else "during" if answer.at < switch[1] else "after"
        result[side][f"{answer.path} <- {answer.served_by}"] += 1
    return result


#: The colour of each service in the plots.
SERVICE_COLORS = {"monolith": COLORS["before"], "orders-service": COLORS["after"]}


def plot_switch(
    answers: Sequence[Answer], switch: tuple[float, float], bucket: float = 0.1
) -> tuple[Figure, Axes]:
    """Requests answered per ``bucket`` seconds, by who answered them, with the reload (from
    the signal to the new workers serving) shaded, and dropped requests in black."""
    fig, ax = new_figure(
        "GET /orders/1 and /users/1 through nginx while the route changes",
        "time since the load began (s)",
        f"answers per {bucket * 1000:.0f} ms",
    )
    end = max((a.at for a in answers), default=0.0)
    edges = [i * bucket for i in range(int(end / bucket) + 2)]
    groups = [*SERVICE_COLORS, "dropped"]
    counts = {group: [0] * (len(edges) - 1) for group in groups}
    for answer in answers:
        group = "dropped" if answer.dropped else answer.served_by or "dropped"
        counts.setdefault(group, [0] * (len(edges) - 1))[int(answer.at / bucket)] += 1
    bottom = [0] * (len(edges) - 1)
    for group, heights in counts.items():
        color = SERVICE_COLORS.get(group, "black")
        ax.bar(edges[:-1], heights, width=bucket, bottom=bottom, align="edge", color=color,
               label=f"{group} ({sum(heights)})")  # fmt: skip
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.axvspan(switch[0], max(switch[1], switch[0] + bucket / 10), color="grey", alpha=0.3,
               label="reload")  # fmt: skip
    ax.set_ylim(0, max(bottom, default=1) * 1.35)  # room for the legend above the bars
    ax.legend(loc="upper center", ncol=4, fontsize=9)
    return fig, ax
