"""Checking helpers that the exercise notebooks' test cells import.

This module runs inside learners' kernels, next to code the course does not trust, so it
imports nothing else of ``advpy`` and nothing heavy, and it never lets a learner's object decide
whether it is correct: equality and type checks look at exact built-in types first and only then
compare values with the built-in types' own methods.

Messages are written for the learner: they say what was checked and what to fix. Hidden tests
pass a message that names the property checked, never the hidden input or expected value.
"""

from __future__ import annotations

import copy
import gc
import itertools
import math
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
    "Beside",
    "beside",
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
    wrong_at: int | None = None  # an input size at which its result disagreed with the reference

    @property
    def factor(self) -> float:
        return self.large / self.small

    @property
    def ok(self) -> bool:
        if self.timed_out or self.wrong_at is not None:
            return False
        return self.growth <= self.tolerance * self.reference_growth

    @property
    def decisive(self) -> bool:
        """Failed by far: more than twice the growth that passing allows (no busy machine makes
        a right answer look that slow, so a grader need not time it again)."""
        return self.growth > 2.0 * self.tolerance * self.reference_growth

    def exponent(self, growth: float) -> float:
        """The ``k`` in ``time ~ n**k`` that this growth suggests."""
        return math.log(max(growth, 1e-9)) / math.log(self.factor)

    def message(self, target: str) -> str:
        """What was seen, in words a learner can act on."""
        if self.wrong_at is not None:
            return (
                f"{self.name} gives a wrong result on an input of {self.wrong_at:,} items (the "
                f"size its growth is timed at), so its time says nothing: make it right on "
                f"large inputs too; the target is {target}."
            )
        ref = f"the reference solution: about {self.reference_growth:.0f}x"
        seen = _big_o(self.exponent(self.growth))
        if self.timed_out:
            return (
                f"{self.name} is too slow: on an input {self.factor:.0f}x larger it ran more "
                f"than {self.growth:.0f}x longer and was stopped ({ref}). Its growth looks like "
                f"{seen} or worse; the target is {target}."
            )
        how = "grows much too fast" if self.decisive else "grows too fast"
        return (
            f"{self.name} {how}: multiplying the input size by {self.factor:.0f} "
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
#: Set by a grader that runs the answer in another process (``advpy grade``'s judge):
#: ``CALL_TIMER(func, batches, limit)`` gives the CPU seconds ``func`` took on every argument
#: tuple of ``batches``, read from outside that process, or None for a function of this one.
CALL_TIMER: Callable[[Any, list[tuple[Any, ...]], float | None], float | None] | None = None


#: Set by a grader that runs the answer in another process: ``BESIDE_RUNNER(func, args)`` runs a
#: test's own function ``func`` in the answer's process (see :class:`Beside`) and returns what it
#: returned, as data or as a reference to an object that stays there.
BESIDE_RUNNER: Callable[[Callable[..., Any], tuple[Any, ...]], Any] | None = None


class Beside:
    """A test's own function that runs where the answer's code runs: the kernel in a notebook,
    the answering process under a grader that decides verdicts elsewhere.

    For work that must happen next to the answer, where a call across a process boundary per
    step would cost more than the step itself (a loop of ten thousand ``get``/``put`` calls on
    the answer's cache, threads started at once on its object). ``func`` takes everything it
    needs as arguments, apart from built-ins and the notebook's names (the learner's, looked up
    where it runs), defines any helper it needs inside itself, and returns what the test judges:
    its result comes back as data (or a reference, for an object that is not plain data), and
    the verdict is decided by the test, where the test runs. Growth checks time a ``Beside``
    from outside that process (see :func:`measure_scaling`)."""

    def __init__(self, func: Callable[..., Any]) -> None:
        code = getattr(func, "__code__", None)
        if code is None or getattr(func, "__closure__", None) is not None:
            raise TypeError(
                "Beside takes a plain function that uses no variable of an enclosing function"
            )
        self.func = func
        self.__name__ = getattr(func, "__name__", "the function")
        self.__doc__ = func.__doc__

    def __call__(self, *args: Any) -> Any:
        if BESIDE_RUNNER is not None:
            return BESIDE_RUNNER(self.func, args)
        return self.func(*args)


def beside(func: Callable[..., Any], *args: Any) -> Any:
    """Call ``func(*args)`` where the answer's code runs (see :class:`Beside`)."""
    return Beside(func)(*args)


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
        if CALL_TIMER is not None:
            elapsed = CALL_TIMER(func, batches, None if limit is None else limit * calls)
            if elapsed is not None:
                if elapsed >= _MIN_SAMPLE_SECONDS or calls >= 1024:
                    return elapsed / calls
                calls *= 2
                continue
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
    agree: Callable[[Any, Any, tuple[Any, ...]], bool] | None = None,
) -> ScalingReport:
    """Time ``func`` and ``reference`` at sizes ``small`` and ``small * factor`` in one run.

    ``make_args(size, seed)`` builds fresh arguments (a tuple) for one call. Each of the four
    timings is the CPU time of the fastest of up to ``rounds`` interleaved samples, so neither
    a busy machine nor a stray pause can make a correct solution look slow. ``func`` fails
    when its time grew more than ``tolerance`` times as much as the reference's did. A call at
    the large size that runs far past what passing would allow is stopped early.

    Only right answers are timed: when the growth passes, ``func``'s result at each size (on
    the first input of the pool) must agree with the reference's, by :func:`same` or by
    ``agree(result, reference_result, args)`` where several results are right; otherwise the
    check fails (an answer that gives up on large inputs would otherwise look fast).
    """
    large = small * factor
    label = str(name or getattr(func, "__name__", "the function"))
    # Seeds are drawn in turn, 0, 1, 2, ...: every run and every grader measures the same
    # inputs in the same order, and no input is ever timed twice, so an answer that remembers
    # its results cannot be timed on a lookup.
    seeds = itertools.count()

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
            break
        if round_index >= 2 and report.decisive:
            return report
    if not report.ok:
        return report
    for size in (small, large):
        args = make_args(size, 0)
        expected = reference(*make_args(size, 0))
        result = func(*args)
        right = agree(result, expected, args) if agree is not None else same(result, expected)
        if not right:
            return replace(report, wrong_at=size)
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
    agree: Callable[[Any, Any, tuple[Any, ...]], bool] | None = None,
) -> ScalingReport:
    """Fail unless ``func``'s time grows no faster than ``reference``'s and its results agree
    with the reference's at the sizes timed (see :func:`measure_scaling`); the message says
    what was seen and what ``target`` is."""
    report = measure_scaling(
        func,
        reference,
        make_args,
        small=small,
        factor=factor,
        tolerance=tolerance,
        rounds=rounds,
        name=name,
        agree=agree,
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
    "is_topological_order",
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
    _RECURSION_LIMITS.append(limit)
    try:
        yield
    finally:
        _RECURSION_LIMITS.pop()
        sys.setrecursionlimit(previous)


#: The limits of the :func:`recursion_limit` blocks running now, innermost last.
_RECURSION_LIMITS: list[int] = []


def recursion_limit_in_force() -> int | None:
    """The limit of the innermost :func:`recursion_limit` block running now, or None (for a
    grader that runs the answer's calls in another process, under the same limit)."""
    return _RECURSION_LIMITS[-1] if _RECURSION_LIMITS else None


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


def is_topological_order(order: Any, nodes: Any, edges: Any) -> bool:
    """True when ``order`` is a topological order of the graph (as
    :func:`expect_topological_order` judges it); for ``agree=`` of a growth check."""
    return _topological_problem(order, list(nodes), edges) is None


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


# Static types: mypy run in-process on an answer cell and usage snippets -----------------------
# For the type-hints exercises: the learner's annotations are graded by what mypy says about
# them and about code that uses them. mypy is imported inside the functions only.

__all__ += [
    "MypyMessage",
    "cell_source",
    "run_mypy",
    "mypy_errors",
    "expected_mypy_errors",
    "format_mypy",
    "expect_mypy",
]

#: The module names the checked files get: ``from answer import ...`` in a usage snippet.
ANSWER_MODULE = "answer"
USAGE_MODULE = "usage"
_MYPY_LINE = (
    r"^(?P<path>.+?):(?P<line>\d+):(?:\d+:)? (?P<severity>error|note|warning): "
    r"(?P<text>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)
_EXPECT_MARK = "# expect:"


@dataclass(frozen=True)
class MypyMessage:
    """One line of mypy's report: where (``"answer"``, ``"usage"`` or another file's name),
    the line, ``"error"`` or ``"note"``, the text, and the error code (``None`` for notes)."""

    module: str
    line: int
    severity: str
    text: str
    code: str | None

    def render(self) -> str:
        """The message as mypy prints it, with the module name instead of a temporary path."""
        code = f"  [{self.code}]" if self.code else ""
        return f"{self.module}.py:{self.line}: {self.severity}: {self.text}{code}"


def cell_source(func: Any) -> str:
    """The text of the notebook cell (or the file) in which the function ``func`` was defined.

    Jupyter and IPython keep the text of every cell they run in :mod:`linecache`, under the
    name they compile the cell with, and a function remembers that name
    (``func.__code__.co_filename``). This reads the whole cell, not just the function: its
    imports, TypeVars and helper classes come with it.
    """
    import types

    if type(func) is types.MethodType:
        func = func.__func__
    if BESIDE_RUNNER is not None and type(func) is not types.FunctionType:
        # The function lives in the answer's process: its cell's text is read there.
        text = BESIDE_RUNNER(_cell_text_where_defined, (func,))
        if type(text) is not str:
            raise AssertionError("the text of the cell that defines this function is not text")
        if not text:
            raise AssertionError(
                "expected a function defined with `def` in the answer cell, whose cell's text "
                "is available"
            )
        return text
    if type(func) is not types.FunctionType:
        raise AssertionError(
            f"expected a function defined with `def` in the answer cell, got "
            f"{_article(type(func).__name__)}"
        )
    text = _cell_text_where_defined(func)
    if not text:
        raise AssertionError(
            "the text of the cell that defines this function is not available: run that cell "
            "again (the checks read the text of the cell it was defined in)"
        )
    return text


def _cell_text_where_defined(func: Any) -> str:
    # What cell_source reads, here or (sent as code, see Beside) in the answer's process:
    # self-contained; "" when func is not a function whose cell's text is known.
    import linecache
    import types

    if type(func) is types.MethodType:
        func = func.__func__
    if type(func) is not types.FunctionType:
        return ""
    code = types.FunctionType.__dict__["__code__"].__get__(func)
    return "".join(linecache.getlines(code.co_filename))


def _mypy_cache_dir() -> str:
    """A cache folder for mypy, private to this process and user, kept for the process's
    life: its first check takes about half a second (mypy reads the standard library's
    stubs), later ones a few hundredths of a second. The name is fixed per process so that
    it survives this module being loaded again; it is removed when the process exits."""
    import atexit
    import os
    import shutil
    import stat
    import tempfile

    uid = getattr(os, "getuid", lambda: 0)()
    path = os.path.join(tempfile.gettempdir(), f"advpy-mypy-cache-{uid}-{os.getpid()}")
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        info = os.lstat(path)
        mine = getattr(os, "getuid", None) is None or info.st_uid == uid
        if not stat.S_ISDIR(info.st_mode) or not mine:
            return tempfile.mkdtemp(prefix="advpy-mypy-cache-")  # someone else's: not used
    else:
        atexit.register(shutil.rmtree, path, True)
    return path


def run_mypy(
    answer: str,
    usage: str | None = None,
    *,
    strict: bool = True,
    python_version: str | None = None,
    options: tuple[str, ...] = (),
) -> list[MypyMessage]:
    """What mypy reports on ``answer`` (a module named ``answer``) and, if given, ``usage`` (a
    module named ``usage`` that may ``from answer import ...``), run in this process.

    The files are written to a new temporary folder; mypy gets an empty configuration file (no
    project's settings apply), no third-party packages, ``--strict`` unless ``strict=False``,
    and ``python_version`` (e.g. ``"3.12"``) when given; ``options`` come last, so they may
    override any of these. Its cache lives in a temporary folder of this process (see
    :func:`_mypy_cache_dir`), never in the working folder. The
    interpreter settings mypy changes (the recursion limit, the garbage collector's
    thresholds) are put back afterwards. Raises ``RuntimeError`` if mypy itself fails.
    """
    import os
    import re
    import tempfile

    from mypy import api

    files = {ANSWER_MODULE: answer}
    if usage is not None:
        files[USAGE_MODULE] = usage
    args = ["--no-error-summary", "--no-color-output", "--hide-error-context"]
    args += ["--no-pretty", "--show-error-codes", "--no-site-packages"]
    if strict:
        args.append("--strict")
    if python_version is not None:
        args += ["--python-version", python_version]
    limit, thresholds, enabled = sys.getrecursionlimit(), gc.get_threshold(), gc.isenabled()
    with tempfile.TemporaryDirectory(prefix="advpy-mypy-") as folder:
        config = os.path.join(folder, "mypy.ini")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write("[mypy]\n")
        paths = {}
        for module, text in files.items():
            paths[module] = os.path.join(folder, f"{module}.py")
            with open(paths[module], "w", encoding="utf-8") as handle:
                handle.write(text)
        args += ["--config-file", config, "--cache-dir", _mypy_cache_dir(), *options]
        try:
            out, err, status = api.run([*args, *paths.values()])
        finally:
            sys.setrecursionlimit(limit)
            gc.set_threshold(*thresholds)
            (gc.enable if enabled else gc.disable)()
    names = {path: module for module, path in paths.items()}
    pattern = re.compile(_MYPY_LINE)
    messages = []
    for line in out.splitlines():
        found = pattern.match(line)
        if found is None:
            continue
        path = found["path"]
        module = names.get(path) or os.path.splitext(os.path.basename(path))[0]
        code = found["code"] if found["severity"] == "error" else None
        messages.append(
            MypyMessage(module, int(found["line"]), found["severity"], found["text"], code)
        )
    if status not in (0, 1) and not any(m.severity == "error" for m in messages):
        raise RuntimeError(f"mypy could not check the code (exit status {status}): {err or out}")
    return messages


def mypy_errors(source: str, *, strict: bool = True) -> list[tuple[int, str]]:
    """The errors mypy reports on ``source`` alone, as sorted ``(line, error code)`` pairs."""
    return sorted(
        (m.line, m.code or "misc")
        for m in run_mypy(source, strict=strict)
        if m.severity == "error" and m.module == ANSWER_MODULE
    )


def expected_mypy_errors(usage: str) -> dict[int, tuple[frozenset[str], ...]]:
    """The errors a usage snippet says mypy must report, read from its ``# expect:`` comments.

    ``x: str = f(1)  # expect: assignment`` expects one error with code ``assignment`` on that
    line; ``# expect: arg-type|call-overload`` accepts either code; ``# expect: a, b`` expects
    two errors on the line. Lines without the comment must have no error.
    """
    expected: dict[int, tuple[frozenset[str], ...]] = {}
    for number, line in enumerate(usage.splitlines(), start=1):
        if _EXPECT_MARK not in line:
            continue
        wanted = line.split(_EXPECT_MARK, 1)[1]
        expected[number] = tuple(
            frozenset(code.strip() for code in item.split("|") if code.strip())
            for item in wanted.split(",")
            if item.strip()
        )
    return expected


def _unmatched(
    reported: dict[int, list[str]], expected: dict[int, tuple[frozenset[str], ...]]
) -> tuple[list[tuple[int, str]], list[tuple[int, frozenset[str]]]]:
    """(errors reported but not expected, expected errors not reported), line by line."""
    extra: list[tuple[int, str]] = []
    missing: list[tuple[int, frozenset[str]]] = []
    for line in sorted(set(reported) | set(expected)):
        codes = list(reported.get(line, []))
        for options in expected.get(line, ()):
            match = next((c for c in codes if c in options), None)
            if match is None:
                missing.append((line, options))
            else:
                codes.remove(match)
        extra += [(line, code) for code in codes]
    return extra, missing


def format_mypy(messages: list[MypyMessage]) -> str:
    """mypy's messages, one a line, as a learner reads them ("no errors" when there are none)."""
    if not messages:
        return "mypy: no errors"
    return "\n".join(m.render() for m in messages)


def _numbered(text: str, marks: dict[int, list[str]]) -> list[str]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        rows.append(f"  {'>' if number in marks else ' '}{number:3d} | {line}")
        rows += [f"         {note}" for note in marks.get(number, [])]
    return rows


def expect_mypy(
    answer: str,
    usage: str = "",
    *,
    what: str,
    show: bool = False,
    strict: bool = True,
    errors: dict[int, tuple[frozenset[str], ...]] | None = None,
) -> list[MypyMessage]:
    """Fail unless mypy reports exactly the expected errors on ``answer`` and ``usage``.

    The answer (a learner's answer cell, see :func:`cell_source`) must have no error at all.
    ``usage`` must have exactly the errors its ``# expect:`` comments name, each on its own
    line with one of the codes given (see :func:`expected_mypy_errors`), or ``errors`` when
    given; correct uses must have none. ``what`` names what was checked, in the learner's
    words. With ``show=True`` (visible tests) the message shows the snippet with mypy's
    messages beside its lines; without it (hidden tests) only the error codes, never the
    snippet's text or mypy's messages about it. mypy's messages about the answer cell are the
    learner's own code and are always shown. Returns every message, notes included.
    """
    messages = run_mypy(answer, usage, strict=strict)
    wanted = expected_mypy_errors(usage) if errors is None else errors
    flags = "mypy --strict" if strict else "mypy"
    in_answer = [m for m in messages if m.module == ANSWER_MODULE and m.severity == "error"]
    reported: dict[int, list[str]] = {}
    for m in messages:
        if m.module == USAGE_MODULE and m.severity == "error":
            reported.setdefault(m.line, []).append(m.code or "misc")
    extra, missing = _unmatched(reported, wanted)
    if not (in_answer or extra or missing):
        return messages
    lines = [f"{flags} did not judge {what} as expected."]
    if in_answer:
        lines.append("It reports errors in your answer cell itself (line numbers of the cell):")
        lines += [
            f"  line {m.line}: {m.text}" + (f"  [{m.code}]" if m.code else "")
            for m in messages
            if m.module == ANSWER_MODULE
        ]
    if (extra or missing) and show:
        marks: dict[int, list[str]] = {}
        for m in messages:
            if m.module == USAGE_MODULE:
                code = f"  [{m.code}]" if m.code else ""
                marks.setdefault(m.line, []).append(f"mypy {m.severity}: {m.text}{code}")
        for line, options in missing:
            other = "mypy's errors here have other codes" if line in reported else "none came"
            marks.setdefault(line, []).append(
                f"expected an error [{' or '.join(sorted(options))}] here: {other}"
            )
        for line, code in extra:
            marks.setdefault(line, []).append(f"^ [{code}] was not expected on this line")
        lines.append("The code checked against your answer (`from answer import ...`):")
        lines += _numbered(usage, marks)
    elif extra or missing:
        if missing:
            codes = ", ".join(sorted({" or ".join(sorted(o)) for _, o in missing}))
            lines.append(
                "A misuse that your annotations should reject was not reported, or not with "
                f"the expected error code ([{codes}])."
            )
        if extra:
            codes = ", ".join(sorted({code for _, code in extra}))
            lines.append(f"mypy reported an error on a use that should pass ([{codes}]).")
    raise AssertionError("\n".join(lines))


# Exceptions: what a call raised, and whether it was the right one -----------------------------
# For the context-manager exercises (and any check of "raises X"): a manager must let some
# exceptions through unchanged, the very object, and swallow others, KeyboardInterrupt never.

__all__ += ["raised_by", "expect_raises"]


def raised_by(call: Callable[[], Any]) -> BaseException | None:
    """Call ``call()`` and return the exception it raised, or ``None`` when it returned.

    Every exception is caught and handed back, ``KeyboardInterrupt``, ``SystemExit`` and
    ``GeneratorExit`` included, so that a check can see exactly what got out of the code it
    ran (for instance, what a context manager let through); the caller decides what is right.
    """
    try:
        call()
    except BaseException as error:  # handed back to the caller, who judges it
        return error
    return None


def expect_raises(
    call: Callable[[], Any],
    kind: type[BaseException],
    message: str,
    *,
    same_as: BaseException | None = None,
) -> BaseException:
    """Fail with ``message`` unless ``call()`` raises an exception of exactly the type ``kind``
    (a subclass does not count); with ``same_as``, it must be that very object. Returns the
    exception. The message adds what happened instead (nothing raised, or the type raised),
    never a value."""
    error = raised_by(call)
    if error is None:
        raise AssertionError(f"{message} (nothing was raised)")
    if type(error) is not kind:
        raise AssertionError(
            f"{message} (it raised {_article(type(error).__name__)}, not {_article(kind.__name__)})"
        )
    if same_as is not None and error is not same_as:
        raise AssertionError(
            f"{message} (a {kind.__name__} came out, but not the very object raised inside: "
            "let the original exception propagate instead of raising a new one)"
        )
    return error


# Threads started together, with a deadline -------------------------------------------------------
# For the thread-safety exercises: several different calls started at the same instant (two
# transfers in opposite directions, a producer and its consumers), each in a daemon thread, so
# that a deadlocked answer fails the check instead of hanging the grader.

__all__ += ["run_together", "call_with_timeout"]


def run_together(
    calls: list[Callable[[], Any]],
    *,
    timeout: float = 10.0,
    message: str = "the calls had not finished: a deadlock, or a thread waiting forever?",
    interleave: Callable[..., Any] | None = None,
) -> list[Any]:
    """Run each of ``calls`` in its own daemon thread, all released at once; return their
    results in the order of ``calls``.

    If a call raised, the exception of the first such call (in the order of ``calls``) is raised
    again here. If any thread is still running after ``timeout`` seconds in all, the check fails
    with ``message`` (plus the time waited); the stuck threads are daemons, so they do not keep
    the interpreter alive. With ``interleave`` set to a function or method, every thread lets the
    others run before each line of code from the file that function was written in (in a
    notebook: the cell that defined it), as :func:`run_in_threads` does.
    """
    count = len(calls)
    if count == 0:
        return []
    barrier = threading.Barrier(count)
    outcomes: list[tuple[bool, Any] | None] = [None] * count
    filename = _source_file(interleave) if interleave is not None else None
    tracer = _line_yielder(filename) if filename is not None else None

    def work(index: int) -> None:
        try:
            barrier.wait(timeout)
        except threading.BrokenBarrierError:
            pass  # a thread failed to start in time: run anyway, the deadline still holds
        try:
            if tracer is not None:
                _settrace(tracer)
            outcomes[index] = (True, calls[index]())
        except BaseException as error:  # handed back to the caller below
            outcomes[index] = (False, error)
        finally:
            _settrace(None)

    workers = [
        threading.Thread(target=work, args=(i,), daemon=True, name=f"together-{i}")
        for i in range(count)
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(worker.is_alive() for worker in workers):
        raise AssertionError(f"{message} (still running after {timeout:g} s)")
    results = []
    for outcome in outcomes:
        assert outcome is not None  # every thread finished, so every outcome is set
        finished, value = outcome
        if not finished:
            raise value
        results.append(value)
    return results


def call_with_timeout(
    call: Callable[[], Any],
    *,
    timeout: float = 10.0,
    message: str = "the call had not returned: a deadlock, or a thread waiting forever?",
) -> Any:
    """``call()`` run in a daemon thread: its result, or its exception raised again here; fails
    with ``message`` if it has not returned after ``timeout`` seconds (see :func:`run_together`)."""
    return run_together([call], timeout=timeout, message=message)[0]


# Decorators: messages of exceptions, what a wrapper keeps, exceptions out of coroutines ----------
# For the decorator exercises: an exception must carry an exact message, a wrapper must keep the
# wrapped function's identity (functools.wraps), and async wrappers raise when awaited.

__all__ += ["expect_error_message", "expect_wraps", "raised_by_async"]

#: What ``functools.wraps`` copies (``__dict__`` aside) and must therefore match.
_WRAPPED_NAMES = ("__module__", "__name__", "__qualname__", "__doc__")


def expect_error_message(
    error: BaseException, text: str, message: str, *, show: bool = False
) -> None:
    """Fail with ``message`` unless ``str(error)`` is exactly ``text``.

    The text is read with ``BaseException.__str__``, so an exception class cannot decide for
    itself whether it matches. With ``show=True`` (visible tests only) the failure also shows
    both texts; hidden tests leave it off so that no hidden value is revealed."""
    actual = BaseException.__str__(error)
    if actual == text:
        return
    if show:
        message = f"{message}\n  message: {actual!r}\n  expected: {text!r}"
    raise AssertionError(message)


def expect_wraps(wrapper: Any, original: Callable[..., Any], message: str) -> None:
    """Fail with ``message`` unless ``wrapper`` keeps ``original``'s identity the way
    ``functools.wraps`` does: ``__wrapped__`` is ``original`` itself, and ``__module__``,
    ``__name__``, ``__qualname__`` and ``__doc__`` are equal to the original's. The failure
    names the first attribute that differs, never its value."""
    missing = object()
    if getattr(wrapper, "__wrapped__", missing) is not original:
        raise AssertionError(f"{message} (__wrapped__ is not the original function)")
    for name in _WRAPPED_NAMES:
        expected = getattr(original, name, missing)
        actual = getattr(wrapper, name, missing)
        if type(actual) is not type(expected) or actual != expected:
            raise AssertionError(f"{message} ({name} differs from the original's)")


async def raised_by_async(awaitable: Any) -> BaseException | None:
    """Await ``awaitable`` and return the exception it raised, or ``None`` when it returned.

    Like :func:`raised_by`, every exception is handed back (``CancelledError`` included), and
    the caller judges it. Something that cannot be awaited (a plain value returned where a
    coroutine was expected) comes back as the ``TypeError`` that ``await`` raises."""
    try:
        await awaitable
    except BaseException as error:  # handed back to the caller, who judges it
        return error
    return None


# Predictions graded by value ---------------------------------------------------------------------
# For "predict what this prints" items: the learner's answer cell holds the predictions as data,
# a dict of item -> the printed text or the exception's name. Format checks are visible; the
# exact answers are hidden, and a wrong prediction is answered with the rule it breaks, never
# with the expected text.

__all__ += ["expect_prediction_format", "expect_predictions"]

_EXCEPTION_ENDINGS = ("Error", "Exception", "Warning", "Exit", "Interrupt")


def _exception_with_message(value: str) -> bool:
    """True for text such as ``"KeyError: 'x'"``: an exception's name, a colon, more."""
    head, colon, _ = value.partition(":")
    head = head.strip()
    return bool(colon) and head.isidentifier() and head.endswith(_EXCEPTION_ENDINGS)


def _prediction_problem(predictions: dict[Any, Any], item: str) -> str | None:
    """What is wrong with the form of one prediction, or ``None``."""
    if not dict.__contains__(predictions, item):
        return f"item {item} has no prediction (add the key {item!r})"
    value = dict.__getitem__(predictions, item)
    if type(value) is not str:
        return (
            f"item {item}: the prediction is {_article(type(value).__name__)}, not a str; "
            "write what is printed as text, in quotes"
        )
    if not value:
        return f"item {item}: the prediction is an empty string"
    if value != value.strip():
        return f"item {item}: the prediction starts or ends with spaces or a newline"
    if value.startswith("Traceback") or _exception_with_message(value):
        return (
            f"item {item}: for an exception, write only its name, such as 'KeyError', without "
            "the traceback or the message"
        )
    return None


def expect_prediction_format(predictions: Any, items: list[str], name: str = "PREDICTIONS") -> None:
    """Fail unless ``predictions`` is a plain ``dict`` with a well-formed prediction for each of
    ``items``: a non-empty plain ``str`` without surrounding whitespace, and for an exception
    only its name. Says nothing about whether a prediction is right."""
    if type(predictions) is not dict:
        kind = _article(type(predictions).__name__)
        raise AssertionError(f"{name} must be a dict (item -> prediction), not {kind}")
    problems = [p for item in items if (p := _prediction_problem(predictions, item)) is not None]
    if problems:
        raise AssertionError(f"{name} is not filled in as asked:\n- " + "\n- ".join(problems))


def expect_predictions(
    predictions: Any,
    answers: dict[str, str],
    rules: dict[str, str],
    name: str = "PREDICTIONS",
) -> None:
    """Fail unless ``predictions[item]`` is exactly ``answers[item]`` (a plain ``str``, equal)
    for every item of ``answers``.

    Every wrong item is listed with its entry in ``rules``: the rule the item shows, in words
    that let the learner find the mistake. Neither the expected answer nor any hint of it is
    printed, so the check can run hidden.
    """
    expect_prediction_format(predictions, list(answers), name)
    wrong = [
        f"item {item}: {rules[item]}"
        for item, answer in answers.items()
        if not same(dict.__getitem__(predictions, item), answer)
    ]
    if wrong:
        raise AssertionError(
            f"{name}: {len(wrong)} of {len(answers)} predictions here are not what the code "
            "prints. Read each item again with its rule in mind:\n- " + "\n- ".join(wrong)
        )


# SQL that SQLite accepts -------------------------------------------------------------------------
# For the metaclass exercises' model layer: a generated CREATE TABLE statement is judged by
# running it in a fresh in-memory SQLite database and reading back the table SQLite made.

__all__ += ["expect_sqlite_table"]


def expect_sqlite_table(
    statement: Any,
    table: str,
    columns: list[tuple[str, str, bool]],
    message: str,
    *,
    show: bool = False,
) -> Any:
    """Run ``statement`` in a new in-memory SQLite database and fail with ``message`` unless
    SQLite accepts it and the table ``table`` then has exactly ``columns``, in order: each a
    ``(name, declared type, not null)``, with types compared without regard to case.

    Returns the open ``sqlite3`` connection, so that the check can go on to insert rows. The
    failure says what went wrong (refused, no such table, other columns); with ``show=True``
    (visible tests only) it also shows SQLite's error or both column lists."""
    import sqlite3

    if type(statement) is not str:
        raise AssertionError(f"{message} (the statement is {_article(type(statement).__name__)})")
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(statement)
    except sqlite3.Error as error:
        connection.close()
        detail = f": {error}" if show else ""
        raise AssertionError(f"{message} (SQLite refused the statement{detail})") from None
    quoted = '"' + table.replace('"', '""') + '"'
    rows = connection.execute(f"PRAGMA table_info({quoted})").fetchall()
    found = [(str(row[1]), str(row[2]).upper(), bool(row[3])) for row in rows]
    expected = [(name, kind.upper(), bool(not_null)) for name, kind, not_null in columns]
    if not found:
        connection.close()
        raise AssertionError(f"{message} (SQLite made no table of the expected name)")
    if found != expected:
        connection.close()
        detail = f"\n  table has: {found}\n  expected:  {expected}" if show else ""
        raise AssertionError(
            f"{message} (the table's columns differ: names, order, types or NOT NULL){detail}"
        )
    return connection


# Memory held and items pulled -------------------------------------------------------------------
# For the comprehensions exercises: the peak memory a call allocates (traced with tracemalloc,
# imported inside the function), and an iterator that counts the items pulled from it and stops
# an answer that reads further than it may.

__all__ += ["traced_peak", "expect_peak_below", "PulledTooFar", "CountingIterator"]


def traced_peak(func: Callable[[], Any]) -> tuple[int, Any]:
    """``(peak bytes, result)`` of ``func()``: the most memory Python had allocated at any
    moment of the call, above what was allocated just before it (traced with ``tracemalloc``).

    Memory, not time: the number does not depend on how busy the machine is. Objects created
    before the call (the input list, say) do not count; what the call keeps after it returns
    (its result) does, if it is the largest moment.
    """
    import tracemalloc

    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    gc.collect()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    try:
        result = func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(0, peak - before), result


#: Set by a grader that runs the answer in another process: ``PEAK_MEASURER(func, args)``
#: gives ``(traced, resident, result)`` for one call of a :class:`Beside` ``func``: the
#: :func:`traced_peak` taken where the answer runs, and the rise of the resident memory of all
#: the answer's processes, read from outside them (None if they hid it); None for a function
#: of this process.
PEAK_MEASURER: Callable[[Any, tuple[Any, ...]], tuple[int, int | None, Any] | None] | None = None

#: Resident memory a call may add beyond its traced limit when it is also measured from outside
#: (interpreter and allocator overhead): the outside reading catches an answer whose traced peak
#: was hidden from the measurement in its own process, above this margin.
RESIDENT_MARGIN = 2 * 1024 * 1024


def expect_peak_below(func: Callable[..., Any], limit_bytes: int, message: str, *args: Any) -> Any:
    """Call ``func(*args)`` and return its result; fail with ``message`` (and the peak seen,
    next to the limit) if the call's :func:`traced_peak` went above ``limit_bytes``.

    A :class:`Beside` under a grader that runs the answer elsewhere is traced where the answer
    runs and measured from outside as well: its processes' resident memory must not rise by
    more than ``limit_bytes`` plus :data:`RESIDENT_MARGIN` either."""
    measured = PEAK_MEASURER(func, args) if PEAK_MEASURER is not None else None
    if measured is None:
        peak, result = traced_peak(lambda: func(*args))
    else:
        peak, resident, result = measured
        allowed = limit_bytes + RESIDENT_MARGIN
        if resident is None:
            raise AssertionError(
                f"{message} (its process hid its memory from being read from outside, so its "
                "peak is not known)"
            )
        if resident > allowed:
            raise AssertionError(
                f"{message} (its processes' resident memory rose {resident / 1024:,.0f} KiB, "
                f"allowed {allowed / 1024:,.0f} KiB)"
            )
    if peak > limit_bytes:
        raise AssertionError(
            f"{message} (peak {peak / 1024:,.0f} KiB, allowed {limit_bytes / 1024:,.0f} KiB)"
        )
    return result


class PulledTooFar(AssertionError):
    """Raised by a :class:`CountingIterator` asked for more items than it allows."""


class CountingIterator:
    """An iterator over ``items`` (0, 1, 2, ... without end when not given) that counts the items
    pulled from it in ``pulled``.

    With ``limit``, asking for item number ``limit + 1`` raises :class:`PulledTooFar` and sets
    ``overrun``, so a check can tell afterwards even if the answer caught the exception. A pull
    that finds the items exhausted raises ``StopIteration`` and is counted in ``empty_pulls``.
    """

    def __init__(self, items: Any = None, limit: int | None = None, name: str = "the input"):
        self._source = itertools.count() if items is None else iter(items)
        self.limit = limit
        self.name = name
        self.pulled = 0
        self.empty_pulls = 0
        self.overrun = False

    def __iter__(self) -> CountingIterator:
        return self

    def __next__(self) -> Any:
        if self.limit is not None and self.pulled >= self.limit:
            self.overrun = True
            raise PulledTooFar(f"{self.name} was read further than needed")
        try:
            item = next(self._source)
        except StopIteration:
            self.empty_pulls += 1
            raise
        self.pulled += 1
        return item


# Migrations: Alembic run on a real SQLite file, and an expand/contract plan replayed ----------
# For the migrations exercises. A learner's revision is source text: MigrationRun writes it into
# a temporary Alembic project and runs each Alembic command in a fresh interpreter (the
# learner's migration code never runs in the process that checks it); the database file is
# seeded and read from here, with the standard library's sqlite3. replay_plan runs an
# expand/contract plan (SQL statements and deploys, as plain data) against an in-memory SQLite
# database while every app version that would be running at each moment writes and reads.

__all__ += ["run_migrations", "sqlite_affinity", "replay_plan"]

_ALEMBIC_ENV = """\
from alembic import context
from sqlalchemy import create_engine

engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
"""

#: Runs in a new interpreter: the steps, read as JSON from stdin; a snapshot is a copy of the
#: database file, read by the process that asked. A failed step is reported on stderr as
#: "STEP <index> <what failed>" and ends the run.
_ALEMBIC_CHILD = """\
import json, shutil, sqlite3, sys
folder, database = sys.argv[1:3]
steps = json.load(sys.stdin)
config = None
for index, step in enumerate(steps):
    try:
        if step[0] == "sql":
            connection = sqlite3.connect(database)
            if step[2] is None:
                connection.execute(step[1])
            else:
                connection.executemany(step[1], step[2])
            connection.commit()
            connection.close()
        elif step[0] == "snapshot":
            shutil.copyfile(database, f"{folder}/snapshot-{index}.db")
        else:
            if config is None:
                from alembic import command
                from alembic.config import Config

                config = Config()
                config.set_main_option("script_location", folder)
                config.set_main_option("sqlalchemy.url", "sqlite:///" + database)
            getattr(command, step[0])(config, step[1])
    except BaseException as error:
        text = str(error).strip().splitlines()
        detail = type(error).__name__ + (": " + text[0][:300] if text else "")
        print(f"STEP {index} {detail}", file=sys.stderr)
        sys.exit(1)
"""

_migration_runs: dict[str, list[dict[str, Any]]] = {}


def sqlite_affinity(declared: str) -> str:
    """The type affinity SQLite gives a column declared with type ``declared`` (its own rules,
    in their order): INTEGER, TEXT, BLOB, REAL or NUMERIC."""
    kind = declared.upper()
    if "INT" in kind:
        return "INTEGER"
    if any(word in kind for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in kind or not kind.strip():
        return "BLOB"
    if any(word in kind for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _snapshot(path: str) -> dict[str, Any]:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        names = [
            str(name)
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        versions = (
            sorted(str(v) for (v,) in connection.execute("SELECT version_num FROM alembic_version"))
            if "alembic_version" in names
            else []
        )
        tables = {}
        for name in names:
            if name == "alembic_version" or name.startswith("sqlite_"):
                continue
            quoted = '"' + name.replace('"', '""') + '"'
            info = connection.execute(f"PRAGMA table_info({quoted})").fetchall()
            columns = {
                str(row[1]): (sqlite_affinity(str(row[2])), bool(row[3] or row[5]), bool(row[5]))
                for row in info
            }
            order = ", ".join('"' + str(row[1]).replace('"', '""') + '"' for row in info)
            rows = connection.execute(f"SELECT {order} FROM {quoted} ORDER BY 1").fetchall()
            tables[name] = {
                "columns": columns,
                "rows": [dict(zip(columns, row, strict=True)) for row in rows],
            }
        return {"error": None, "versions": versions, "tables": tables}
    finally:
        connection.close()


def run_migrations(
    revisions: dict[str, Any], steps: list[tuple[Any, ...]], *, timeout: float = 60.0
) -> list[dict[str, Any]]:
    """Run ``steps`` with Alembic on a new SQLite file, in a new interpreter, in a temporary
    project whose ``versions/`` holds ``revisions`` (file name -> source text); return one
    snapshot per ``("snapshot",)`` step.

    A step is ``("upgrade", target)``, ``("downgrade", target)``, ``("sql", statement)``,
    ``("sql", statement, rows)`` (run for each row) or ``("snapshot",)``. A snapshot is
    ``{"error": None, "versions": [revisions in alembic_version], "tables": {name: {"columns":
    {column: (type affinity, NOT NULL, primary key)}, "rows": [{column: value}] in the order of
    the first column}}}``; a primary key column counts as NOT NULL. When a step fails, that
    snapshot and every later one is ``{"error": "<the step> failed: <type>: <first line>"}``.
    The learner's migration code runs only in the new interpreter; the database is read here.
    Runs are remembered by their arguments, so checks that share a run start it once."""
    import copy
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    for name, source in revisions.items():
        if type(source) is not str:
            return [
                {
                    "error": f"the revision {name} must be source text (a str), not "
                    f"{_article(type(source).__name__)}"
                }
                for step in steps
                if step[0] == "snapshot"
            ]
    plan = [
        [step[0], *step[1:2], step[2] if step[0] == "sql" and len(step) > 2 else None]
        if step[0] == "sql"
        else list(step)
        for step in steps
    ]
    key = json.dumps([sorted(revisions.items()), plan, timeout])
    if key not in _migration_runs:
        with tempfile.TemporaryDirectory(prefix="advpy-alembic-") as name:
            folder = Path(name)
            (folder / "env.py").write_text(_ALEMBIC_ENV)
            (folder / "versions").mkdir()
            for file_name, source in revisions.items():
                (folder / "versions" / file_name).write_text(source)
            database = str(folder / "app.db")
            failed_at, why = len(plan), ""
            try:
                done = subprocess.run(
                    [sys.executable, "-I", "-c", _ALEMBIC_CHILD, str(folder), database],
                    input=json.dumps(plan),
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=False,
                    cwd=folder,
                )
                if done.returncode != 0:
                    lines = [line for line in done.stderr.splitlines() if line.startswith("STEP ")]
                    if lines:
                        _, number, why = lines[-1].split(" ", 2)
                        failed_at = int(number)
                    else:
                        failed_at, why = 0, f"the run stopped with exit status {done.returncode}"
            except subprocess.TimeoutExpired:
                failed_at, why = 0, f"the run did not finish within {timeout:g} s"
            snapshots: list[dict[str, Any]] = []
            for index, step in enumerate(plan):
                if step[0] != "snapshot":
                    continue
                if index < failed_at:
                    snapshots.append(_snapshot(str(folder / f"snapshot-{index}.db")))
                else:
                    failed = plan[min(failed_at, len(plan) - 1)]
                    what = (
                        " ".join(str(word) for word in failed[:2]) if failed[0] != "sql" else "sql"
                    )
                    snapshots.append({"error": f"{what} failed: {why[:400]}"})
        _migration_runs[key] = snapshots
    return copy.deepcopy(_migration_runs[key])


def _plan_problem(plan: Any, versions: dict[str, Any]) -> str | None:
    if type(plan) not in (list, tuple):
        return f"the plan must be a list of steps, not {_article(type(plan).__name__)}"
    for number, step in enumerate(plan, 1):
        if type(step) not in (list, tuple) or len(step) != 2:
            return f"step {number} is not a pair (action, argument)"
        action, argument = step
        if action == "sql":
            if type(argument) is not str or not argument.strip():
                return f"step {number}: an sql step holds one SQL statement as a str"
        elif action == "deploy":
            if type(argument) is not str or argument not in versions:
                return f"step {number}: deploy names one of the versions {sorted(versions)}"
        else:
            return f"step {number}: the action is 'sql' or 'deploy', not {describe(action)}"
    return None


def replay_plan(
    plan: Any,
    *,
    schema: str,
    table: str,
    versions: dict[str, tuple[str, tuple[str, ...]]],
    start: str,
    rows: int = 20,
    operations: int = 2,
    null_share: float = 0.0,
    seed: int = 0,
) -> dict[str, Any]:
    """Replay an expand/contract ``plan`` against an in-memory SQLite database made by
    ``schema``, while the app versions run, and report what happened.

    ``versions`` maps a version name to ``(the column it reads, the columns it writes)`` of the
    value kept in ``table``; ``start`` runs alone at first and creates ``rows`` rows. A step is
    ``("sql", statement)`` or ``("deploy", version)``; a deploy is rolling: the versions running
    and the new one serve together, then the new one alone. After every step, and at both
    moments of a deploy, each running version inserts ``operations`` rows and updates
    ``operations`` rows (values made from ``seed``, a share ``null_share`` of them NULL), then
    each running version reads every row's value; a failed statement or a value other than the
    last one written is a failure.

    Returns ``{"problem": the first malformed step or failed plan statement, or None;
    "failures": what went wrong, in order (at most 10); "running": the versions running at the
    end; "columns": the table's columns at the end}``."""
    import random
    import sqlite3

    report: dict[str, Any] = {"problem": None, "failures": [], "running": [start], "columns": []}
    problem = _plan_problem(plan, versions)
    if problem is not None:
        report["problem"] = problem
        return report
    rng = random.Random(seed)
    truth: dict[int, str | None] = {}
    failures: list[str] = report["failures"]
    db = sqlite3.connect(":memory:", isolation_level=None)

    def value() -> str | None:
        return None if rng.random() < null_share else f"+44 20 7946 {rng.randrange(10_000):04d}"

    def fail(text: str) -> None:
        if len(failures) < 10:
            failures.append(text)

    def write(version: str, when: str, new: bool) -> None:
        _, written = versions[version]
        number = value()
        try:
            if new:
                columns = ", ".join(("name", *written))
                marks = ", ".join("?" * (1 + len(written)))
                cursor = db.execute(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    ["customer", *[number] * len(written)],
                )
                assert cursor.lastrowid is not None
                truth[cursor.lastrowid] = number
            elif truth:
                target = rng.choice(sorted(truth))
                sets = ", ".join(f"{column} = ?" for column in written)
                db.execute(
                    f"UPDATE {table} SET {sets} WHERE id = ?", [*[number] * len(written), target]
                )
                truth[target] = number
        except sqlite3.Error as error:
            action = "insert" if new else "update"
            fail(f"{version} could not {action} a row {when}: {error}")

    def read(version: str, when: str) -> None:
        column, _ = versions[version]
        try:
            seen = dict(db.execute(f"SELECT id, {column} FROM {table}").fetchall())
        except sqlite3.Error as error:
            fail(f"{version} could not read {when}: {error}")
            return
        wrong = sum(1 for key, number in truth.items() if key not in seen or seen[key] != number)
        if wrong:
            fail(f"{version} read a stale or missing value in {wrong} row(s) {when}")

    def serve(running: list[str], when: str) -> None:
        for version in running:
            for _ in range(operations):
                write(version, when, new=True)
                write(version, when, new=False)
        for version in running:
            read(version, when)

    try:
        db.executescript(schema)
        for _ in range(rows):
            write(start, "at the start", new=True)
        running = [start]
        serve(running, "at the start")
        for number, (action, argument) in enumerate(plan, 1):
            if action == "sql":
                try:
                    db.execute(argument)
                except sqlite3.Error as error:
                    report["problem"] = f"step {number}: the statement failed: {error}"
                    break
                serve(running, f"after step {number}")
            else:
                running = [*[v for v in running if v != argument], argument]
                serve(running, f"during step {number} (the rolling deploy of {argument})")
                running = [argument]
                serve(running, f"after step {number}")
        report["running"] = running
        report["columns"] = [str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")]
    finally:
        db.close()
    return report


# Cycles in a wait-for graph ----------------------------------------------------------------
# For the deadlock exercises: a learner's cycle is judged as a cycle of the graph, whichever cycle
# and whichever starting point it is, never against one implementation's choice.

__all__ += ["is_cycle_of", "expect_cycle"]

_MISSING = object()


def _cycle_problem(cycle: Any, graph: Any) -> str | None:
    if type(cycle) is not list:
        return f"the result is {_article(type(cycle).__name__)}, not a list"
    items = list(list.__iter__(cycle))
    if not items:
        return "the list is empty"
    known: dict[Any, Any] = {node: node for node in graph}
    for targets in graph.values():
        known.update((target, target) for target in targets)
    seen: set[Any] = set()
    for item in items:
        try:
            node = known.get(item, _MISSING)
        except TypeError:  # an unhashable item
            node = _MISSING
        if node is _MISSING or not same(item, node):
            return "it holds something that is not a node of the graph"
        if node in seen:
            return "a node appears more than once (list each node of the cycle once)"
        seen.add(node)
    for here, there in zip(items, items[1:] + items[:1], strict=True):
        if not any(same(there, target) for target in graph.get(here, ())):
            return "some node in it does not wait for the node after it (the last for the first)"
    return None


def is_cycle_of(cycle: Any, graph: Any) -> bool:
    """True when ``cycle`` is a cycle of ``graph`` as :func:`expect_cycle` judges it."""
    return _cycle_problem(cycle, graph) is None


def expect_cycle(cycle: Any, graph: Any, message: str, *, show: bool = False) -> None:
    """Fail with ``message`` unless ``cycle`` is a cycle of ``graph`` (a dict from each node to
    the nodes it points to): a non-empty plain ``list`` of distinct nodes, each pointing to the
    next and the last to the first. Any cycle of the graph, from any of its nodes, passes. The
    message says what is wrong without naming a node; ``show=True`` (visible tests only) adds
    what was returned."""
    problem = _cycle_problem(cycle, graph)
    if problem is None:
        return
    text = f"{message} ({problem})"
    if show:
        text += f"\n  returned: {describe(cycle)}"
    raise AssertionError(text)


# --- a Raft network that runs a learner's vote and append-entries rules ----------------------

__all__ += ["RaftSimulation", "raft_run"]


def _raft_entry(entry: Any) -> bool:
    return isinstance(entry, dict) and type(entry.get("term")) is int and "command" in entry


def _raft_problem(result: Any, rule: str, flag: str) -> str | None:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return f"{rule} must return a pair (new_state, reply)"
    state, reply = result
    if not isinstance(state, dict) or not {"term", "voted_for", "log", "commit_index"} <= set(
        state
    ):
        return f"{rule}'s new state must be a dict with term, voted_for, log and commit_index"
    if type(state["term"]) is not int or type(state["commit_index"]) is not int:
        return f"{rule}'s new state must keep term and commit_index as int"
    if not isinstance(state["log"], list) or not all(_raft_entry(e) for e in state["log"]):
        return f"{rule}'s new state must keep log as a list of {{'term', 'command'}} dicts"
    if not isinstance(reply, dict) or type(reply.get("term")) is not int:
        return f"{rule}'s reply must be a dict with an int term"
    if type(reply.get(flag)) is not bool:
        return f"{rule}'s reply must say {flag} as True or False"
    if flag == "success" and type(reply.get("match_index")) is not int:
        return f"{rule}'s reply must give match_index as an int"
    return None


class RaftSimulation:
    """A deterministic Raft network: timers, elections, replication and commits are played
    here; what a node does with a RequestVote or an AppendEntries message is decided by the two
    rules given, plain functions ``rule(state, request) -> (new_state, reply)``.

    Two extensions are off unless their rule is given. With ``pre_vote``, a node whose timer
    fires first asks for pre-votes for the term it would stand for, without raising its own;
    only when a majority (itself included) grants them does it start a real election. A node
    answers with ``pre_vote(state, request, heard_from_leader) -> reply``, where
    ``heard_from_leader`` says whether it heard a leader of its term in the last
    ``min_timeout`` ticks (or leads itself). With ``check_quorum``, every leader asks
    ``check_quorum(last_heard, now, elected_at, timeout) -> bool`` after every tick, where
    ``last_heard`` maps each other node to the tick of its last reply in this term (or None);
    a leader told False steps down to follower.

    Time moves in ticks (:meth:`step`). Each message takes 1-3 ticks, and is lost with
    probability ``loss`` or when a partition (:meth:`partition`) separates its two ends. A
    node that hears no leader for its election timeout (10-20 ticks, drawn at random) starts an
    election. Everything random comes from ``seed``, so a run can be replayed exactly.

    Safety is checked after every tick and broken rules are kept in ``violations``: two leaders
    in one term; a leader elected without every committed entry; a committed entry no longer
    on a majority of the logs, or committed differently on two nodes; a commit index that
    shrinks or points past the end of its log.
    """

    def __init__(
        self,
        request_vote: Callable[..., Any],
        append_entries: Callable[..., Any],
        *,
        nodes: int = 3,
        seed: int = 0,
        loss: float = 0.0,
        heartbeat: int = 4,
        batch: int = 4,
        pre_vote: Callable[..., Any] | None = None,
        check_quorum: Callable[..., Any] | None = None,
        quorum_timeout: int = 20,
    ) -> None:
        self.request_vote = request_vote
        self.append_entries = append_entries
        self.pre_vote = pre_vote
        self.check_quorum = check_quorum
        self.quorum_timeout = quorum_timeout
        self.min_timeout = 10
        self.pre_votes: dict[str, set[str]] = {}
        self.last_heard: dict[str, dict[str, int | None]] = {}
        self.elected_at: dict[str, int] = {}
        self.rng = random.Random(seed)
        self.ids = self.ids_for(nodes)
        self.states: dict[str, dict[str, Any]] = {
            n: {"id": n, "term": 0, "voted_for": None, "log": [], "commit_index": 0}
            for n in self.ids
        }
        self.roles = dict.fromkeys(self.ids, "follower")
        self.contact: dict[str, int | None] = dict.fromkeys(self.ids)
        self.time = 0
        self.deadline = {n: self._timeout() for n in self.ids}
        self.votes: dict[str, set[str]] = {n: set() for n in self.ids}
        self.next_index: dict[str, dict[str, int]] = {}
        self.match_index: dict[str, dict[str, int]] = {}
        self.loss = loss
        self.heartbeat = heartbeat
        self.batch = batch
        self.groups: list[set[str]] | None = None
        self.cut_links: set[frozenset[str]] = set()
        self.queue: list[tuple[int, int, str, str, str, dict[str, Any]]] = []
        self._seq = 0
        self.leaders: dict[int, list[str]] = {}
        self.committed: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.events: list[tuple[int, str]] = []
        self.sent = 0
        self.dropped = 0

    # -- the network ---------------------------------------------------------------------------

    @staticmethod
    def ids_for(nodes: int) -> list[str]:
        """The names of a network of ``nodes`` nodes: n1, n2, ..."""
        return [f"n{i + 1}" for i in range(nodes)]

    def _timeout(self) -> int:
        return self.time + self.rng.randint(10, 20)

    def connected(self, a: str, b: str) -> bool:
        """True when no partition separates ``a`` from ``b``."""
        if frozenset((a, b)) in self.cut_links:
            return False
        return self.groups is None or any(a in g and b in g for g in self.groups)

    def cut(self, a: str, b: str) -> None:
        """Cut the one link between ``a`` and ``b``: each can still reach every other node."""
        self.cut_links.add(frozenset((a, b)))
        self.events.append((self.time, f"link {a}-{b} cut"))

    def partition(self, *groups: Any) -> None:
        """Cut the network into ``groups`` (sets of node ids); messages between groups are lost."""
        self.groups = [set(g) for g in groups]
        self.events.append(
            (self.time, "partition " + " | ".join(",".join(sorted(g)) for g in groups))
        )

    def heal(self, *, loss: float | None = None) -> None:
        """Join the network again (and set the loss rate, if given)."""
        self.groups = None
        self.cut_links.clear()
        if loss is not None:
            self.loss = loss
        self.events.append((self.time, "network healed"))

    def _send(self, kind: str, src: str, dst: str, payload: dict[str, Any]) -> None:
        self.sent += 1
        if not self.connected(src, dst) or self.rng.random() < self.loss:
            self.dropped += 1
            return
        self._seq += 1
        at = self.time + self.rng.randint(1, 3)
        self.queue.append((at, self._seq, kind, src, dst, payload))

    def _call(self, rule: Callable[..., Any], name: str, flag: str, node: str, request: Any) -> Any:
        result = rule(copy.deepcopy(self.states[node]), copy.deepcopy(request))
        problem = _raft_problem(result, name, flag)
        if problem is not None:
            raise AssertionError(problem)
        state, reply = result
        return dict(state), dict(reply)

    # -- roles ---------------------------------------------------------------------------------

    def leader(self) -> str | None:
        """The node that leads the highest term now, if any."""
        leading = [n for n in self.ids if self.roles[n] == "leader"]
        return max(leading, key=lambda n: self.states[n]["term"]) if leading else None

    def _follow(self, node: str) -> None:
        if self.roles[node] != "follower":
            self.events.append(
                (self.time, f"{node} steps down in term {self.states[node]['term']}")
            )
        self.roles[node] = "follower"

    def heard_from_leader(self, node: str) -> bool:
        """True when ``node`` leads, or heard a leader of its term in the last ``min_timeout``
        ticks."""
        seen = self.contact[node]
        return self.roles[node] == "leader" or (
            seen is not None and self.time - seen < self.min_timeout
        )

    def _ask_pre_votes(self, node: str) -> None:
        state = self.states[node]
        self.pre_votes[node] = {node}
        self.deadline[node] = self._timeout()
        self.events.append((self.time, f"{node} asks pre-votes for term {state['term'] + 1}"))
        log = state["log"]
        request = {
            "term": state["term"] + 1,
            "candidate_id": node,
            "last_log_index": len(log),
            "last_log_term": log[-1]["term"] if log else 0,
        }
        for peer in self.ids:
            if peer != node:
                self._send("pre_vote", node, peer, request)
        self._count_pre_votes(node)

    def _count_pre_votes(self, node: str) -> None:
        if node in self.pre_votes and 2 * len(self.pre_votes[node]) > len(self.ids):
            del self.pre_votes[node]
            self._campaign(node)

    def _campaign(self, node: str) -> None:
        self.pre_votes.pop(node, None)
        state = self.states[node]
        state["term"] += 1
        state["voted_for"] = node
        self.roles[node] = "candidate"
        self.votes[node] = {node}
        self.deadline[node] = self._timeout()
        self.events.append((self.time, f"{node} stands for term {state['term']}"))
        log = state["log"]
        request = {
            "term": state["term"],
            "candidate_id": node,
            "last_log_index": len(log),
            "last_log_term": log[-1]["term"] if log else 0,
        }
        for peer in self.ids:
            if peer != node:
                self._send("vote", node, peer, request)
        self._count_votes(node)

    def _count_votes(self, node: str) -> None:
        if self.roles[node] == "candidate" and 2 * len(self.votes[node]) > len(self.ids):
            self._lead(node)

    def _lead(self, node: str) -> None:
        state = self.states[node]
        term = state["term"]
        self.roles[node] = "leader"
        self.leaders.setdefault(term, []).append(node)
        self.events.append((self.time, f"{node} leads term {term}"))
        if len(self.leaders[term]) > 1:
            self.violations.append(f"two leaders in term {term}")
        if state["log"][: len(self.committed)] != self.committed:
            self.violations.append(f"the leader of term {term} lacks a committed entry")
        self.next_index[node] = {p: len(state["log"]) + 1 for p in self.ids if p != node}
        self.match_index[node] = {p: 0 for p in self.ids if p != node}
        self.last_heard[node] = {p: None for p in self.ids if p != node}
        self.elected_at[node] = self.time
        self._replicate(node)

    def _replicate(self, node: str) -> None:
        state = self.states[node]
        log = state["log"]
        for peer in self.next_index[node]:
            prev = min(self.next_index[node][peer] - 1, len(log))
            request = {
                "term": state["term"],
                "leader_id": node,
                "prev_log_index": prev,
                "prev_log_term": log[prev - 1]["term"] if prev > 0 else 0,
                "entries": copy.deepcopy(log[prev : prev + self.batch]),
                "leader_commit": state["commit_index"],
            }
            self._send("append", node, peer, request)

    def propose(self, command: str) -> bool:
        """Give ``command`` to the current leader, which appends it to its log; False when no
        node leads."""
        node = self.leader()
        if node is None:
            return False
        state = self.states[node]
        state["log"].append({"term": state["term"], "command": command})
        self._advance_commit(node)
        return True

    def _advance_commit(self, node: str) -> None:
        state = self.states[node]
        log = state["log"]
        for index in range(len(log), state["commit_index"], -1):
            if log[index - 1]["term"] != state["term"]:
                break
            copies = 1 + sum(m >= index for m in self.match_index[node].values())
            if 2 * copies > len(self.ids):
                state["commit_index"] = index
                break

    # -- delivery ------------------------------------------------------------------------------

    def _deliver(self, kind: str, src: str, dst: str, payload: dict[str, Any]) -> None:
        old = self.states[dst]
        if kind == "vote":
            state, reply = self._call(
                self.request_vote, "request_vote", "vote_granted", dst, payload
            )
            self._adopt(dst, old, state)
            if reply["vote_granted"]:
                self.deadline[dst] = self._timeout()
            self._send("vote_reply", dst, src, {**reply, "voter": dst})
        elif kind == "append":
            state, reply = self._call(
                self.append_entries, "append_entries", "success", dst, payload
            )
            self._adopt(dst, old, state)
            if payload["term"] >= old["term"]:
                self.deadline[dst] = self._timeout()
                self.contact[dst] = self.time
                self.pre_votes.pop(dst, None)
                if self.roles[dst] == "candidate" and state["term"] == payload["term"]:
                    self._follow(dst)
            self._send(
                "append_reply", dst, src, {**reply, "peer": dst, "sent_term": payload["term"]}
            )
        elif kind == "pre_vote":
            assert self.pre_vote is not None
            heard = self.heard_from_leader(dst)
            reply = self.pre_vote(copy.deepcopy(old), copy.deepcopy(payload), heard)
            if not isinstance(reply, dict) or type(reply.get("term")) is not int:
                raise AssertionError("pre_vote must return a reply dict with an int term")
            if type(reply.get("vote_granted")) is not bool:
                raise AssertionError("pre_vote's reply must say vote_granted as True or False")
            self._send(
                "pre_vote_reply", dst, src, {**reply, "voter": dst, "asked": payload["term"]}
            )
        elif kind == "pre_vote_reply":
            asked = self.states[dst]["term"] + 1
            if payload["vote_granted"] and payload["asked"] == asked and dst in self.pre_votes:
                if self.roles[dst] != "leader":
                    self.pre_votes[dst].add(payload["voter"])
                    self._count_pre_votes(dst)
        elif kind == "vote_reply":
            if not self._newer_term(dst, payload["term"]):
                state = self.states[dst]
                if payload["vote_granted"] and payload["term"] == state["term"]:
                    self.votes[dst].add(payload["voter"])
                    self._count_votes(dst)
        elif kind == "append_reply":
            if self._newer_term(dst, payload["term"]):
                return
            state = self.states[dst]
            if self.roles[dst] != "leader" or payload["sent_term"] != state["term"]:
                return
            peer = payload["peer"]
            self.last_heard[dst][peer] = self.time
            if payload["success"]:
                match = min(
                    max(self.match_index[dst][peer], payload["match_index"]), len(state["log"])
                )
                self.match_index[dst][peer] = match
                self.next_index[dst][peer] = match + 1
                self._advance_commit(dst)
            else:
                self.next_index[dst][peer] = max(1, self.next_index[dst][peer] - 1)

    def _adopt(self, node: str, old: dict[str, Any], state: dict[str, Any]) -> None:
        if state["commit_index"] < old["commit_index"]:
            self.violations.append(f"{node}'s commit index went back")
        self.states[node] = state
        if state["term"] > old["term"]:
            self._follow(node)

    def _newer_term(self, node: str, term: int) -> bool:
        state = self.states[node]
        if term <= state["term"]:
            return False
        state["term"] = term
        state["voted_for"] = None
        self._follow(node)
        return True

    # -- time ----------------------------------------------------------------------------------

    def step(self) -> None:
        """One tick: deliver what arrives, fire timers, send heartbeats, check safety."""
        self.time += 1
        arriving = sorted(m for m in self.queue if m[0] <= self.time)
        self.queue = [m for m in self.queue if m[0] > self.time]
        for _, _, kind, src, dst, payload in arriving:
            if self.connected(src, dst):
                self._deliver(kind, src, dst, payload)
            else:
                self.dropped += 1
        for node in self.ids:
            if self.roles[node] != "leader" and self.time >= self.deadline[node]:
                if self.pre_vote is None:
                    self._campaign(node)
                else:
                    self._ask_pre_votes(node)
        if self.check_quorum is not None:
            for node in self.ids:
                if self.roles[node] == "leader":
                    self._check_leadership(node)
        if self.time % self.heartbeat == 0:
            for node in self.ids:
                if self.roles[node] == "leader":
                    self._replicate(node)
        self._check()

    def _check_leadership(self, node: str) -> None:
        assert self.check_quorum is not None
        keep = self.check_quorum(
            dict(self.last_heard[node]), self.time, self.elected_at[node], self.quorum_timeout
        )
        if type(keep) is not bool:
            raise AssertionError("check_quorum must return True or False")
        if not keep:
            self._follow(node)
            self.deadline[node] = self._timeout()

    def _check(self) -> None:
        for node in self.ids:
            state = self.states[node]
            log, commit = state["log"], state["commit_index"]
            if commit > len(log):
                self.violations.append(f"{node}'s commit index is past the end of its log")
                continue
            prefix = log[:commit]
            common = min(len(prefix), len(self.committed))
            if prefix[:common] != self.committed[:common]:
                self.violations.append(f"{node} committed an entry other than another node did")
            elif len(prefix) > len(self.committed):
                self.committed = copy.deepcopy(prefix)
        for index, entry in enumerate(self.committed):
            holders = sum(
                index < len(s["log"]) and s["log"][index] == entry for s in self.states.values()
            )
            if 2 * holders <= len(self.ids):
                self.violations.append(f"committed entry {index + 1} is no longer on a majority")
                break

    def snapshot(self) -> dict[str, Any]:
        """Every node's role, term, log (as terms) and commit index, as plain data."""
        return {
            "time": self.time,
            "nodes": {
                n: {
                    "role": self.roles[n],
                    "term": s["term"],
                    "log": [e["term"] for e in s["log"]],
                    "commit_index": s["commit_index"],
                }
                for n, s in self.states.items()
            },
        }


def raft_run(
    request_vote: Callable[..., Any],
    append_entries: Callable[..., Any],
    *,
    seed: int,
    nodes: int = 3,
    loss: float = 0.1,
    ticks: int = 300,
    partition_at: int = 80,
    heal_at: int = 160,
    cut: str = "leader",
    pre_vote: Callable[..., Any] | None = None,
    check_quorum: Callable[..., Any] | None = None,
) -> dict[str, Any]:
    """Run a :class:`RaftSimulation` with the two rules (and ``pre_vote`` and ``check_quorum``
    when given): commands proposed every 4 ticks; at ``partition_at`` one node is cut off from
    the others (``cut="leader"``: the leader, or ``n1``; ``cut="follower"``: a node that does
    not lead), or with ``cut="link"`` only the link between the leader and that follower is
    cut, and no command is proposed until the heal (an idle cluster with one broken link); at
    ``heal_at`` the network heals (no partition, no loss).

    Returns plain data: ``violations`` (safety), ``leaders`` (term -> nodes that led it),
    ``committed`` (how many entries are committed), ``proposed_after_heal`` and
    ``committed_after_heal`` (liveness), ``cut_off`` (the node cut off), ``cut_off_led_for``
    (how many ticks of the partition it still led), ``term_at_cut``, ``term_at_heal`` and
    ``term_at_end`` (the highest term of any node then)."""
    sim = RaftSimulation(
        request_vote,
        append_entries,
        nodes=nodes,
        seed=seed,
        loss=loss,
        pre_vote=pre_vote,
        check_quorum=check_quorum,
    )
    after_heal: list[str] = []
    alone = sim.ids[0]
    led_for = 0
    term_at_heal = term_at_cut = 0
    for tick in range(1, ticks + 1):
        if tick == partition_at:
            leader = sim.leader()
            term_at_cut = max(s["term"] for s in sim.states.values())
            if cut == "leader":
                alone = leader or sim.ids[0]
            else:
                alone = next(n for n in reversed(sim.ids) if n != leader)
            if cut == "link":
                sim.cut(leader or sim.ids[0], alone)
            else:
                sim.partition({alone}, set(sim.ids) - {alone})
        if tick == heal_at:
            sim.heal(loss=0.0)
            term_at_heal = max(s["term"] for s in sim.states.values())
        if partition_at <= tick < heal_at and sim.roles[alone] == "leader":
            led_for += 1
        if tick % 4 == 0 and not (cut == "link" and partition_at <= tick < heal_at):
            command = f"c{tick}"
            if sim.propose(command) and tick >= heal_at and tick <= ticks - 60:
                after_heal.append(command)
        sim.step()
    committed = {e["command"] for e in sim.committed}
    return {
        "violations": sorted(set(sim.violations)),
        "leaders": {term: list(names) for term, names in sim.leaders.items()},
        "committed": len(sim.committed),
        "proposed_after_heal": len(after_heal),
        "committed_after_heal": sum(c in committed for c in after_heal),
        "cut_off": alone,
        "cut_off_led_for": led_for,
        "term_at_cut": term_at_cut,
        "term_at_heal": term_at_heal,
        "term_at_end": max(s["term"] for s in sim.states.values()),
    }


# -- Containerfiles and Kubernetes manifests (ps18) ---------------------------------------------
__all__ += ["containerfile_stages", "exec_form", "copy_parts", "kubernetes_errors"]


def containerfile_stages(text: str) -> list[dict[str, Any]]:
    """The stages of a Containerfile, read by ``dockerfile-parse`` (the parser build tools in
    Python use): one dict per ``FROM``, ``{"base": image, "name": alias or None,
    "instructions": [(INSTRUCTION, value), ...]}``, instructions upper-case and in order, the
    ``FROM`` itself left out. ``ValueError`` when the text is not a string or an instruction
    other than ``ARG`` comes before the first ``FROM``."""
    if type(text) is not str:
        raise ValueError(f"a Containerfile is text (str), not {_article(type(text).__name__)}")
    import io

    from dockerfile_parse import DockerfileParser  # imported here: only ps18 needs it

    parser = DockerfileParser(fileobj=io.BytesIO(text.encode()))
    stages: list[dict[str, Any]] = []
    for item in parser.structure:
        instruction, value = str(item["instruction"]).upper(), str(item["value"]).strip()
        if instruction == "FROM":
            words = value.split()
            flags = [w for w in words if w.startswith("--")]
            words = [w for w in words if not w.startswith("--")]
            name = words[2] if len(words) == 3 and words[1].lower() == "as" else None
            if len(words) not in (1, 3) or (len(words) == 3 and name is None):
                raise ValueError(f"line {item['startline'] + 1}: FROM image [AS name]")
            stages.append({"base": words[0], "name": name, "flags": flags, "instructions": []})
        elif instruction == "COMMENT":
            continue
        elif not stages:
            if instruction != "ARG":
                raise ValueError(f"line {item['startline'] + 1}: {instruction} before any FROM")
        else:
            stages[-1]["instructions"].append((instruction, value))
    return stages


def exec_form(value: str) -> list[str] | None:
    """The list of an instruction written in exec form (a JSON array of strings, as in
    ``ENTRYPOINT ["python3", "app.py"]``), or None for the shell form."""
    import json

    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    if type(parsed) is list and all(type(item) is str for item in parsed):
        return parsed
    return None


def copy_parts(value: str) -> tuple[dict[str, str], list[str], str]:
    """A ``COPY`` or ``ADD`` value split into its flags (``{"from": "build"}``), its sources
    and its destination (exec form or not)."""
    words = exec_form(value)
    if words is None:
        words = value.split()
    flags = {}
    while words and words[0].startswith("--"):
        key, _, flag_value = words.pop(0)[2:].partition("=")
        flags[key.lower()] = flag_value
    if len(words) < 2:
        return flags, words, ""
    return flags, words[:-1], words[-1]


def kubernetes_errors(document: Any, version: str = "1.30") -> list[str]:
    """What the Kubernetes API schema of ``version`` (bundled by ``kubernetes-validate``, no
    cluster needed) finds wrong in one manifest, strictly (unknown fields are errors); ``[]``
    when it is valid. Each error names where in the manifest it is."""
    import kubernetes_validate  # imported here: only ps18 needs it

    if type(document) is not dict:
        return [f"a manifest is a dict, not {_article(type(document).__name__)}"]
    if type(document.get("kind")) is not str or type(document.get("apiVersion")) is not str:
        return ["a manifest needs apiVersion and kind, both strings"]
    try:
        kubernetes_validate.validate(document, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = ".".join(str(part) for part in error.path) or "(the top level)"
        return [f"{where}: {error.message}"]
    except kubernetes_validate.SchemaNotFoundError:
        return [f"Kubernetes {version} has no {document['kind']} in {document['apiVersion']}"]
    return []


# A load balancer's policy, run by a discrete-event simulation ------------------------------
# For the scalability exercises: a learner's policy (a plain function of the servers' queue
# lengths and a seed) sends each arriving request to one server of a simulated cluster; SimPy
# runs the cluster, and the check reads the response times. Every random draw comes from one
# generator in an order that does not depend on the policy's choices, so one policy always gives
# the same result.

__all__ += ["BalancerRun", "simulate_balancer", "percentile"]


@dataclass(frozen=True)
class BalancerRun:
    """What :func:`simulate_balancer` measured: response times in units of the mean service
    time, after the warm-up."""

    requests: int
    mean: float
    p50: float
    p99: float
    longest_queue: int


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (``fraction`` 0.99 is the 99th)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def simulate_balancer(
    policy: Callable[[list[int], int], Any],
    *,
    servers: int = 8,
    load: float = 0.9,
    requests: int = 3000,
    seed: int = 0,
    warmup: float = 0.1,
) -> BalancerRun:
    """Run ``servers`` single-worker FIFO servers (exponential service, mean 1) behind
    ``policy``, with Poisson arrivals at ``load`` x ``servers`` requests per unit of time.

    At each arrival, ``policy(queue_lengths, seed)`` is called with a new list of each server's
    outstanding requests (waiting plus in service) and a fresh random 32-bit seed; it must
    return the index of a server, a plain ``int``. Anything else fails the check with a message
    that says what came back, never the list it was given. The first ``warmup`` fraction of
    requests is left out of the statistics."""
    import random

    import simpy

    draw = random.Random(seed)
    env = simpy.Environment()
    cluster = [simpy.Resource(env, capacity=1) for _ in range(servers)]
    times: list[tuple[int, float]] = []
    longest = [0]

    def job(number: int, server: Any, service: float) -> Generator[Any, Any, None]:
        arrived = env.now
        with server.request() as turn:
            yield turn
            yield env.timeout(service)
        times.append((number, env.now - arrived))

    def arrivals() -> Generator[Any, Any, None]:
        for number in range(requests):
            yield env.timeout(draw.expovariate(load * servers))
            lengths = [len(server.queue) + server.count for server in cluster]
            longest[0] = max(longest[0], *lengths)
            choice = policy(list(lengths), draw.getrandbits(32))
            if type(choice) is not int:
                raise AssertionError(
                    f"the policy must return a server's index as an int, not "
                    f"{_article(type(choice).__name__)}"
                )
            if not 0 <= choice < servers:
                raise AssertionError(
                    f"the policy returned {choice}, which is not the index of one of the "
                    f"{servers} servers (0 to {servers - 1})"
                )
            env.process(job(number, cluster[choice], draw.expovariate(1.0)))

    env.process(arrivals())
    env.run()
    kept = [time for number, time in times if number >= int(warmup * requests)]
    return BalancerRun(
        requests=len(kept),
        mean=sum(kept) / len(kept),
        p50=percentile(kept, 0.5),
        p99=percentile(kept, 0.99),
        longest_queue=longest[0],
    )


# CPU time of one call, where the answer's code runs ---------------------------------------
# For the thread-safety exercises: threads that wait must sleep, not spin. A grader that runs the
# answer in another process reads that process's clocks from outside, as growth checks do.

__all__ += ["cpu_seconds"]


def cpu_seconds(func: Callable[..., Any], *args: Any) -> float:
    """The CPU seconds, every thread counted, that one call ``func(*args)`` took where the
    answer's code runs (what it returns is not kept). In a kernel that is this process's clock;
    under a grader that runs the answer in another process (see :data:`CALL_TIMER`), ``func``
    is an answer's function, a :class:`Beside` or a function that stays in that process, and
    that process's clocks are read from outside, so nothing in it can change what they say."""
    if CALL_TIMER is not None:
        elapsed = CALL_TIMER(func, [args], None)
        if elapsed is not None:
            return elapsed
    start = time.process_time()
    func(*args)
    return time.process_time() - start
