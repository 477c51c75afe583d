"""Timing helpers every lesson shares: the best of several wall-clock runs, and one sentence on
how busy the machine is, printed next to measurements so that they are read in context."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from advpy.cores import usable_cores


def load_average() -> float | None:
    """The Unix load average over the last minute (runnable processes, averaged), or ``None``
    where the system does not report one (Windows)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def load_note() -> str:
    """One sentence on how busy the machine is (Unix load average over the last minute), to
    read timings by: on a busy machine speed-ups fall short of what the cores allow."""
    load = load_average()
    if load is None:
        return "The load average is not available here."
    cores = usable_cores()
    if load < 0.5 * cores:
        return f"Load average {load:.1f} on {cores} usable cores: the machine is fairly quiet."
    return (
        f"Load average {load:.1f} on {cores} usable cores: other programs keep the cores busy, "
        "so expect noisy timings and speed-ups below what the cores allow."
    )


def best_time(repeats: int, func: Callable[..., Any], *args: Any) -> float:
    """The smallest wall time, in seconds, of ``repeats`` calls of ``func(*args)``."""
    best = float("inf")
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - start)
    return best


def describe_ratio(ratio: float, margin: float = 0.1) -> str:
    """``"faster"``, ``"slower"`` or ``"about the same"`` (within ``margin``) for a time ratio."""
    if ratio < 1 - margin:
        return "faster"
    if ratio > 1 + margin:
        return "slower"
    return "about the same"
