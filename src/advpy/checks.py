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
import itertools
import math
import signal
import sys
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
#: How many different inputs of each size a growth-rate check draws (seeds 0 to INPUT_POOL - 1).
INPUT_POOL = 16


def _time_per_call(
    func: Callable[..., Any], make_args: Callable[[], tuple[Any, ...]], limit: float | None
) -> float:
    """CPU seconds of this process per call of ``func`` on fresh arguments, batching calls
    until a sample is long enough to time reliably. Argument construction is not timed; the
    optional ``limit`` (wall seconds per call) stops a runaway call.

    CPU time, not wall time: on a machine whose cores are shared, wall time also counts every
    moment the process waits for a core, and a few milliseconds of waiting inside one sample can
    change a growth ratio several-fold. (Measured on 2 shared cores at a load of about 6: one
    reference timed against itself gave growth ratios from 0.08 to 7.1 in wall time, 0.7 to 1.2
    in CPU time.)"""
    calls = 1
    while True:
        batches = [make_args() for _ in range(calls)]
        enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.process_time()
            if limit is None:
                for args in batches:
                    func(*args)
            else:
                with time_limit(limit * calls):
                    for args in batches:
                        func(*args)
            elapsed = time.process_time() - start
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
    timings is the CPU time of the fastest of up to ``rounds`` interleaved samples, so neither
    a busy machine nor a stray pause can make a correct solution look slow. ``func`` fails
    when its time grew more than ``tolerance`` times as much as the reference's did. A call at
    the large size that runs far past what passing would allow is stopped early.
    """
    large = small * factor
    label = str(name or getattr(func, "__name__", "the function"))
    # Inputs come from a fixed pool of seeds per size, drawn in turn: however many calls the
    # timing takes, every run and every grader measures the same inputs.
    seeds = itertools.cycle(range(INPUT_POOL))

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


# Deep inputs, races and orders ------------------------------------------------------------------
# For the graph, tree and concurrency exercises: deep inputs under a known recursion limit,
# races made likely, and orders checked by their property.

__all__ += [
    "DEFAULT_RECURSION_LIMIT",
    "YieldingFloat",
    "recursion_limit",
    "switch_interval",
    "run_in_threads",
    "expect_topological_order",
]

#: Python's own default recursion limit.
DEFAULT_RECURSION_LIMIT = 1000


@contextmanager
def recursion_limit(limit: int = DEFAULT_RECURSION_LIMIT) -> Iterator[None]:
    """Run the block with the interpreter's recursion limit set to ``limit``, then restore it.

    Checks on deep inputs run under Python's default limit, so every answer is judged alike
    (one that raised the limit elsewhere included), and a deeply recursive answer stops with a
    ``RecursionError`` instead of overflowing the C stack and killing the kernel.
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


@contextmanager
def switch_interval(seconds: float) -> Iterator[None]:
    """Run the block with the thread switch interval set to ``seconds``, then restore it.

    With a tiny interval (``1e-6``) waiting threads get the interpreter far more often, so a
    race that the default 5 ms interval hides shows up in a handful of runs.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


class YieldingFloat(float):
    """A float that lets other threads run in the middle of every arithmetic operation.

    Each operator (``+ - * / // % **``, unary ``- + abs``, comparisons) first calls
    ``time.sleep(0)``, which hands the interpreter to any waiting thread, and returns a
    ``YieldingFloat`` where float would return a float. A test clock that returns these makes
    every value computed from the time yield too, so an unsynchronised read-modify-write of
    such a value (``self.tokens += ...``) is interrupted between its read and its write, and a
    missing lock shows up as a wrong count instead of hiding behind the GIL. The values are
    exactly the floats they stand for.
    """

    __slots__ = ()
    __hash__ = float.__hash__


def _yielding(name: str) -> Callable[..., Any]:
    operation = getattr(float, name)

    def method(self: float, *args: Any) -> Any:
        time.sleep(0)
        result = operation(self, *args)
        return YieldingFloat(result) if type(result) is float else result

    method.__name__ = name
    method.__qualname__ = f"YieldingFloat.{name}"
    return method


for _name in (
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __floordiv__ "
    "__rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __neg__ __pos__ __abs__ "
    "__lt__ __le__ __gt__ __ge__ __eq__ __ne__"
).split():
    setattr(YieldingFloat, _name, _yielding(_name))
del _name


def _source_file(call: Callable[..., Any]) -> str | None:
    """The file that ``call``'s Python code (a function's or a bound method's) was compiled
    from (in a notebook each cell has a file of its own), or ``None`` when it has none."""
    code = getattr(getattr(call, "__func__", call), "__code__", None)
    return getattr(code, "co_filename", None)


def _line_yielder(filename: str) -> Callable[..., Any]:
    """A trace function that hands the interpreter to other threads before every line of
    code compiled from ``filename``."""

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            time.sleep(0)
        return local

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == filename else None

    return on_call


#: The tracing hook as it was when this module was loaded: a grader may switch the global one
#: off for learner code, and run_in_threads still needs it to interleave threads.
_settrace = sys.settrace


def run_in_threads(
    call: Callable[[], Any],
    *,
    threads: int,
    calls: int,
    timeout: float = 30.0,
    name: str = "the function",
    interleave: bool = False,
) -> list[Any]:
    """Call ``call()`` ``calls`` times in each of ``threads`` threads, started together.

    Returns every result (in no particular order). The threads wait at a barrier so that they
    all start at once. With ``interleave=True`` each thread also lets the others run before
    every line of code from the file ``call`` was written in (in a notebook: the cell that
    defined it, helper methods included), through a trace function calling
    ``time.sleep(0)``, so a check-then-act split over two lines is interrupted between them.
    If a call raised, the first such exception is raised again here; if a thread is still
    running after ``timeout`` seconds, the check fails (the stuck threads are daemons and do
    not keep the interpreter alive).
    """
    barrier = threading.Barrier(threads)
    results: list[list[Any]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    filename = _source_file(call) if interleave else None
    tracer = _line_yielder(filename) if filename is not None else None

    def work(mine: list[Any]) -> None:
        try:
            barrier.wait(timeout)
            if tracer is not None:
                _settrace(tracer)
            for _ in range(calls):
                mine.append(call())
        except threading.BrokenBarrierError:
            pass  # another thread failed first; its error is the one reported
        except BaseException as error:  # handed back to the caller below
            errors.append(error)
            barrier.abort()
        finally:
            _settrace(None)

    workers = [
        threading.Thread(target=work, args=(results[i],), daemon=True, name=f"check-{i}")
        for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(worker.is_alive() for worker in workers):
        raise AssertionError(
            f"{name}, called from {threads} threads at once, had not finished after "
            f"{timeout:g} s: a deadlock? (a threading.Lock that one thread acquires twice, "
            "for instance in a helper method called with the lock held, waits forever)"
        )
    if errors:
        raise errors[0]
    return [result for mine in results for result in mine]


def _topological_problem(order: Any, nodes: list[Any], edges: Any) -> str | None:
    if type(order) is not list:
        return f"the result is {_article(type(order).__name__)}, not a list"
    index = {node: i for i, node in enumerate(nodes)}
    position: dict[int, int] = {}
    for place, item in enumerate(list.__iter__(order)):
        try:
            found = index.get(item)
        except TypeError:  # an unhashable item
            found = None
        if found is None or not same(item, nodes[found]):
            return "it holds something that is not one of the nodes"
        if found in position:
            return "a node appears more than once"
        position[found] = place
    if len(position) != len(nodes):
        return "a node is missing"
    for u, v in edges:
        if position[index[u]] >= position[index[v]]:
            return "for some edge (u, v), u is not placed before v"
    return None


def expect_topological_order(
    order: Any, nodes: Any, edges: Any, message: str, *, show: bool = False
) -> None:
    """Fail with ``message`` unless ``order`` is a topological order of the graph.

    That is: a plain ``list`` holding each of ``nodes`` exactly once (the same plain built-in
    values, compared strictly as :func:`same` does) with ``u`` before ``v`` for every edge
    ``(u, v)``. Any such order passes. ``nodes`` must be distinct plain built-in values; the
    message says what is wrong without naming a node, and ``show=True`` (visible tests only)
    adds what was returned.
    """
    problem = _topological_problem(order, list(nodes), edges)
    if problem is None:
        return
    text = f"{message} ({problem})"
    if show:
        text += f"\n  returned: {describe(order)}"
    raise AssertionError(text)
