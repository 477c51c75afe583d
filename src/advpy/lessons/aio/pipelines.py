"""Generator pipelines and iteration styles, measured for the generators lesson.

Two versions of one small log-processing pipeline (read lines, parse them, keep the server
errors, add up their sizes): one builds a full list at every stage, the other chains generators
so that one line at a time flows through. :func:`measure_pipelines` records the peak memory of
each (with :mod:`tracemalloc`) and its running time (without tracing, which slows allocation).

:func:`measure_iteration_styles` times the same jobs written as a list comprehension, a
generator expression, and ``map``/``filter``, from the code snippets in :data:`STYLE_CASES`.
"""

from __future__ import annotations

import gc
import operator
import timeit
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
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


@dataclass(frozen=True)
class StyleCase:
    """One way (``style``) of writing one job (``task``), as a snippet that uses ``data``."""

    task: str
    style: str
    code: str


#: The styles compared, in the order plots show them.
STYLES = (
    "list comprehension",
    "generator expression",
    "map/filter + lambda",
    "map + builtin",
)

#: Each job written in each style that fits it. Every snippet of a task gives the same result.
STYLE_CASES: tuple[StyleCase, ...] = (
    StyleCase("float() of each", "list comprehension", "[float(x) for x in data]"),
    StyleCase("float() of each", "generator expression", "list(float(x) for x in data)"),
    StyleCase("float() of each", "map/filter + lambda", "list(map(lambda x: float(x), data))"),
    StyleCase("float() of each", "map + builtin", "list(map(float, data))"),
    StyleCase("str() of each", "list comprehension", "[str(x) for x in data]"),
    StyleCase("str() of each", "generator expression", "list(str(x) for x in data)"),
    StyleCase("str() of each", "map/filter + lambda", "list(map(lambda x: str(x), data))"),
    StyleCase("str() of each", "map + builtin", "list(map(str, data))"),
    StyleCase("2x + 1 of each", "list comprehension", "[x * 2 + 1 for x in data]"),
    StyleCase("2x + 1 of each", "generator expression", "list(x * 2 + 1 for x in data)"),
    StyleCase("2x + 1 of each", "map/filter + lambda", "list(map(lambda x: x * 2 + 1, data))"),
    StyleCase("keep multiples of 3", "list comprehension", "[x for x in data if x % 3 == 0]"),
    StyleCase("keep multiples of 3", "generator expression", "list(x for x in data if x % 3 == 0)"),
    StyleCase(
        "keep multiples of 3", "map/filter + lambda", "list(filter(lambda x: x % 3 == 0, data))"
    ),
    StyleCase("sum of squares", "list comprehension", "sum([x * x for x in data])"),
    StyleCase("sum of squares", "generator expression", "sum(x * x for x in data)"),
    StyleCase("sum of squares", "map/filter + lambda", "sum(map(lambda x: x * x, data))"),
    StyleCase("sum of squares", "map + builtin", "sum(map(operator.mul, data, data))"),
)


@dataclass(frozen=True)
class StyleRecord:
    """The time one snippet took per input item."""

    task: str
    style: str
    code: str
    items: int
    ns_per_item: float  # fastest of the repeats, in nanoseconds per input item


def _runs_per_sample(timer: timeit.Timer, min_sample: float) -> int:
    """How many runs of ``timer``'s snippet take about ``min_sample`` seconds (1 to 1000)."""
    once = timer.timeit(number=1)
    return max(1, min(1000, round(min_sample / max(once, 1e-9))))


def measure_iteration_styles(
    items: int,
    repeats: int = 5,
    cases: Sequence[StyleCase] = STYLE_CASES,
    min_sample: float = 0.005,
) -> list[StyleRecord]:
    """Time every snippet of ``cases`` on ``list(range(items))``: the fastest of ``repeats``
    samples, each sample long enough (about ``min_sample`` seconds) to time reliably.

    Before timing, checks that all snippets of a task give equal results, so that the bars
    compare the same work. Snippets of one task are timed in interleaved rounds so that a busy
    moment of the machine slows them alike.
    """
    data = list(range(items))
    namespace = {"data": data, "operator": operator}
    by_task: dict[str, list[StyleCase]] = {}
    for case in cases:
        by_task.setdefault(case.task, []).append(case)
    records = []
    for task, task_cases in by_task.items():
        results = [eval(case.code, dict(namespace)) for case in task_cases]  # noqa: S307
        if any(result != results[0] for result in results[1:]):
            raise ValueError(f"the snippets of {task!r} do not compute the same result")
        timers = [timeit.Timer(case.code, globals=dict(namespace)) for case in task_cases]
        # Enough runs per sample for a sample to last about min_sample seconds.
        numbers = [_runs_per_sample(timer, min_sample) for timer in timers]
        best = [float("inf")] * len(task_cases)
        for _ in range(max(1, repeats)):
            for index, timer in enumerate(timers):
                sample = timer.timeit(number=numbers[index]) / numbers[index]
                best[index] = min(best[index], sample)
        for case, seconds in zip(task_cases, best, strict=True):
            ns = seconds * 1e9 / max(1, items)
            records.append(StyleRecord(case.task, case.style, case.code, items, ns))
    return records


def style_ratios(
    records: Iterable[StyleRecord], baseline: str = "list comprehension"
) -> list[tuple[str, str, float]]:
    """``(task, style, time / baseline's time)`` for every non-baseline record."""
    records = list(records)
    base = {r.task: r.ns_per_item for r in records if r.style == baseline}
    return [
        (r.task, r.style, r.ns_per_item / base[r.task])
        for r in records
        if r.style != baseline and r.task in base
    ]


def describe_ratio(ratio: float, margin: float = 0.1) -> str:
    """``"faster"``, ``"slower"`` or ``"about the same"`` (within ``margin``) for a time ratio."""
    if ratio < 1 - margin:
        return "faster"
    if ratio > 1 + margin:
        return "slower"
    return "about the same"
