"""Livelock in a lockstep model: two polite workers that each need two locks.

Each worker takes its own first lock, then *tries* the other's; when that is busy it gives its
first lock back and tries again after a pause. Nobody is blocked, everybody is busy, and with
the same fixed pause for both the two stay in step forever: a livelock. A random pause (jitter)
breaks the symmetry within a few rounds.

Time moves in ticks and both workers act at the same tick when their pauses agree: real threads
rarely keep such perfect step for long, which is why livelock is rarer than deadlock, and why it
is shown here in a model rather than left to chance.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class LivelockRun:
    """How one run of the model ended."""

    pause: str
    finished: bool
    ticks: int
    attempts: int  # times a worker took its first lock


def polite_workers(*, jitter: bool, seed: int = 0, max_ticks: int = 1000) -> LivelockRun:
    """Run two workers (one wants locks x then y, the other y then x) until both are done or
    ``max_ticks`` pass. The pause after a failed try is 2 ticks, or 1 to 4 ticks at random."""
    rng = random.Random(seed)
    label = "random 1-4 ticks" if jitter else "fixed 2 ticks"
    wants = {"W1": ("x", "y"), "W2": ("y", "x")}
    holder: dict[str, str | None] = {"x": None, "y": None}
    state = dict.fromkeys(wants, "first")  # first -> second -> done
    next_tick = dict.fromkeys(wants, 0)
    attempts = 0
    for tick in range(max_ticks):
        # Both workers look at the locks as they are at the start of the tick, then act.
        seen = dict(holder)
        for worker, (first, second) in wants.items():
            if state[worker] == "done" or next_tick[worker] != tick:
                continue
            if state[worker] == "first":
                if holder[first] is None:
                    holder[first] = worker
                    state[worker] = "second"
                    attempts += 1
                next_tick[worker] = tick + 1
            elif seen[second] is None and holder[second] is None:
                state[worker] = "done"  # had both for a moment: the work is done
                holder[first] = None
            else:  # polite: give the first lock back, pause, try again
                holder[first] = None
                state[worker] = "first"
                next_tick[worker] = tick + (rng.randint(1, 4) if jitter else 2)
        if all(s == "done" for s in state.values()):
            return LivelockRun(label, True, tick + 1, attempts)
    return LivelockRun(label, False, max_ticks, attempts)


def jitter_ticks(runs: int) -> tuple[float, int]:
    """Median and worst ticks to finish with random pauses, over ``runs`` seeds."""
    ticks = [polite_workers(jitter=True, seed=seed).ticks for seed in range(runs)]
    return statistics.median(ticks), max(ticks)
