"""What a password hash costs: bcrypt by work factor, Argon2id by memory and passes, next to a
plain SHA-256, measured and drawn; and the work factor to pick for a time budget."""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import bcrypt
import matplotlib
import matplotlib.pyplot as plt
from argon2 import PasswordHasher
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.context import machine
from advpy.lessons.plotting import COLORS, STYLE

PASSWORD = b"correct horse battery staple"


@dataclass(frozen=True)
class HashCost:
    """The time one hash took with one setting of one algorithm (median of the repeats)."""

    algorithm: str  # "bcrypt", "argon2id" or "sha256"
    setting: str  # "cost 10", "t=2, m=19 MiB", ...
    work: float  # bcrypt's cost, Argon2's memory in MiB, 0 for SHA-256
    seconds: float


def _median_time(repeats: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_bcrypt(costs: Sequence[int], repeats: int) -> list[HashCost]:
    """The median time of one ``bcrypt.hashpw`` per work factor in ``costs``."""
    records = []
    for cost in costs:
        seconds = _median_time(repeats, partial(bcrypt.hashpw, PASSWORD, bcrypt.gensalt(cost)))
        records.append(HashCost("bcrypt", f"cost {cost}", float(cost), seconds))
    return records


def measure_argon2(
    memories_mib: Sequence[int], time_costs: Sequence[int], repeats: int
) -> list[HashCost]:
    """The median time of one Argon2id hash (one lane) per memory size and number of passes."""
    records = []
    for passes in time_costs:
        for mib in memories_mib:
            hasher = PasswordHasher(time_cost=passes, memory_cost=mib * 1024, parallelism=1)
            seconds = _median_time(repeats, partial(hasher.hash, PASSWORD))
            records.append(HashCost("argon2id", f"t={passes}, m={mib} MiB", float(mib), seconds))
    return records


def measure_sha256(repeats: int, calls: int = 10_000) -> HashCost:
    """The time of one salted SHA-256 of the password: what an attacker pays per guess when a
    fast hash was used."""
    salt = b"0123456789abcdef"

    def many() -> None:
        for _ in range(calls):
            hashlib.sha256(salt + PASSWORD).digest()

    return HashCost("sha256", "one salted SHA-256", 0.0, _median_time(repeats, many) / calls)


def pick_bcrypt_cost(records: Sequence[HashCost], budget: float) -> int:
    """The highest measured bcrypt cost whose hash takes at most ``budget`` seconds (the
    lowest cost measured if none fits)."""
    bcrypts = [r for r in records if r.algorithm == "bcrypt"]
    fitting = [r for r in bcrypts if r.seconds <= budget]
    chosen = max(fitting, key=lambda r: r.work) if fitting else min(bcrypts, key=lambda r: r.work)
    return int(chosen.work)


def plot_hash_costs(records: Sequence[HashCost], budget: float) -> tuple[Figure, Axes]:
    """Two panels: bcrypt's time per hash by cost (log scale, each step doubles it), and
    Argon2id's by memory, one line per number of passes; the time budget as a dashed line."""
    with plt.rc_context(cast(Any, STYLE)):
        fig, (left, right) = plt.subplots(ncols=2, figsize=(10.0, 4.2))
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)  # as new_figure does: keep the inline backend on
    axes = (left, right)
    fig.suptitle("What one password hash costs")
    fig.text(0.99, 0.01, machine().label(), ha="right", va="bottom", fontsize=8, alpha=0.7)
    bcrypts = [r for r in records if r.algorithm == "bcrypt"]
    left.plot(
        [r.work for r in bcrypts],
        [r.seconds * 1e3 for r in bcrypts],
        "o-",
        color=COLORS["threads"],
        label="bcrypt",
    )
    left.set_yscale("log")
    left.set_xlabel("bcrypt cost (log2 of the rounds)")
    left.set_ylabel("time per hash (ms, log scale)")
    argons = [r for r in records if r.algorithm == "argon2id"]
    for passes in sorted({r.setting.split(",")[0] for r in argons}):
        line = [r for r in argons if r.setting.startswith(passes + ",")]
        right.plot([r.work for r in line], [r.seconds * 1e3 for r in line], "o-", label=passes)
    right.set_xlabel("Argon2id memory (MiB)")
    right.set_ylabel("time per hash (ms)")
    right.set_title("Argon2id, one lane", fontsize=10)
    left.set_title("bcrypt", fontsize=10)
    for ax in axes:
        ax.axhline(budget * 1e3, color=COLORS["ideal"], linestyle="--", label="budget")
        ax.legend()
    fig.subplots_adjust(wspace=0.3, top=0.85, bottom=0.16)
    return fig, left
