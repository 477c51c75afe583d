"""The tasks the GIL lesson times: pure-Python computing, waiting on HTTP, and NumPy computing.

Each task takes one whole number, the *amount* of work, so that a job can be split into equal
chunks for any number of workers (:func:`split_evenly`). They live in a module, not in a
notebook cell, because a process pool started with *spawn* or *forkserver* sends a function to
its workers by name: the workers import this module to find it.
"""

from __future__ import annotations

import os
import time
import urllib.request

import numpy as np

from advpy.lessons.gil.cpu_work import pure_python_work

__all__ = [
    "NUMPY_ROUND_SIZE",
    "pure_python_work",
    "numpy_work",
    "fetch",
    "fetch_many",
    "payload_size",
    "warm_up",
    "split_evenly",
]

#: Elements of the array one NumPy round works on: large enough that the time is spent in C
#: with the GIL released, small enough to stay in the processor's caches.
NUMPY_ROUND_SIZE = 100_000


def numpy_work(amount: int, size: int = NUMPY_ROUND_SIZE) -> float:
    """``amount`` rounds of ``sin`` over an array of ``size`` numbers (100 000 by default).

    NumPy releases the GIL while its C loop runs, so threads running this overlap; the Python
    code between rounds is tiny. Returns a checksum.
    """
    values = np.linspace(0.0, 100.0, size)
    out = np.empty_like(values)
    for _ in range(amount):
        np.sin(values, out=out)
    return float(out[-1])


def fetch(url: str, timeout: float = 10.0) -> int:
    """GET ``url`` and return the number of bytes in the answer's body."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return len(response.read())


def fetch_many(url: str, amount: int) -> int:
    """GET ``url`` ``amount`` times, one after the other; the total bytes received."""
    return sum(fetch(url) for _ in range(amount))


def payload_size(payload: bytes) -> int:
    """The length of ``payload``: a worker that does almost nothing with a large argument, so
    that timing it measures the cost of shipping the argument."""
    return len(payload)


def warm_up(seconds: float) -> int:
    """Sleep briefly and return the worker's process id; used to start every worker of a pool
    before a measurement begins."""
    time.sleep(seconds)
    return os.getpid()


def split_evenly(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole amounts that differ by at most one.

    >>> split_evenly(10, 4)
    [3, 3, 2, 2]
    """
    if parts < 1:
        raise ValueError("parts must be at least 1")
    if total < 0:
        raise ValueError("total must not be negative")
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]
