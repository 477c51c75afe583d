"""An open-loop load generator for the lesson's service, driven from the notebook with
top-level ``await``.

**Open loop** means requests are sent on a schedule fixed in advance (Poisson arrivals at
``rate`` per second), whether or not earlier ones were answered, as independent users do. A
closed-loop generator (N clients, each waiting for its answer before sending again) slows down
when the server does, so it never builds the queue it is meant to measure. Each request's
latency is counted from the moment it was *scheduled*, so a late start (the generator itself
busy) counts against the system, not in its favour.

The load is bounded: at most ``max_requests`` requests, at most ``max_in_flight`` open at once
(more are counted as failed without being sent), each with a ``timeout``.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

#: Status recorded for a request that got no HTTP answer (refused, reset, timed out).
NO_ANSWER = 0


@dataclass(frozen=True)
class Outcome:
    """One request: when it was scheduled (seconds from the start), how long it took, and
    how it ended."""

    at: float
    latency: float
    status: int
    instance: str = ""


@dataclass
class LoadRun:
    """All the outcomes of one run, with the statistics the lesson prints."""

    label: str
    rate: float
    duration: float
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.outcomes)

    @property
    def succeeded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == 200]

    @property
    def failed(self) -> int:
        """Requests that got no answer or an error other than a deliberate 503."""
        return sum(1 for o in self.outcomes if o.status not in (200, 503))

    @property
    def shed(self) -> int:
        return sum(1 for o in self.outcomes if o.status == 503)

    def latency(self, fraction: float, *, status: int = 200) -> float:
        """The nearest-rank percentile of the latencies of requests that ended with
        ``status``, in seconds (nan when there are none)."""
        values = sorted(o.latency for o in self.outcomes if o.status == status)
        if not values:
            return math.nan
        return values[max(1, math.ceil(fraction * len(values))) - 1]

    def summary(self) -> str:
        p50, p99 = self.latency(0.5) * 1000, self.latency(0.99) * 1000
        text = (
            f"{self.label}: {self.sent} requests at {self.rate:g}/s, p50 {p50:.0f} ms, "
            f"p99 {p99:.0f} ms, failed {self.failed}"
        )
        if self.shed:
            text += (
                f", shed {self.shed} (503 after p50 {self.latency(0.5, status=503) * 1000:.0f} ms)"
            )
        return text


def schedule(
    rate: float, duration: float, mean_ms: float, *, seed: int, max_requests: int
) -> list[tuple[float, float]]:
    """(send time, service ms) pairs: Poisson arrivals and exponential service times."""
    draw = random.Random(seed)
    plan: list[tuple[float, float]] = []
    moment = draw.expovariate(rate)
    while moment < duration and len(plan) < max_requests:
        plan.append((moment, draw.expovariate(1 / mean_ms)))
        moment += draw.expovariate(rate)
    return plan


async def open_loop(
    urls: Sequence[str],
    rate: float,
    duration: float,
    *,
    mean_ms: float,
    path: str = "/work",
    label: str = "",
    seed: int = 0,
    timeout: float = 5.0,
    max_in_flight: int = 300,
    max_requests: int = 5000,
    events: Sequence[tuple[float, Callable[[], object]]] = (),
) -> LoadRun:
    """Send ``GET {url}{path}?ms=<service time>`` at Poisson times for ``duration`` seconds.

    With several ``urls``, requests go to them in turn: a client-side round-robin with no
    health checks and no retries. ``events`` are ``(seconds, function)`` pairs called at those
    moments of the run (to stop an instance during the load, say)."""
    plan = schedule(rate, duration, mean_ms, seed=seed, max_requests=max_requests)
    run = LoadRun(label or f"{len(urls)} url(s)", rate, duration)
    limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=64)
    in_flight = 0

    async def one(number: int, due: float, ms: float, start: float) -> None:
        nonlocal in_flight
        url = f"{urls[number % len(urls)]}{path}?ms={ms:.3f}"
        status, instance = NO_ANSWER, ""
        if in_flight >= max_in_flight:
            run.outcomes.append(Outcome(due, 0.0, NO_ANSWER))
            return
        in_flight += 1
        try:
            response = await client.get(url)
            status, instance = response.status_code, response.headers.get("x-instance", "")
        except httpx.HTTPError:
            pass
        finally:
            in_flight -= 1
        run.outcomes.append(Outcome(due, time.perf_counter() - start - due, status, instance))

    async def fire(when: float, action: Callable[[], object], start: float) -> None:
        await asyncio.sleep(max(0.0, start + when - time.perf_counter()))
        action()

    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        start = time.perf_counter()
        tasks = [asyncio.create_task(fire(when, action, start)) for when, action in events]
        for number, (due, ms) in enumerate(plan):
            delay = start + due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(number, due, ms, start)))
        await asyncio.gather(*tasks)
    run.outcomes.sort(key=lambda o: o.at)
    return run


async def burst(url: str, *, path: str, requests: int, ms: float, timeout: float = 30.0) -> float:
    """Send ``requests`` requests of ``ms`` milliseconds of service at once and return the
    seconds until the last answer (the makespan): the cluster's throughput, without queueing
    noise."""
    limits = httpx.Limits(max_connections=requests)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        start = time.perf_counter()
        answers = await asyncio.gather(
            *(client.get(f"{url}{path}?ms={ms}") for _ in range(requests))
        )
        elapsed = time.perf_counter() - start
    if any(answer.status_code != 200 for answer in answers):
        raise RuntimeError("a request of the burst failed")
    return elapsed
