"""Time and peak memory against input size, for one job (the sum of the squares) written in the
five styles of :mod:`advpy.lessons.comprehensions.styles`.

Peak memory is traced with :mod:`tracemalloc` in one run; time is the best of several untraced
runs (tracing slows every allocation down, so the two are never measured together).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from advpy.lessons.aio.pipelines import peak_memory
from advpy.lessons.timing import best_time

#: The sum of the squares of ``data``, in each style (the keys are the styles' names).
SUM_OF_SQUARES: dict[str, str] = {
    "list comprehension": "sum([x * x for x in data])",
    "generator expression": "sum(x * x for x in data)",
    "map/filter + lambda": "sum(map(lambda x: x * x, data))",
    "map + builtin": "sum(map(pow, data, repeat(2)))",
    "map + operator": "sum(map(operator.mul, data, data))",
}


def compile_snippet(code: str) -> Callable[[list[int]], object]:
    """``code`` (an expression using ``data``) as a function of ``data``."""
    names = {"operator": operator, "repeat": itertools.repeat}
    function: Callable[[list[int]], object] = eval(f"lambda data: {code}", names)  # noqa: S307
    return function


@dataclass(frozen=True)
class SizeRecord:
    """One style's time and peak memory on ``items`` items."""

    style: str
    code: str
    items: int
    seconds: float  # best untraced run
    peak_bytes: int  # the most memory traced at any moment of one run


def measure_sizes(
    sizes: Iterable[int], snippets: dict[str, str] = SUM_OF_SQUARES, repeats: int = 5
) -> list[SizeRecord]:
    """Time and peak memory of every snippet on ``list(range(n))`` for each ``n`` in ``sizes``.

    Raises ``ValueError`` if the snippets disagree on a result. The input list exists before
    tracing starts, so the peak counts only what the snippet itself allocates.
    """
    functions = {style: compile_snippet(code) for style, code in snippets.items()}
    records = []
    for size in sizes:
        data = list(range(size))
        results = set()
        for style, function in functions.items():
            peak, result = peak_memory(partial(function, data))
            results.add(result)
            seconds = best_time(repeats, function, data)
            records.append(SizeRecord(style, snippets[style], size, seconds, peak))
        if len(results) != 1:
            raise ValueError(f"the snippets disagree on {size} items")
    return records


def at_size(records: Iterable[SizeRecord], items: int) -> dict[str, SizeRecord]:
    """The records measured on ``items`` items, by style."""
    return {r.style: r for r in records if r.items == items}
