"""Calling a service that may be slow or gone: a service whose delay and status the lesson sets
while it runs, a retry loop with a budget, and a circuit breaker, each measured over real HTTP.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI, Response
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure

T = TypeVar("T")


def make_flaky_service() -> FastAPI:
    """``GET /price`` answers after ``app.state.delay`` seconds with ``app.state.status``
    (200 with a price, or an error status); ``app.state.received`` counts the requests."""
    app = FastAPI(title="pricing (flaky on demand)")
    app.state.delay = 0.0
    app.state.status = 200
    app.state.received = 0

    @app.get("/price")
    async def price() -> Response:
        app.state.received += 1
        if app.state.delay:
            await asyncio.sleep(app.state.delay)
        if app.state.status != 200:
            return Response("busy", status_code=app.state.status)
        return Response('{"price_cents": 4900}', media_type="application/json")

    return app


class CircuitOpen(Exception):
    """The breaker is open: the call was not made."""


@dataclass
class CircuitBreaker:
    """Closed: calls go through; ``threshold`` failures in a row open it. Open: calls fail at
    once with :class:`CircuitOpen` until ``reset_timeout`` seconds (read from ``clock``) have
    passed. Then one trial call goes through (half-open): success closes it, failure opens it
    again. ``changes`` keeps ``(time, old state, new state)``."""

    threshold: int = 3
    reset_timeout: float = 1.0
    clock: Callable[[], float] = time.monotonic
    state: str = "closed"
    failures: int = 0
    opened_at: float = 0.0
    changes: list[tuple[float, str, str]] = field(default_factory=list)

    def _move(self, state: str) -> None:
        self.changes.append((self.clock(), self.state, state))
        self.state = state

    def call(self, func: Callable[[], T]) -> T:
        """``func()`` if the breaker lets it through, its outcome counted."""
        if self.state == "open":
            if self.clock() - self.opened_at < self.reset_timeout:
                raise CircuitOpen("the circuit is open: not calling")
            self._move("half_open")
        try:
            result = func()
        except Exception:
            self.failures += 1
            if self.state == "half_open" or self.failures >= self.threshold:
                self.opened_at = self.clock()
                self._move("open")
            raise
        self.failures = 0
        if self.state == "half_open":
            self._move("closed")
        return result


@dataclass
class RetryBudget:
    """Retries allowed as a share of first attempts: every first attempt adds ``ratio`` of a
    token, every retry spends one, and a retry with no whole token left is not made. It starts
    with ``reserve`` tokens so that a quiet client can still retry a little."""

    ratio: float = 0.1
    reserve: float = 3.0
    tokens: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.reserve

    def first_attempt(self) -> None:
        self.tokens += self.ratio

    def try_spend(self) -> bool:
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def call_with_retries(
    func: Callable[[], T],
    attempts: int,
    budget: RetryBudget | None = None,
    backoff: float = 0.002,
    rng: random.Random | None = None,
) -> T:
    """``func()``, retried up to ``attempts`` times in all when it raises, after a random pause
    of up to ``backoff * 2**retry`` seconds ("full jitter"), and only while ``budget`` (if
    given) has a token for the retry."""
    rng = rng or random.Random(0)
    if budget is not None:
        budget.first_attempt()
    for attempt in range(attempts):
        try:
            return func()
        except Exception:
            last = attempt == attempts - 1
            if last or (budget is not None and not budget.try_spend()):
                raise
            time.sleep(rng.uniform(0, backoff * 2**attempt))
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Outcome:
    """One call as the caller saw it: how long it took, its result or error, and the
    breaker's state just after it (``""`` without a breaker)."""

    seconds: float
    ok: bool
    error: str
    state: str


def timed_calls(
    count: int, call: Callable[[], Any], breaker: CircuitBreaker | None = None
) -> list[Outcome]:
    """Make ``count`` calls one after the other (through ``breaker`` if given), timing each."""
    outcomes = []
    for _ in range(count):
        start = time.perf_counter()
        error = ""
        try:
            breaker.call(call) if breaker else call()
        except Exception as failure:
            error = type(failure).__name__
        seconds = time.perf_counter() - start
        outcomes.append(Outcome(seconds, not error, error, breaker.state if breaker else ""))
    return outcomes


#: The colour of each breaker state in the plot.
STATE_COLORS = {"closed": COLORS["after"], "open": COLORS["before"], "half_open": COLORS["list"]}


def plot_calls(outcomes: list[Outcome]) -> tuple[Figure, Axes]:
    """Each call's time (log scale), coloured by the breaker's state after it; failures hollow."""
    fig, ax = new_figure(
        "Calls through a circuit breaker to a slow service, then a recovered one",
        "call number",
        "time the caller waited (ms, log scale)",
    )
    ax.set_yscale("log")
    for state, color in STATE_COLORS.items():
        for ok in (True, False):
            points = [
                (number, o.seconds * 1000)
                for number, o in enumerate(outcomes, 1)
                if o.state == state and o.ok == ok
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                label = f"{'answered' if ok else 'failed'}, breaker then {state}"
                face = color if ok else "none"
                ax.scatter(xs, ys, label=label, edgecolors=color, facecolors=face)
    ax.legend(loc="upper right", fontsize=8)
    return fig, ax
