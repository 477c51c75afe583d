"""Generator pipelines and iteration styles, measured for the generators lesson.

Two versions of one small log-processing pipeline (read lines, parse them, keep the server
errors, add up their sizes): one builds a full list at every stage, the other chains generators
so that one line at a time flows through. :func:`measure_pipelines` records the peak memory of
each (with :mod:`tracemalloc`) and its running time (without tracing, which slows allocation).

The comparison of list comprehensions, generator expressions and ``map``/``filter`` is lesson
08's (:mod:`advpy.lessons.comprehensions.styles`).
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from advpy.lessons.timing import best_time

T = TypeVar("T")

#: One parsed log line: (request id, path, HTTP status, response size in bytes).
Record = tuple[int, str, int, int]


def log_lines(count: int) -> Iterator[str]:
    """Yield ``count`` lines of a made-up web server log, one at a time, never all at once.

    Every 13th request failed with status 500; sizes vary from 0 to 1499 bytes.
    """
    for request in range(count):
        status = 500 if request % 13 == 0 else 200
        size = (request * 37) % 1500
        yield f"{request} GET /items/{request % 97} {status} {size}\n"


def parse_line(line: str) -> Record:
    """Turn one log line into a record ``(request id, path, status, size)``."""
    request, _method, path, status, size = line.split()
    return int(request), path, int(status), int(size)


def list_pipeline(count: int) -> int:
    """Bytes sent in failed responses, computed with a full list at every stage."""
    lines = list(log_lines(count))
    records = [parse_line(line) for line in lines]
    errors = [record for record in records if record[2] >= 500]
    return sum(record[3] for record in errors)


def generator_pipeline(count: int) -> int:
    """The same total, with generators: one line at a time flows through every stage."""
    lines = log_lines(count)
    records = (parse_line(line) for line in lines)
    errors = (record for record in records if record[2] >= 500)
    return sum(record[3] for record in errors)


PIPELINES: dict[str, Callable[[int], int]] = {
    "list": list_pipeline,
    "generator": generator_pipeline,
}


@dataclass(frozen=True)
class PipelineRecord:
    """One pipeline run on ``lines`` log lines."""

    approach: str  # "list" or "generator"
    lines: int
    peak_bytes: int  # the most memory traced at any moment of the run
    seconds: float  # the fastest untraced run
    result: int  # the total the pipeline computed (the same for both approaches)


def peak_memory(func: Callable[[], T]) -> tuple[int, T]:
    """``(peak bytes, result)`` of calling ``func``, traced with :mod:`tracemalloc`.

    Only memory allocated during the call counts: tracing starts just before it.
    """
    already_tracing = tracemalloc.is_tracing()
    if not already_tracing:
        tracemalloc.start()
    gc.collect()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    try:
        result = func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not already_tracing:
            tracemalloc.stop()
    return max(0, peak - before), result


def measure_pipelines(sizes: Iterable[int], repeats: int = 3) -> list[PipelineRecord]:
    """Peak memory and time of both pipelines for each number of log lines in ``sizes``."""
    records = []
    for size in sizes:
        for approach, pipeline in PIPELINES.items():
            run = partial(pipeline, size)
            peak, result = peak_memory(run)
            seconds = best_time(repeats, run)
            records.append(PipelineRecord(approach, size, peak, seconds, result))
    return records
