"""A timing attack measured: how long ``==`` and ``hmac.compare_digest`` take to compare a
secret with guesses that share more and more of its first bytes."""

from __future__ import annotations

import hmac
import random
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure


@dataclass(frozen=True)
class CompareTime:
    """The best time of one comparison, by method and by how much of the secret the guess
    got right (its first ``matching`` bytes)."""

    method: str
    matching: int
    length: int
    seconds: float


def _guess(secret: bytes, matching: int) -> bytes:
    """A guess as long as ``secret`` whose first ``matching`` bytes are right and the rest
    wrong (every other byte flipped)."""
    wrong = bytes(b ^ 0xFF for b in secret[matching:])
    return secret[:matching] + wrong


def _per_call(compare: Callable[[bytes, bytes], bool], a: bytes, b: bytes, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        compare(a, b)
    return (time.perf_counter() - start) / calls


def measure_compares(
    length: int, fractions: Sequence[float], calls: int, repeats: int
) -> list[CompareTime]:
    """For each fraction of ``length`` bytes guessed right, the best over ``repeats`` of the
    time per comparison (``calls`` in a row), for ``==`` and ``hmac.compare_digest``. The best,
    not the median: on a busy machine other programs only ever add time, and the least time
    measured is the closest to what the comparison itself costs. The
    methods and guesses are interleaved in every repeat, so that a change in the machine's
    load touches them all alike (in a new random order each time)."""
    secret = secrets.token_bytes(length)
    guesses = {min(int(f * length), length - 1): b"" for f in fractions}
    for matching in guesses:
        guesses[matching] = _guess(secret, matching)
    methods: dict[str, Callable[[bytes, bytes], bool]] = {
        "==": lambda a, b: a == b,
        "hmac.compare_digest": hmac.compare_digest,
    }
    samples: dict[tuple[str, int], list[float]] = {(m, g): [] for m in methods for g in guesses}
    order = [(name, matching) for name in methods for matching in guesses]
    shuffler = random.Random(length)
    for _ in range(max(1, repeats)):
        shuffler.shuffle(order)  # a drift in the machine's speed then favours no guess
        for name, matching in order:
            compare = methods[name]
            samples[(name, matching)].append(_per_call(compare, secret, guesses[matching], calls))
    return [
        CompareTime(name, matching, length, min(times))
        for (name, matching), times in samples.items()
    ]


def plot_compares(records: Sequence[CompareTime]) -> tuple[Figure, Axes]:
    """Time per comparison (log scale) against the share of the secret the guess got right,
    one line per method."""
    length = records[0].length
    fig, ax = new_figure(
        f"Comparing a {length // 1024} KiB secret with a guess",
        "first bytes of the guess that are right (% of the secret)",
        "time per comparison (µs, log scale)",
    )
    colors = {"==": COLORS["before"], "hmac.compare_digest": COLORS["after"]}
    for method in ("==", "hmac.compare_digest"):
        line = sorted((r for r in records if r.method == method), key=lambda r: r.matching)
        ax.plot(
            [100 * r.matching / length for r in line],
            [r.seconds * 1e6 for r in line],
            "o-",
            color=colors[method],
            label=method,
        )
    ax.set_yscale("log")  # == spans decades; compare_digest is far slower, and flat
    ax.legend()
    return fig, ax
