"""Name lookups timed in a hot loop: local, enclosing, global, built-in.

Each kind gets a function whose loop reads one name :data:`LOOKUPS_PER_PASS` times per pass,
as a bare expression statement (a load, then a discard), compiled from the text that
:func:`loop_source` returns so that the lesson can show exactly what ran. An empty loop is
timed alongside; its time is subtracted, so what is left is the cost of the loads and
discards alone, the same discard for every kind.
"""

from __future__ import annotations

import builtins
import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

#: Reads of the name in each pass of the loop.
LOOKUPS_PER_PASS = 10
#: The kinds, in LEGB order.
KINDS = ("local", "enclosing", "global", "built-in")
#: Not a lookup: a call of ``len`` on a local, timed the same way to give the lookups a scale.
CALL = "call len(value)"

_READS = "".join("        {name}\n" for _ in range(LOOKUPS_PER_PASS))
_SOURCES = {
    "empty loop": "def empty_loop(passes):\n    for _ in range(passes):\n        pass\n",
    "local": (
        "def local_lookups(passes):\n    value = 1\n    for _ in range(passes):\n"
        + _READS.format(name="value")
    ),
    "enclosing": (
        "def make_enclosing_lookups():\n    value = 1\n\n"
        "    def enclosing_lookups(passes):\n        for _ in range(passes):\n"
        + "".join("            value\n" for _ in range(LOOKUPS_PER_PASS))
        + "\n    return enclosing_lookups\n"
    ),
    "global": (
        "value = 1\n\n\ndef global_lookups(passes):\n    for _ in range(passes):\n"
        + _READS.format(name="value")
    ),
    "built-in": (
        "def builtin_lookups(passes):\n    for _ in range(passes):\n" + _READS.format(name="len")
    ),
    CALL: (
        "def calls(passes):\n    value = 'abc'\n    for _ in range(passes):\n"
        + _READS.format(name="len(value)")
    ),
}


def loop_source(kind: str) -> str:
    """The source of the timed function for ``kind`` (one of :data:`KINDS`, :data:`CALL` or
    "empty loop")."""
    return _SOURCES[kind]


def lookup_function(kind: str) -> Callable[[int], None]:
    """The function for ``kind``, compiled from :func:`loop_source` in a module namespace of
    its own (built-ins reachable as in any module)."""
    namespace: dict[str, Any] = {"__builtins__": builtins, "__name__": f"lookups_{kind}"}
    exec(compile(_SOURCES[kind], f"<{kind} lookups>", "exec"), namespace)
    if kind == "enclosing":
        func = namespace["make_enclosing_lookups"]()
    else:
        func = next(
            value for key, value in namespace.items() if callable(value) and key != "__builtins__"
        )
    return func  # type: ignore[no-any-return]


@dataclass(frozen=True)
class LookupRecord:
    """The cost of one kind of name lookup."""

    kind: str
    ns_per_lookup: float  # a load and a discard, the loop's own cost subtracted
    passes: int
    repeats: int


def _clock() -> Callable[[], float]:
    """This thread's CPU time where the system has one, else the wall clock."""
    try:
        time.thread_time()
    except (AttributeError, OSError):  # pragma: no cover - platforms without a thread clock
        return time.perf_counter
    return time.thread_time


def _cpu_seconds(func: Callable[[int], None], passes: int) -> float:
    clock = _clock()
    start = clock()
    func(passes)
    return clock() - start


def measure_lookups(
    passes: int, repeats: int = 5, kinds: Iterable[str] = KINDS
) -> list[LookupRecord]:
    """Time each kind of lookup over ``passes`` passes of its loop (the best of ``repeats``
    runs, the kinds taking turns so that a busy moment hits them alike), minus the empty
    loop's time; return nanoseconds per lookup.

    The clock is the CPU time of this thread (``time.thread_time``): on a busy machine the
    wall clock also counts the moments the thread waits for a core, which would land on
    whichever kind happened to be running, and the subtraction of the empty loop would
    magnify them.
    """
    kinds = list(kinds)
    funcs = {kind: lookup_function(kind) for kind in ["empty loop", *kinds]}
    for func in funcs.values():  # warm up: let the specialising interpreter settle
        func(min(passes, 1000))
    best = dict.fromkeys(funcs, float("inf"))
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for kind, func in funcs.items():
                best[kind] = min(best[kind], _cpu_seconds(func, passes))
    finally:
        if enabled:
            gc.enable()
    lookups = passes * LOOKUPS_PER_PASS
    return [
        LookupRecord(
            kind, max(0.0, best[kind] - best["empty loop"]) / lookups * 1e9, passes, repeats
        )
        for kind in kinds
    ]


def compare_to_local(records: Iterable[LookupRecord]) -> list[tuple[str, float, float]]:
    """``(kind, ns per lookup, times the local lookup's cost)`` for each record."""
    records = list(records)
    local = next((r.ns_per_lookup for r in records if r.kind == "local"), None)
    rows = []
    for r in records:
        ratio = r.ns_per_lookup / local if local else float("nan")
        rows.append((r.kind, r.ns_per_lookup, ratio))
    return rows


def describe_spread(records: Iterable[LookupRecord]) -> str:
    """One sentence: how far apart the fastest and the slowest lookup were, and what the gap
    adds up to; with a :data:`CALL` record, how it compares with one call."""
    records = list(records)
    calls = [r for r in records if r.kind == CALL]
    records = [r for r in records if r.kind != CALL]
    fastest = min(records, key=lambda r: r.ns_per_lookup)
    slowest = max(records, key=lambda r: r.ns_per_lookup)
    gap = slowest.ns_per_lookup - fastest.ns_per_lookup
    return (
        f"Fastest: {fastest.kind} ({fastest.ns_per_lookup:.2f} ns); slowest: {slowest.kind} "
        f"({slowest.ns_per_lookup:.2f} ns); the gap is {gap:.2f} ns per lookup, "
        f"{gap:.2f} ms per million lookups."
    ) + (
        f" One call of len() cost {calls[0].ns_per_lookup:.1f} ns, "
        f"{calls[0].ns_per_lookup / gap:.0f}x that gap."
        if calls and gap > 0
        else ""
    )
