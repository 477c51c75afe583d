"""What each way of naming a version costs per request, over real HTTP on loopback."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import httpx

#: The same user, asked for as v2 in each of the three ways.
STYLES: dict[str, tuple[str, dict[str, str]]] = {
    "URL prefix /v2/...": ("/v2/users/1", {}),
    "Accept: vnd.shop.v2+json": ("/users/1", {"Accept": "application/vnd.shop.v2+json"}),
    "API-Version: 2": ("/users/1", {"API-Version": "2"}),
}


@dataclass(frozen=True)
class Latency:
    """Round-trip times of one style, in seconds."""

    style: str
    requests: int
    median: float
    p90: float


def measure_styles(http: httpx.Client, requests: int, rounds: int = 3) -> list[Latency]:
    """Send ``requests`` GETs per style, interleaved over ``rounds`` so that a slow moment of
    the machine falls on every style alike; each must answer 200 with the v2 body."""
    times: dict[str, list[float]] = {style: [] for style in STYLES}
    per_round = max(1, requests // rounds)
    for _ in range(rounds):
        for style, (path, headers) in STYLES.items():
            for _ in range(per_round):
                start = time.perf_counter()
                response = http.get(path, headers=headers)
                times[style].append(time.perf_counter() - start)
                if response.status_code != 200 or "given_name" not in response.json():
                    raise RuntimeError(f"{style}: unexpected answer {response.status_code}")
    return [
        Latency(
            style,
            len(samples),
            statistics.median(samples),
            statistics.quantiles(samples, n=10)[-1],
        )
        for style, samples in times.items()
    ]
