"""What annotations cost at run time: executing a ``def``, and calling the function.

An annotation is an expression. Before Python 3.14, a ``def`` statement evaluates its
annotations every time it runs (``list[dict[str, int]]`` builds new alias objects each time)
and stores them with the function; with ``from __future__ import annotations`` they are
stored as strings, constants of the code, and nothing is evaluated. Calling the function runs
its body's bytecode, which annotations do not change: :func:`same_body` shows it.

The variants are compiled from text (:data:`VARIANTS`), each in a fresh namespace with or
without the ``__future__`` flag, so no notebook cell's compiler flags leak into them.
"""

from __future__ import annotations
import __future__

import timeit
import types
from dataclasses import dataclass

#: The same function written three ways: (name, parameters and return annotation).
VARIANTS: dict[str, str] = {
    "no annotations": "(items, key, default=None)",
    "simple annotations": "(items: list, key: str, default: int | None = None) -> int | None",
    "generic annotations": (
        "(items: list[dict[str, int]], key: Callable[[str], int], "
        "default: Mapping[str, list[int]] | None = None) -> dict[str, list[int]] | None"
    ),
}
#: How annotations are stored: evaluated when the ``def`` runs, or kept as strings.
MODES = ("evaluated", "strings")
_BODY = "    return default\n"
_PRELUDE = "from collections.abc import Callable, Mapping\n"


@dataclass(frozen=True)
class OverheadRecord:
    """The cost of one variant: nanoseconds per ``def`` executed and per call."""

    variant: str
    mode: str  # "evaluated" (the default before 3.14) or "strings" (__future__ annotations)
    define_ns: float
    call_ns: float


def source(variant: str) -> str:
    """The text of a factory ``make()`` that executes the variant's ``def`` once per call."""
    return f"{_PRELUDE}def make():\n    def f{VARIANTS[variant]}:\n    {_BODY}    return f\n"


def compile_variant(variant: str, mode: str) -> types.FunctionType:
    """The factory ``make`` for ``variant``, compiled with string annotations if ``mode`` is
    ``"strings"``, in a fresh namespace."""
    flags = __future__.annotations.compiler_flag if mode == "strings" else 0
    code = compile(source(variant), f"<{variant}, {mode}>", "exec", flags=flags, dont_inherit=True)
    namespace: dict[str, object] = {}
    exec(code, namespace)
    make = namespace["make"]
    assert isinstance(make, types.FunctionType)
    return make


def make_function(variant: str, mode: str) -> types.FunctionType:
    """The function ``f`` itself, as the variant defines it."""
    function = compile_variant(variant, mode)()
    assert isinstance(function, types.FunctionType)
    return function


def _best_ns(timer: timeit.Timer, number: int, repeats: int) -> float:
    return min(timer.repeat(repeat=repeats, number=number)) / number * 1e9


def measure_overhead(number: int = 20_000, repeats: int = 25) -> list[OverheadRecord]:
    """Time every variant in both modes: executing its ``def`` (the factory's time minus an
    empty factory's) and calling the function, best of ``repeats`` runs of ``number``.

    Many short runs rather than a few long ones: on a shared machine the best of many short
    windows is more likely to contain one the process had to itself."""
    empty = _best_ns(timeit.Timer(lambda: None), number, repeats)
    records = []
    for variant in VARIANTS:
        for mode in MODES:
            make = compile_variant(variant, mode)
            define = _best_ns(timeit.Timer(make), number, repeats) - empty
            function = make()
            call = timeit.Timer("f([], 'k')", globals={"f": function})
            records.append(
                OverheadRecord(variant, mode, max(define, 0.0), _best_ns(call, number, repeats))
            )
    return records


def same_body(first: types.FunctionType, second: types.FunctionType) -> bool:
    """True when two functions run exactly the same bytecode with the same constants."""
    a, b = first.__code__, second.__code__
    return a.co_code == b.co_code and a.co_consts == b.co_consts
