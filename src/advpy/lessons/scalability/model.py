"""Queues in a discrete-event simulation (SimPy) and in formulas.

:func:`simulate` runs ``servers`` workers behind one shared first-come-first-served queue
(M/M/c), or behind a dispatcher that sends each request to one server's own queue (random or
round-robin, as a blind load balancer does). Arrivals are Poisson and service times
exponential, each drawn from one seeded generator, so a run is repeatable. Besides every
request's response time, it integrates the number of requests in the system over time, which is
what Little's law (L = lambda x W) relates to the mean response time.

:func:`erlang_c` and :func:`mmc_prediction` are the formulas the simulation is checked against.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Literal

Dispatch = Literal["shared", "random", "round-robin"]


@dataclass(frozen=True)
class QueueRun:
    """One simulated run, response times in seconds."""

    arrival_rate: float
    service_rate: float
    servers: int
    dispatch: str
    requests: int
    mean_response: float
    p50: float
    p99: float
    mean_in_system: float  # time-average number of requests in the system (L)
    arrivals_per_second: float  # arrivals counted in the same window (lambda, measured)

    @property
    def utilisation(self) -> float:
        return self.arrival_rate / (self.servers * self.service_rate)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (``fraction`` 0.99 is the 99th)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def simulate(
    arrival_rate: float,
    service_rate: float,
    servers: int = 1,
    *,
    requests: int = 20_000,
    dispatch: Dispatch = "shared",
    seed: int = 0,
    warmup: float = 0.1,
) -> QueueRun:
    """Simulate ``requests`` arrivals; the first ``warmup`` fraction is left out of the
    statistics (the queue starts empty, which flatters the first requests)."""
    import simpy

    draw = random.Random(seed)
    env = simpy.Environment()
    if dispatch == "shared":
        queues = [simpy.Resource(env, capacity=servers)]
    else:
        queues = [simpy.Resource(env, capacity=1) for _ in range(servers)]
    times: list[float] = []
    skip = int(warmup * requests)
    # Little's law is checked over a window: from the first measured arrival to the last
    # arrival. Inside it, the count of requests in the system is integrated over time (L),
    # arrivals are counted (lambda) and every request arriving in it is timed (W).
    state = {"count": 0, "since": 0.0, "area": 0.0, "start": math.inf, "end": math.inf}

    def change(by: int) -> None:
        now = env.now
        low, high = max(state["since"], state["start"]), min(now, state["end"])
        if high > low:
            state["area"] += state["count"] * (high - low)
        state["since"] = now
        state["count"] += by

    def job(number: int, queue: Any, service: float) -> Generator[Any, Any, None]:
        arrived = env.now
        change(+1)
        with queue.request() as turn:
            yield turn
            yield env.timeout(service)
        change(-1)
        if number >= skip:
            times.append(env.now - arrived)

    def source() -> Generator[Any, Any, None]:
        for number in range(requests):
            yield env.timeout(draw.expovariate(arrival_rate))
            if number == skip:
                state["start"] = env.now
            if number == requests - 1:
                change(0)
                state["end"] = env.now
            service = draw.expovariate(service_rate)
            if dispatch == "shared":
                queue = queues[0]
            elif dispatch == "random":
                queue = queues[draw.randrange(servers)]
            else:
                queue = queues[number % servers]
            env.process(job(number, queue, service))

    env.process(source())
    env.run()
    span = state["end"] - state["start"]
    return QueueRun(
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        servers=servers,
        dispatch=dispatch,
        requests=len(times),
        mean_response=sum(times) / len(times),
        p50=percentile(times, 0.5),
        p99=percentile(times, 0.99),
        mean_in_system=state["area"] / span,
        arrivals_per_second=(requests - 1 - skip) / span,
    )


def sweep(
    service_rate: float,
    utilisations: list[float],
    *,
    servers: int = 1,
    dispatch: Dispatch = "shared",
    requests: int = 20_000,
    seed: int = 0,
) -> list[QueueRun]:
    """One run per utilisation (arrival rate = utilisation x servers x service rate)."""
    return [
        simulate(
            rho * servers * service_rate,
            service_rate,
            servers,
            requests=requests,
            dispatch=dispatch,
            seed=seed,
        )
        for rho in utilisations
    ]


def erlang_c(offered: float, servers: int) -> float:
    """The probability that a request waits in an M/M/c queue with ``offered`` erlangs
    (arrival rate / service rate) and ``servers`` servers; 1.0 when the queue is unstable.
    Computed through Erlang B's recurrence, which never builds a^c or c!."""
    rho = offered / servers
    if rho >= 1:
        return 1.0
    blocked = 1.0
    for k in range(1, servers + 1):
        blocked = offered * blocked / (k + offered * blocked)
    return blocked / (1 - rho * (1 - blocked))


@dataclass(frozen=True)
class Prediction:
    """What the M/M/c formulas say, in seconds."""

    mean_response: float
    p99: float


def _mmc_p99(arrival_rate: float, service_rate: float, servers: int) -> float:
    """The 99th percentile of the response time of M/M/c (FCFS), solved numerically from the
    distribution: a request waits with probability C, then an exponential time of rate
    c*mu - lambda, and is served in an exponential time of rate mu."""
    c = erlang_c(arrival_rate / service_rate, servers)
    drain = servers * service_rate - arrival_rate
    mu = service_rate

    def beyond(t: float) -> float:  # P(response > t)
        served = math.exp(-mu * t)
        if abs(drain - mu) < 1e-12:
            waited = math.exp(-mu * t) * (1 + mu * t)
        else:
            waited = (drain * math.exp(-mu * t) - mu * math.exp(-drain * t)) / (drain - mu)
        return (1 - c) * served + c * waited

    low, high = 0.0, 1.0 / mu
    while beyond(high) > 0.01:
        high *= 2
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if beyond(middle) > 0.01 else (low, middle)
    return high


def mmc_prediction(arrival_rate: float, service_rate: float, servers: int) -> Prediction:
    """Mean and 99th percentile of the response time of an M/M/c queue (inf when unstable)."""
    if arrival_rate >= servers * service_rate:
        return Prediction(math.inf, math.inf)
    wait = erlang_c(arrival_rate / service_rate, servers) / (servers * service_rate - arrival_rate)
    return Prediction(wait + 1 / service_rate, _mmc_p99(arrival_rate, service_rate, servers))


def split_prediction(arrival_rate: float, service_rate: float, servers: int) -> Prediction:
    """The same for ``servers`` separate M/M/1 queues, each getting a random share of the
    requests: what a blind balancer does at worst."""
    return mmc_prediction(arrival_rate / servers, service_rate, 1)
