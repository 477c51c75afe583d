"""``multiprocessing`` itself: a ``Process`` with a ``Queue``, and an array shared with a worker
through ``multiprocessing.shared_memory`` instead of being pickled into every call.

The functions a worker runs live here, in a module, so that *spawn* and *forkserver* workers
can import them by name. :func:`measure_sharing` times one call that sums an array in a worker
process, with the array sent along (pickled, piped, unpickled) or left in a shared memory
block that the worker maps by name.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import shared_memory
from typing import Any

import numpy as np

from advpy.lessons.gil.measure import pool_context, start_workers
from advpy.lessons.timing import best_time

__all__ = [
    "square_into",
    "array_sum",
    "shared_sum",
    "SharingRecord",
    "measure_sharing",
]


def square_into(results: Any, x: int) -> None:
    """Put ``(this process's id, x * x)`` on the queue ``results``: the work of a
    ``multiprocessing.Process``, which returns nothing to its parent by itself."""
    results.put((os.getpid(), x * x))


def array_sum(values: np.ndarray) -> float:
    """The sum of an array the caller sent (a pickled copy, in a worker process)."""
    return float(values.sum())


def shared_sum(name: str, shape: tuple[int, ...], dtype: str) -> float:
    """The sum of an array that lives in the shared memory block ``name``: the worker maps
    the block into its own memory, reads it in place and unmaps it. Nothing is copied."""
    block = shared_memory.SharedMemory(name=name)
    try:
        values: np.ndarray = np.ndarray(shape, dtype=dtype, buffer=block.buf)
        total = float(values.sum())
        del values  # the view must go before the block can close
    finally:
        block.close()
    return total


@dataclass(frozen=True)
class SharingRecord:
    """One call summing an array of ``megabytes`` in a worker process, sent by ``method``."""

    megabytes: float
    method: str  # "pickled" or "shared memory"
    seconds: float  # the fastest round trip of one call
    result: float  # the sum the worker returned (the same for both methods)


def _pickled(pool: Executor, values: np.ndarray) -> float:
    return float(pool.submit(array_sum, values).result())


def _shared(pool: Executor, name: str, shape: tuple[int, ...], dtype: str) -> float:
    return float(pool.submit(shared_sum, name, shape, dtype).result())


def measure_sharing(
    sizes_mb: Sequence[float], *, repeats: int = 3, pool: ProcessPoolExecutor | None = None
) -> list[SharingRecord]:
    """For each size: the fastest call that sums a float64 array of that many megabytes in a
    one-worker process pool, with the array pickled into the call, then with the array in a
    shared memory block whose name is all the call carries.

    Copying the array into the block happens once, before timing: that is the point of
    shared memory (make the data there, then hand out its name). The block is unlinked after.
    """
    own_pool = pool is None
    worker = pool or ProcessPoolExecutor(max_workers=1, mp_context=pool_context())
    records = []
    try:
        start_workers(worker, 1)
        for megabytes in sizes_mb:
            values = np.ones(max(1, int(megabytes * 1_000_000) // 8))
            seconds = best_time(repeats, _pickled, worker, values)
            records.append(
                SharingRecord(float(megabytes), "pickled", seconds, _pickled(worker, values))
            )
            block = shared_memory.SharedMemory(create=True, size=values.nbytes)
            try:
                view: np.ndarray = np.ndarray(values.shape, dtype=values.dtype, buffer=block.buf)
                view[:] = values
                del view
                args = (worker, block.name, values.shape, str(values.dtype))
                seconds = best_time(repeats, _shared, *args)
                records.append(
                    SharingRecord(float(megabytes), "shared memory", seconds, _shared(*args))
                )
            finally:
                block.close()
                block.unlink()
    finally:
        if own_pool:
            worker.shutdown()
    return records
