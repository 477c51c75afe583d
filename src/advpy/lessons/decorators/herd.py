"""A model of the thundering herd: many clients retrying against one overloaded server.

This is a simulation, not a measurement. Time runs in slots (10 ms by default). Every client
sends its first request in slot 0, as happens when a server comes back after an outage. The
server answers at most ``capacity`` requests per slot; the others, picked at random, get 503.
A client that got 503 for the k-th time waits ``min(cap, base * 2 ** (k - 1))`` (no jitter),
a uniform draw between 0 and that (full jitter), or half of it plus a uniform draw up to the
other half (equal jitter), then tries again. Everything is drawn from one seeded generator.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

#: The jitter strategies the model knows, in the order the lesson shows them.
STRATEGIES = ("none", "full", "equal")


@dataclass(frozen=True)
class HerdRun:
    """Requests per slot for one strategy, and what they add up to."""

    strategy: str
    clients: int
    capacity: int
    slot_ms: float
    requests: list[int]  # requests that arrived in each slot
    served: list[int]  # requests answered 200 in each slot

    @property
    def total_requests(self) -> int:
        return sum(self.requests)

    @property
    def peak(self) -> int:
        return max(self.requests, default=0)

    @property
    def finished_ms(self) -> float:
        """When the last client was served (end of its slot), in ms."""
        last = max((i for i, n in enumerate(self.served) if n), default=-1)
        return (last + 1) * self.slot_ms

    @property
    def busy_share(self) -> float:
        """The share of the server's capacity used until the last client was served."""
        slots = self.finished_ms / self.slot_ms
        return sum(self.served) / (slots * self.capacity) if slots else 0.0


def backoff_ms(failures: int, base_ms: float, cap_ms: float) -> float:
    """The back-off after the ``failures``-th failure: ``min(cap, base * 2 ** (failures - 1))``."""
    return min(cap_ms, base_ms * 2 ** (failures - 1))


def simulate_herd(
    strategy: str,
    clients: int = 1000,
    capacity: int = 50,
    base_ms: float = 20.0,
    cap_ms: float = 1000.0,
    slot_ms: float = 10.0,
    seed: int = 0,
    max_slots: int = 100_000,
) -> HerdRun:
    """Run the model for one jitter ``strategy`` ("none", "full" or "equal")."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}")
    rng = random.Random(seed)
    arrivals: dict[int, list[int]] = defaultdict(list)  # slot -> clients arriving then
    arrivals[0] = list(range(clients))
    failures = [0] * clients
    requests: list[int] = []
    served: list[int] = []
    waiting = clients
    slot = 0
    while waiting and slot < max_slots:
        here = arrivals.pop(slot, [])
        rng.shuffle(here)
        lucky, unlucky = here[:capacity], here[capacity:]
        requests.append(len(here))
        served.append(len(lucky))
        waiting -= len(lucky)
        for client in unlucky:
            failures[client] += 1
            delay = backoff_ms(failures[client], base_ms, cap_ms)
            if strategy == "full":
                delay = rng.uniform(0.0, delay)
            elif strategy == "equal":
                delay = delay / 2 + rng.uniform(0.0, delay / 2)
            later = slot + max(1, math.ceil(delay / slot_ms))
            arrivals[later].append(client)
        slot += 1
    return HerdRun(strategy, clients, capacity, slot_ms, requests, served)
