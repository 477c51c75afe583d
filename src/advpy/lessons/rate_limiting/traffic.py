"""One bursty traffic trace, replayed through every limiter, and a picture of what each let
through.

The trace is a list of arrival times in seconds: a steady background of requests, a burst that
straddles a window boundary, a short spike, and a stretch of sustained overload. Every limiter
sees the very same trace, so the differences in the plot are the limiters' alone.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.context import machine
from advpy.lessons.plotting import COLORS, STYLE
from advpy.lessons.rate_limiting.algorithms import LeakyBucket, Limiter


def bursty_traffic(seed: int = 15, duration: float = 20.0, background: float = 4.0) -> list[float]:
    """Arrival times (seconds, sorted) over ``duration``: Poisson background traffic at
    ``background`` requests per second, 24 requests in the 0.2 s around t = 5.0 (a window
    boundary), 15 at once at t = 9.3, and 20 requests per second from t = 13 to t = 16."""
    rng = random.Random(seed)
    times: list[float] = []
    t = rng.expovariate(background)
    while t < duration:
        times.append(t)
        t += rng.expovariate(background)
    times += [4.9 + 0.2 * i / 24 for i in range(24)]
    times += [9.3] * 15
    times += [13.0 + i / 20 for i in range(60)]
    return sorted(round(t, 6) for t in times if t < duration)


@dataclass(frozen=True)
class Replay:
    """What one limiter did with a trace: the arrivals, each one's verdict, and when the app
    received each allowed request (later than its arrival for a leaky bucket's queue)."""

    name: str
    arrivals: tuple[float, ...]
    allowed: tuple[bool, ...]
    delivered: tuple[float, ...]

    @property
    def rejected(self) -> int:
        return self.allowed.count(False)

    def busiest(self, window: float) -> int:
        """The most requests the app received in any ``window`` seconds."""
        return most_in_any_window(self.delivered, window)


def replay(name: str, limiter: Limiter, arrivals: Sequence[float]) -> Replay:
    """Send every arrival through ``limiter``, in order."""
    verdicts = [limiter.allow(t) for t in arrivals]
    if isinstance(limiter, LeakyBucket):
        delivered = list(limiter.served)
    else:
        delivered = [t for t, ok in zip(arrivals, verdicts, strict=True) if ok]
    return Replay(name, tuple(arrivals), tuple(verdicts), tuple(sorted(delivered)))


def most_in_any_window(times: Sequence[float], window: float) -> int:
    """The largest number of ``times`` (sorted) inside one half-open interval of ``window``
    seconds, ``(t - window, t]``, over all t."""
    best = 0
    for i, t in enumerate(times):
        first = bisect.bisect_right(times, t - window)
        best = max(best, i + 1 - first)
    return best


def trailing_counts(times: Sequence[float], window: float, grid: Sequence[float]) -> list[int]:
    """For each point of ``grid``, how many of ``times`` (sorted) fall in the ``window`` seconds
    that end there."""
    return [bisect.bisect_right(times, g) - bisect.bisect_right(times, g - window) for g in grid]


def plot_replays(replays: Sequence[Replay], limit: int, window: float) -> tuple[Figure, Any]:
    """One panel per limiter, sharing the time axis: the requests the app received in the last
    ``window`` seconds (green line) against the limit (dashed), and each rejected request as a
    red tick at the bottom. The top panel is the traffic offered to all of them."""
    with plt.rc_context(cast(Any, STYLE)):
        fig, axes = plt.subplots(nrows=len(replays) + 1, sharex=True, figsize=(8.0, 9.5))
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)  # keep the inline backend on, as new_figure does
    fig.suptitle(f"The same bursty traffic through five limiters of {limit} per {window:g} s")
    fig.text(0.99, 0.005, machine().label(), ha="right", va="bottom", fontsize=8, alpha=0.7)
    arrivals = replays[0].arrivals
    end = max(arrivals) + 0.5
    grid = [i * 0.02 for i in range(int(end / 0.02) + 1)]
    top = max(trailing_counts(arrivals, window, grid))
    offered = cast(Axes, axes[0])
    offered.plot(grid, trailing_counts(arrivals, window, grid), color=COLORS["ideal"], lw=1.5)
    offered.set_title("offered: requests that arrived in the last second", fontsize=10)
    for ax, record in zip(axes[1:], replays, strict=True):
        counts = trailing_counts(record.delivered, window, grid)
        ax.plot(grid, counts, color=COLORS["after"], lw=1.5, label="received by the app")
        rejected = [t for t, ok in zip(record.arrivals, record.allowed, strict=True) if not ok]
        ax.plot(rejected, [0] * len(rejected), "|", color=COLORS["before"], ms=9, label="rejected")
        ax.set_title(
            f"{record.name}: {record.rejected} rejected, at most {record.busiest(window)} "
            f"received in any {window:g} s",
            fontsize=10,
        )
    for ax in axes:
        ax.axhline(limit, color=COLORS["ideal"], ls="--", lw=1)
        ax.set_ylim(-1.5, top + 2)
        ax.set_ylabel("per s")
    axes[1].legend(loc="upper left", fontsize=8, ncols=2)
    axes[-1].set_xlabel("time (s)")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig, axes
