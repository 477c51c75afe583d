"""Small functions the ps01 exercise maps over process pools to see how they were run.

A process pool sends a function to its workers by name, so these live in a module that every
worker can import (a function defined in a notebook cell cannot be found by a worker started
with *spawn* or *forkserver*). Each one reports something the tests can check: which process
ran it, in what order results came back, or whether an error travelled back to the caller.
"""

from __future__ import annotations

import os
import time

#: Seconds :func:`slow_pid` waits: long enough that every worker of a small pool gets work.
SLOW_SECONDS = 0.05


class ProbeError(Exception):
    """The error :func:`fail_on_negative` raises, so a test can tell it from any other."""


def square(x: int) -> int:
    """``x * x``."""
    return x * x


def pid(x: object) -> tuple[object, int]:
    """``(x, id of the process that ran this call)``."""
    return (x, os.getpid())


def slow_pid(x: object) -> tuple[object, int]:
    """Like :func:`pid`, after waiting :data:`SLOW_SECONDS`, so that calls overlap in time."""
    time.sleep(SLOW_SECONDS)
    return (x, os.getpid())


def echo_after(item: tuple[object, float]) -> object:
    """``item`` is ``(value, seconds)``: wait that long, then return ``value``. Later items that
    wait less finish first, which shows whether results are returned in input order."""
    value, seconds = item
    time.sleep(seconds)
    return value


def fail_on_negative(x: int) -> int:
    """``x + 1``, or :class:`ProbeError` when ``x`` is negative."""
    if x < 0:
        raise ProbeError("this item is negative")
    return x + 1
