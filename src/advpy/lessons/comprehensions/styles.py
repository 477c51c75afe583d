"""One job written in every style: list comprehension, generator expression, ``map``/``filter``
with a ``lambda``, with a built-in function, and with an :mod:`operator` function.

:data:`STYLE_CASES` holds the snippets; :func:`measure_iteration_styles` times each on the same
data, after checking that all snippets of a job compute the same result.
"""

from __future__ import annotations

import itertools
import operator
import timeit
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


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
    "map + operator",
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
    StyleCase("second of each pair", "list comprehension", "[p[1] for p in pairs]"),
    StyleCase("second of each pair", "generator expression", "list(p[1] for p in pairs)"),
    StyleCase("second of each pair", "map/filter + lambda", "list(map(lambda p: p[1], pairs))"),
    StyleCase("second of each pair", "map + operator", "list(map(operator.itemgetter(1), pairs))"),
    StyleCase("sum of squares", "list comprehension", "sum([x * x for x in data])"),
    StyleCase("sum of squares", "generator expression", "sum(x * x for x in data)"),
    StyleCase("sum of squares", "map/filter + lambda", "sum(map(lambda x: x * x, data))"),
    StyleCase("sum of squares", "map + builtin", "sum(map(pow, data, repeat(2)))"),
    StyleCase("sum of squares", "map + operator", "sum(map(operator.mul, data, data))"),
)


def namespace(items: int) -> dict[str, object]:
    """The names the snippets use: ``data`` (``0 .. items - 1``), ``pairs`` (``(x, -x)``),
    ``operator`` and ``repeat``."""
    data = list(range(items))
    return {
        "data": data,
        "pairs": [(x, -x) for x in data],
        "operator": operator,
        "repeat": itertools.repeat,
    }


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
    """Time every snippet of ``cases`` on :func:`namespace`'s data: the fastest of ``repeats``
    samples, each sample long enough (about ``min_sample`` seconds) to time reliably.

    Before timing, checks that all snippets of a task give equal results, so that the bars
    compare the same work. Snippets of one task are timed in interleaved rounds so that a busy
    moment of the machine slows them alike.
    """
    names = namespace(items)
    by_task: dict[str, list[StyleCase]] = {}
    for case in cases:
        by_task.setdefault(case.task, []).append(case)
    records = []
    for task, task_cases in by_task.items():
        results = [eval(case.code, dict(names)) for case in task_cases]  # noqa: S307
        if any(result != results[0] for result in results[1:]):
            raise ValueError(f"the snippets of {task!r} do not compute the same result")
        timers = [timeit.Timer(case.code, globals=dict(names)) for case in task_cases]
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
