"""The checking helpers for deep inputs, races and orders (graph, tree and concurrency
exercises): they restore what they change, catch what they are meant to catch, and pass
correct code."""

from __future__ import annotations

import sys
import threading

import pytest

import advpy.checks as checks
from advpy.checks import (
    DEFAULT_RECURSION_LIMIT,
    YieldingFloat,
    expect_topological_order,
    recursion_limit,
    run_in_threads,
    switch_interval,
)


def _depth(n: int) -> int:
    return 0 if n == 0 else 1 + _depth(n - 1)


def test_recursion_limit_applies_the_default_and_restores_the_previous_one() -> None:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(50_000)
    try:
        assert _depth(5_000) == 5_000
        with recursion_limit():
            assert sys.getrecursionlimit() == DEFAULT_RECURSION_LIMIT
            with pytest.raises(RecursionError):
                _depth(5_000)
        assert sys.getrecursionlimit() == 50_000
    finally:
        sys.setrecursionlimit(previous)


def test_switch_interval_restores_the_previous_interval_even_after_an_error() -> None:
    previous = sys.getswitchinterval()
    with pytest.raises(ValueError), switch_interval(1e-6):
        assert sys.getswitchinterval() < 1e-5
        raise ValueError
    assert sys.getswitchinterval() == previous


def test_yielding_float_is_the_same_number_and_stays_yielding(monkeypatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(checks.time, "sleep", sleeps.append)
    x = YieldingFloat(2.5)
    assert x == 2.5 and hash(x) == hash(2.5) and isinstance(x, float)
    for value in (x + 1, 1 + x, x - 0.5, 10 - x, x * 2, 2 * x, x / 2, 5 / x, -x, abs(x)):
        assert type(value) is YieldingFloat
    assert float(x * 4) == 10.0 and min(3, x) == 2.5 and type(min(3, x)) is YieldingFloat
    assert (x < 3) is True and (x >= 2.5) is True and (x == 2) is False
    assert len(sleeps) >= 14, "every operation must hand over to other threads first"
    assert type(float(x)) is float


def test_run_in_threads_returns_every_result() -> None:
    lock = threading.Lock()
    count = [0]

    def call() -> int:
        with lock:
            count[0] += 1
            return count[0]

    results = run_in_threads(call, threads=6, calls=25)
    assert sorted(results) == list(range(1, 151))


def test_run_in_threads_raises_what_a_call_raised() -> None:
    def call() -> None:
        raise KeyError("boom")

    with pytest.raises(KeyError):
        run_in_threads(call, threads=4, calls=3)


def test_run_in_threads_reports_a_thread_that_never_finishes() -> None:
    release = threading.Event()
    with pytest.raises(AssertionError, match="deadlock"):
        run_in_threads(release.wait, threads=3, calls=1, timeout=0.5, name="wait")
    release.set()


class _Stock:
    """A check-then-act over two lines, with or without a lock."""

    def __init__(self, items: int, locked: bool) -> None:
        self.items = items
        self.lock = threading.Lock() if locked else None

    def take_unlocked(self) -> bool:
        if self.items > 0:
            remaining = self.items
            self.items = remaining - 1
            return True
        return False

    def take(self) -> bool:
        if self.lock is None:
            return self.take_unlocked()
        with self.lock:
            return self.take_unlocked()


def test_interleaving_exposes_a_race_that_a_lock_prevents() -> None:
    caught = 0
    for _ in range(5):
        racy = _Stock(40, locked=False)
        with switch_interval(1e-6):
            taken = run_in_threads(racy.take, threads=8, calls=10, interleave=True)
        caught += sum(taken) > 40
    assert caught >= 1, "five interleaved runs of an unlocked check-then-act never raced"
    for _ in range(3):
        safe = _Stock(40, locked=True)
        with switch_interval(1e-6):
            taken = run_in_threads(safe.take, threads=8, calls=10, interleave=True)
        assert sum(taken) == 40


NODES = ["a", "b", "c", 0, None]
EDGES = [("a", "b"), ("b", "c"), ("a", "c"), (None, 0)]


@pytest.mark.parametrize(
    "order", [["a", "b", "c", None, 0], [None, "a", 0, "b", "c"], ["a", None, "b", 0, "c"]]
)
def test_topological_order_accepts_every_valid_order(order: list) -> None:
    expect_topological_order(order, NODES, EDGES, "valid")


class _EqualsAnything:
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("a")


@pytest.mark.parametrize(
    ("order", "reason"),
    [
        (("a", "b", "c", None, 0), "not a list"),
        (["a", "b", "c", None], "missing"),
        (["a", "b", "c", None, 0, 0], "more than once"),
        (["b", "a", "c", None, 0], "not placed before"),
        (["a", "b", "c", None, False], "not one of the nodes"),
        ([_EqualsAnything(), "b", "c", None, 0], "not one of the nodes"),
        (["a", "b", "c", None, [0]], "not one of the nodes"),
    ],
)
def test_topological_order_rejects_wrong_results(order: object, reason: str) -> None:
    with pytest.raises(AssertionError, match=reason) as failure:
        expect_topological_order(order, NODES, EDGES, "checked")
    assert "returned" not in str(failure.value), "hidden checks must not show the result"


def test_topological_order_shows_the_result_only_when_asked() -> None:
    with pytest.raises(AssertionError, match=r"returned: \['b', 'a'\]"):
        expect_topological_order(["b", "a"], ["a", "b"], [("a", "b")], "visible", show=True)


def test_a_self_loop_has_no_topological_order() -> None:
    with pytest.raises(AssertionError):
        expect_topological_order(["x"], ["x"], [("x", "x")], "self-loop")
