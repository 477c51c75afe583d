"""What PEP 709 (Python 3.12) changed: list, set and dict comprehensions run inline in the
function that contains them, instead of in a hidden function of their own. Generator
expressions still get their own function and frame, because they must be able to pause.

:func:`nested_code_names` shows the hidden functions on the running interpreter;
:func:`measure_fixed_cost` times a comprehension against the equivalent loop on short and long
inputs, where the fixed cost of that hidden function shows.
"""

from __future__ import annotations

import inspect
import sys
import timeit
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from types import CodeType

#: True on interpreters that inline comprehensions (CPython 3.12 and later).
INLINED = sys.implementation.name == "cpython" and sys.version_info >= (3, 12)


def nested_code_names(function: Callable[..., object]) -> list[str]:
    """The names of the code objects compiled inside ``function`` (its hidden functions)."""
    code = getattr(function, "__code__", None)
    if not isinstance(code, CodeType):
        raise TypeError("expected a Python function")
    return [const.co_name for const in code.co_consts if inspect.iscode(const)]


def squares_four_ways(n: int) -> tuple[list[int], set[int], dict[int, int], int]:
    """A list, a set and a dict comprehension, and a generator expression."""
    return (
        [x * x for x in range(n)],
        {x * x for x in range(n)},
        {x: x * x for x in range(n)},
        sum(x * x for x in range(n)),
    )


def with_comprehension(data: Iterable[int]) -> list[int]:
    """A copy of ``data`` made by a list comprehension."""
    return [x for x in data]  # noqa: C416 (the comprehension is what is measured)


def with_loop(data: Iterable[int]) -> list[int]:
    """A copy of ``data`` made by a ``for`` loop that appends."""
    out = []
    for x in data:
        out.append(x)  # noqa: PERF402 (the loop is what is measured)
    return out


def with_generator(data: Iterable[int]) -> list[int]:
    """A copy of ``data`` made by ``list()`` of a generator expression."""
    return list(x for x in data)  # noqa: C400 (the generator expression is what is measured)


FORMS: dict[str, Callable[[Iterable[int]], list[int]]] = {
    "list comprehension": with_comprehension,
    "for loop + append": with_loop,
    "list(generator expression)": with_generator,
}


@dataclass(frozen=True)
class CostRecord:
    """The time of one call of one form on ``items`` items."""

    form: str
    items: int
    ns_per_call: float


def measure_fixed_cost(
    lengths: Iterable[int] = (0, 1, 10, 100, 1000), repeats: int = 5, min_sample: float = 0.005
) -> list[CostRecord]:
    """Nanoseconds per call of every form in :data:`FORMS`, for each input length: the best of
    ``repeats`` samples of about ``min_sample`` seconds each, forms interleaved."""
    records: list[CostRecord] = []
    for length in lengths:
        data = list(range(length))
        timers = {form: timeit.Timer(partial(function, data)) for form, function in FORMS.items()}
        numbers = {
            form: max(1, round(min_sample / max(timer.timeit(1), 1e-9)))
            for form, timer in timers.items()
        }
        best = dict.fromkeys(timers, float("inf"))
        for _ in range(max(1, repeats)):
            for form, timer in timers.items():
                best[form] = min(best[form], timer.timeit(numbers[form]) / numbers[form])
        records.extend(CostRecord(form, length, best[form] * 1e9) for form in FORMS)
    return records
