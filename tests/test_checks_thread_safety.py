"""The checking helpers for thread-safety exercises: run_together and call_with_timeout start
calls together, hand back results and errors, stop waiting at the deadline, and interleave."""

from __future__ import annotations

import threading
import time

import pytest

from advpy.checks import call_with_timeout, run_together, switch_interval


def test_run_together_returns_results_in_the_order_of_the_calls() -> None:
    def slow() -> str:
        time.sleep(0.05)
        return "slow"

    assert run_together([slow, lambda: "fast", lambda: None]) == ["slow", "fast", None]
    assert run_together([]) == []


def test_run_together_starts_the_calls_at_the_same_time() -> None:
    meeting = threading.Barrier(3, timeout=5)
    assert run_together([meeting.wait] * 3, timeout=10) is not None


def test_run_together_raises_the_first_calls_error() -> None:
    def first() -> None:
        time.sleep(0.05)
        raise KeyError("first")

    def second() -> None:
        raise ValueError("second")

    with pytest.raises(KeyError):
        run_together([first, second])


def test_run_together_fails_with_the_message_when_a_call_never_returns() -> None:
    lock = threading.Lock()
    lock.acquire()
    start = time.monotonic()
    with pytest.raises(AssertionError, match="stuck here"):
        run_together([lambda: None, lock.acquire], timeout=0.3, message="stuck here")
    assert time.monotonic() - start < 5
    lock.release()  # lets the abandoned daemon thread finish


def test_call_with_timeout_returns_or_reraises_or_fails() -> None:
    assert call_with_timeout(lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        call_with_timeout(lambda: 1 // 0)
    release = threading.Event()
    with pytest.raises(AssertionError, match="never came back"):
        call_with_timeout(release.wait, timeout=0.2, message="never came back")
    release.set()


class _Cache:
    """A check-then-act over several lines, with no lock."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self.loads = 0

    def get(self, key: str) -> int:
        if key not in self.values:
            loads = self.loads
            self.loads = loads + 1
            self.values[key] = loads
        return self.values[key]


def test_interleave_exposes_a_check_then_act_race() -> None:
    # A yield lets another thread run only if the machine gives it a core: on cores kept busy by
    # other work a run can miss the race, so up to twenty runs are made, stopping at the first.
    raced = 0
    for _ in range(20):
        cache = _Cache()
        with switch_interval(1e-6):
            run_together([lambda c=cache: c.get("k")] * 6, interleave=cache.get)
        raced += cache.loads > 1
        if raced:
            break
    assert raced >= 1, "twenty interleaved runs of an unlocked check-then-act never raced"


def test_interleave_leaves_no_trace_function_behind() -> None:
    import sys

    cache = _Cache()
    run_together([lambda: cache.get("k")] * 2, interleave=cache.get)
    assert sys.gettrace() is None
