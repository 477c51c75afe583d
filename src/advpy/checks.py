"""Checking helpers that the exercise notebooks' test cells import.

This module runs inside learners' kernels, next to code the course does not trust, so it
imports nothing else of ``advpy`` and nothing heavy, and it never lets a learner's object decide
whether it is correct: equality and type checks look at exact built-in types first and only then
compare values with the built-in types' own methods.

Messages are written for the learner: they say what was checked and what to fix. Hidden tests
pass a message that names the property checked, never the hidden input or expected value.
"""

from __future__ import annotations

import gc
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = [
    "TimeLimitExceeded",
    "ScalingReport",
    "describe",
    "same",
    "expect",
    "expect_same",
    "expect_type",
    "expect_list_of",
    "time_limit",
    "measure_scaling",
    "expect_scaling",
]

_PLAIN_SCALARS = (int, float, str, bool, type(None), bytes, complex)
_MAX_DESCRIPTION = 200


def describe(value: Any, limit: int = _MAX_DESCRIPTION) -> str:
    """A short text for ``value`` that never runs the value's own ``__repr__``.

    Plain built-in values are shown as Python would show them; anything else is shown only by
    its type's name, so an object cannot lie about itself or crash the message.
    """
    text = _describe(value, depth=0)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(value: Any, depth: int) -> str:
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return repr(value)
    if depth > 3:
        return "..."
    if kind is list:
        return "[" + ", ".join(_describe(v, depth + 1) for v in list.__iter__(value)) + "]"
    if kind is tuple:
        items = [_describe(v, depth + 1) for v in tuple.__iter__(value)]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if kind is dict:
        pairs = dict.items(value)
        return (
            "{"
            + ", ".join(f"{_describe(k, depth + 1)}: {_describe(v, depth + 1)}" for k, v in pairs)
            + "}"
        )
    if kind in (set, frozenset):
        return kind.__name__ + "(" + ", ".join(sorted(_describe(v, depth + 1) for v in value)) + ")"
    return f"<an object of type {kind.__name__}>"


def same(actual: Any, expected: Any, rel_tol: float = 0.0) -> bool:
    """True when ``actual`` equals ``expected`` with exactly the same built-in types throughout.

    ``expected`` must be built from plain built-ins (int, float, str, bool, None, bytes, list,
    tuple, dict, set, frozenset). ``actual`` must then have the very same types (``True`` is not
    ``1``, a subclass of list is not a list) and equal values. Floats compare exactly unless
    ``rel_tol`` is given.
    """
    kind = type(expected)
    if type(actual) is not kind:
        return False
    if kind is float:
        if math.isnan(expected):
            return math.isnan(actual)
        return float.__eq__(actual, expected) or (
            rel_tol > 0 and math.isclose(actual, expected, rel_tol=rel_tol)
        )
    if kind in _PLAIN_SCALARS:
        return bool(kind.__eq__(actual, expected))  # type: ignore[call-arg]
    if kind in (list, tuple):
        if kind.__len__(actual) != kind.__len__(expected):
            return False
        return all(
            same(a, e, rel_tol)
            for a, e in zip(kind.__iter__(actual), kind.__iter__(expected), strict=True)
        )
    if kind is dict:
        if dict.__len__(actual) != dict.__len__(expected):
            return False
        for key, value in dict.items(expected):
            if not any(same(k, key) for k in dict.keys(actual)):
                return False
            if not same(dict.__getitem__(actual, key), value, rel_tol):
                return False
        return True
    if kind in (set, frozenset):
        if kind.__len__(actual) != kind.__len__(expected):
            return False
        return all(any(same(a, e) for a in actual) for e in expected)
    raise TypeError(f"same() compares plain built-in values, not {kind.__name__}")


def expect(condition: bool, message: str) -> None:
    """Fail the check with ``message`` unless ``condition`` is exactly ``True``."""
    if condition is not True:
        raise AssertionError(message)


def expect_type(value: Any, kind: type, message: str) -> None:
    """Fail unless ``value`` is exactly of type ``kind`` (subclasses do not count)."""
    if type(value) is not kind:
        raise AssertionError(f"{message} (got {_article(type(value).__name__)})")


def expect_list_of(value: Any, item_kind: type, message: str) -> None:
    """Fail unless ``value`` is a plain ``list`` whose items are all exactly ``item_kind``."""
    expect_type(value, list, message)
    for item in list.__iter__(value):
        if type(item) is not item_kind:
            raise AssertionError(
                f"{message} (an item is {_article(type(item).__name__)}, "
                f"not {_article(item_kind.__name__)})"
            )


def expect_same(actual: Any, expected: Any, message: str, *, show: bool = False) -> None:
    """Fail with ``message`` unless ``actual`` is ``same`` as ``expected``.

    With ``show=True`` (visible tests only) the message also shows what was returned and what
    was expected; hidden tests leave it off so that no hidden value is revealed.
    """
    if same(actual, expected):
        return
    if show:
        message = f"{message}\n  returned: {describe(actual)}\n  expected: {describe(expected)}"
    elif type(actual) is not type(expected):
        message = (
            f"{message} (the result is {_article(type(actual).__name__)}, "
            f"not {_article(type(expected).__name__)})"
        )
    raise AssertionError(message)


def _article(name: str) -> str:
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


class TimeLimitExceeded(Exception):
    """Raised inside code that ran past a :func:`time_limit`."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with :class:`TimeLimitExceeded` after ``seconds`` of wall time.

    Uses ``SIGALRM``, so it only limits code running in the main thread on a POSIX system (a
    notebook cell runs there). Elsewhere the block simply runs without a limit.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def _on_alarm(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded(f"took longer than {seconds:.3g} s")

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class ScalingReport:
    """How a function's running time grew between two input sizes, next to a reference's."""

    name: str
    small: int
    large: int
    growth: float  # time at `large` / time at `small` for the function checked
    reference_growth: float  # the same for the reference, measured in the same run
    tolerance: float
    timed_out: bool = False  # the function was stopped because it was clearly too slow

    @property
    def factor(self) -> float:
        return self.large / self.small

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.growth <= self.tolerance * self.reference_growth

    def exponent(self, growth: float) -> float:
        """The ``k`` in ``time ~ n**k`` that this growth suggests."""
        return math.log(max(growth, 1e-9)) / math.log(self.factor)

    def message(self, target: str) -> str:
        """What was seen, in words a learner can act on."""
        ref = f"the reference solution: about {self.reference_growth:.0f}x"
        seen = _big_o(self.exponent(self.growth))
        if self.timed_out:
            return (
                f"{self.name} is too slow: on an input {self.factor:.0f}x larger it ran more "
                f"than {self.growth:.0f}x longer and was stopped ({ref}). Its growth looks like "
                f"{seen} or worse; the target is {target}."
            )
        return (
            f"{self.name} grows too fast: multiplying the input size by {self.factor:.0f} "
            f"multiplied its time by about {self.growth:.0f} ({ref}). That looks like {seen}; "
            f"the target is {target}."
        )


def _big_o(exponent: float) -> str:
    if exponent < 1.4:
        return "O(n)"
    if exponent < 2.5:
        return "O(n^2)"
    if exponent < 3.5:
        return "O(n^3)"
    return "faster than polynomial growth"


_MIN_SAMPLE_SECONDS = 0.004


def _time_per_call(
    func: Callable[..., Any], make_args: Callable[[], tuple[Any, ...]], limit: float | None
) -> float:
    """Seconds per call of ``func`` on fresh arguments, batching calls until a sample is long
    enough to time reliably. Argument construction is not timed."""
    calls = 1
    while True:
        batches = [make_args() for _ in range(calls)]
        enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.perf_counter()
            if limit is None:
                for args in batches:
                    func(*args)
            else:
                with time_limit(limit * calls):
                    for args in batches:
                        func(*args)
            elapsed = time.perf_counter() - start
        finally:
            if enabled:
                gc.enable()
        if elapsed >= _MIN_SAMPLE_SECONDS or calls >= 1024:
            return elapsed / calls
        calls *= 2


def measure_scaling(
    func: Callable[..., Any],
    reference: Callable[..., Any],
    make_args: Callable[[int, int], tuple[Any, ...]],
    *,
    small: int,
    factor: int = 8,
    tolerance: float = 3.0,
    rounds: int = 5,
    name: str | None = None,
) -> ScalingReport:
    """Time ``func`` and ``reference`` at sizes ``small`` and ``small * factor`` in one run.

    ``make_args(size, seed)`` builds fresh arguments (a tuple) for one call. Each of the four
    timings is the fastest of up to ``rounds`` interleaved samples, so a busy machine slows
    everything alike and a stray pause cannot make a correct solution look slow. ``func`` fails
    when its time grew more than ``tolerance`` times as much as the reference's did. A call at
    the large size that runs far past what passing would allow is stopped early.
    """
    large = small * factor
    label = str(name or getattr(func, "__name__", "the function"))
    seeds = iter(range(1_000_000))

    def args_for(size: int) -> Callable[[], tuple[Any, ...]]:
        return lambda: make_args(size, next(seeds))

    best = {"ref_small": math.inf, "ref_large": math.inf, "small": math.inf, "large": math.inf}
    for round_index in range(rounds):
        best["ref_small"] = min(best["ref_small"], _time_per_call(reference, args_for(small), None))
        best["ref_large"] = min(best["ref_large"], _time_per_call(reference, args_for(large), None))
        best["small"] = min(best["small"], _time_per_call(func, args_for(small), None))
        reference_growth = best["ref_large"] / best["ref_small"]
        # Stop a call at the large size once it has clearly grown too much: twice the most
        # that passing allows, and never less than a second.
        allowed = best["small"] * tolerance * reference_growth
        limit = max(1.0, 2.0 * allowed)
        try:
            best["large"] = min(best["large"], _time_per_call(func, args_for(large), limit))
        except TimeLimitExceeded:
            return ScalingReport(
                label, small, large, limit / best["small"], reference_growth, tolerance, True
            )
        report = ScalingReport(
            label, small, large, best["large"] / best["small"], reference_growth, tolerance
        )
        # Decisive already? Minimums only fall with more rounds, so stop when clearly settled.
        if round_index >= 1 and (report.growth < 0.5 * tolerance * reference_growth):
            return report
        if round_index >= 2 and report.growth > 2.0 * tolerance * reference_growth:
            return report
    return report


def expect_scaling(
    func: Callable[..., Any],
    reference: Callable[..., Any],
    make_args: Callable[[int, int], tuple[Any, ...]],
    *,
    small: int,
    target: str,
    factor: int = 8,
    tolerance: float = 3.0,
    rounds: int = 5,
    name: str | None = None,
) -> ScalingReport:
    """Fail unless ``func``'s time grows no faster than ``reference``'s (see
    :func:`measure_scaling`); the message says what growth was seen and what ``target`` is."""
    report = measure_scaling(
        func,
        reference,
        make_args,
        small=small,
        factor=factor,
        tolerance=tolerance,
        rounds=rounds,
        name=name,
    )
    if not report.ok:
        raise AssertionError(report.message(target))
    return report
