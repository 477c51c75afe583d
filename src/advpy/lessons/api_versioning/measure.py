"""What each way of naming a version costs per request, over real HTTP on loopback."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import httpx
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure

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
    samples: tuple[float, ...]


def measure_styles(http: httpx.Client, requests: int, rounds: int = 10) -> list[Latency]:
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
            tuple(sorted(samples)),
        )
        for style, samples in times.items()
    ]


#: One colour per style, from the course's palette.
STYLE_COLORS = dict(zip(STYLES, (COLORS["threads"], COLORS["async"], COLORS["list"]), strict=True))


def plot_latencies(records: list[Latency]) -> tuple[Figure, Axes]:
    """The distribution of round-trip times of each style, as cumulative curves (the share of
    requests answered within a time), cut at the slowest style's 99th percentile."""
    fig, ax = new_figure(
        "One GET of a v2 user over loopback, by way of naming the version",
        "round-trip time (µs)",
        "share of requests answered within it",
    )
    right = 0.0
    for record in records:
        times = [t * 1e6 for t in record.samples]
        shares = [(i + 1) / len(times) for i in range(len(times))]
        ax.step(times, shares, where="post", label=record.style, color=STYLE_COLORS[record.style])
        right = max(right, times[int(0.99 * (len(times) - 1))])
    ax.set_xlim(0, right * 1.1)
    ax.set_ylim(0, 1.01)
    ax.legend(loc="lower right")
    return fig, ax
