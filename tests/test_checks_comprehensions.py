"""The check helpers of the comprehensions exercises: traced peak memory, and an iterator that
counts pulls and refuses to be read too far."""

from __future__ import annotations

import itertools
import tracemalloc
from typing import Any

import pytest

import advpy.checks
from advpy.checks import CountingIterator, PulledTooFar, expect_peak_below, traced_peak


def test_traced_peak_counts_what_the_call_allocates() -> None:
    peak, result = traced_peak(lambda: len(bytearray(2_000_000)))
    assert result == 2_000_000
    assert 2_000_000 <= peak < 2_200_000


def test_traced_peak_ignores_what_existed_before_and_streams_stay_small() -> None:
    data = list(range(200_000))
    eager, total = traced_peak(lambda: sum([x * x for x in data]))
    lazy, same_total = traced_peak(lambda: sum(x * x for x in data))
    assert total == same_total
    assert eager > 1_000_000  # 200 000 squares held at once
    assert lazy < 10_000  # one square at a time; the input list is not counted


def test_traced_peak_leaves_tracing_as_it_found_it() -> None:
    assert not tracemalloc.is_tracing()
    traced_peak(lambda: None)
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        peak, _ = traced_peak(lambda: bytes(500_000))
        assert tracemalloc.is_tracing()
        assert peak >= 500_000
    finally:
        tracemalloc.stop()


def test_traced_peak_stops_tracing_when_the_call_raises() -> None:
    def boom() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        traced_peak(boom)
    assert not tracemalloc.is_tracing()


def test_expect_peak_below_returns_the_result_or_fails_with_both_numbers() -> None:
    assert expect_peak_below(lambda: 42, 100_000, "small") == 42
    with pytest.raises(AssertionError, match=r"too much \(peak [\d,]+ KiB, allowed 98 KiB\)"):
        expect_peak_below(lambda: bytearray(1_000_000), 100_000, "too much")


def test_counting_iterator_counts_and_ends() -> None:
    source = CountingIterator([5, 6, 7])
    assert iter(source) is source
    assert next(source) == 5 and source.pulled == 1
    assert list(source) == [6, 7]
    assert source.pulled == 3 and source.empty_pulls == 1
    assert next(source, "end") == "end" and source.empty_pulls == 2
    assert not source.overrun


def test_counting_iterator_is_endless_without_items() -> None:
    source = CountingIterator()
    assert list(itertools.islice(source, 4)) == [0, 1, 2, 3]
    assert source.pulled == 4


def test_counting_iterator_refuses_to_go_past_its_limit() -> None:
    source = CountingIterator(limit=3, name="the stream")
    assert [next(source) for _ in range(3)] == [0, 1, 2]
    assert not source.overrun
    with pytest.raises(PulledTooFar, match="the stream was read further than needed"):
        next(source)
    assert source.overrun and source.pulled == 3
    # An answer that swallows the exception is still caught afterwards.
    swallowed = CountingIterator(limit=2)
    try:
        list(swallowed)
    except Exception:
        pass
    assert swallowed.overrun
    assert issubclass(PulledTooFar, AssertionError)


def _measured(traced: int, resident: int | None) -> Any:
    def measurer(func: Any, args: tuple[Any, ...]) -> tuple[int, int | None, Any]:
        assert type(func) is advpy.checks.Beside
        return traced, resident, ("result of", args)

    return measurer


def test_a_grader_s_outside_reading_bounds_what_the_traced_peak_can_hide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    call = advpy.checks.Beside(lambda size: size)
    margin = advpy.checks.RESIDENT_MARGIN
    monkeypatch.setattr(advpy.checks, "PEAK_MEASURER", _measured(1_000, margin + 4_000))
    assert expect_peak_below(call, 4_000, "held too much", 7) == ("result of", (7,))
    monkeypatch.setattr(advpy.checks, "PEAK_MEASURER", _measured(0, margin + 4_001))
    with pytest.raises(AssertionError, match="held too much .*resident memory rose"):
        expect_peak_below(call, 4_000, "held too much", 7)
    monkeypatch.setattr(advpy.checks, "PEAK_MEASURER", _measured(4_001, 0))
    with pytest.raises(AssertionError, match=r"held too much \(peak"):
        expect_peak_below(call, 4_000, "held too much", 7)
    monkeypatch.setattr(advpy.checks, "PEAK_MEASURER", _measured(0, None))
    with pytest.raises(AssertionError, match="held too much .*hid its memory"):
        expect_peak_below(call, 4_000, "held too much", 7)


def test_without_a_grader_the_call_and_its_arguments_are_traced_here() -> None:
    assert advpy.checks.PEAK_MEASURER is None
    with pytest.raises(AssertionError, match=r"too much \(peak"):
        expect_peak_below(
            advpy.checks.Beside(lambda size: bytearray(size)), 100_000, "too much", 2_000_000
        )
    assert (
        expect_peak_below(advpy.checks.Beside(lambda text: len(text)), 100_000, "too much", "abc")
        == 3
    )
