"""The checking helpers graded cells rely on: strict, honest, and safe against lying objects."""

from __future__ import annotations

import time

import pytest

from advpy import checks
from advpy.checks import (
    ScalingReport,
    TimeLimitExceeded,
    describe,
    expect,
    expect_list_of,
    expect_same,
    expect_scaling,
    expect_type,
    measure_scaling,
    same,
    time_limit,
)
from advpy.grade.runner import GROWTH_FAILURE


class AlwaysEqual(list):
    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


class LyingInt(int):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


class ExplodingRepr:
    def __repr__(self) -> str:
        raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ([(1, 2)], [(1, 2)]),
        ({"a": [1, 2.5]}, {"a": [1, 2.5]}),
        ({1, 2}, {2, 1}),
        ("x", "x"),
        (None, None),
        (float("nan"), float("nan")),
    ],
)
def test_same_accepts_equal_plain_values(actual: object, expected: object) -> None:
    assert same(actual, expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ([[1, 2]], [(1, 2)]),  # list instead of tuple
        ([True], [1]),  # bool is not int
        ([1.0], [1]),
        (AlwaysEqual(), []),  # a list subclass claiming equality
        ([LyingInt(3)], [4]),  # an int subclass claiming equality
        ([1, 2], [1, 2, 3]),
        ({"a": 1}, {"a": 2}),
        ({"a": 1}, {"b": 1}),
        ((1,), [1]),
    ],
)
def test_same_rejects_different_or_lying_values(actual: object, expected: object) -> None:
    assert not same(actual, expected)


def test_same_with_tolerance_for_floats() -> None:
    assert not same(0.1 + 0.2, 0.3)
    assert same(0.1 + 0.2, 0.3, rel_tol=1e-9)


def test_expect_same_hides_values_unless_shown() -> None:
    with pytest.raises(AssertionError) as hidden:
        expect_same([1, 2], [3], "the pairs differ")
    assert str(hidden.value) == "the pairs differ"
    with pytest.raises(AssertionError) as shown:
        expect_same([1, 2], [3], "f(x)", show=True)
    assert "returned: [1, 2]" in str(shown.value) and "expected: [3]" in str(shown.value)


def test_expect_same_names_a_wrong_type() -> None:
    with pytest.raises(AssertionError, match="the result is a generator, not a list"):
        expect_same((x for x in []), [], "f must return a list")


def test_expect_requires_true_itself() -> None:
    expect(True, "never")
    for falsy_or_truthy in (False, 1, "yes", None):
        with pytest.raises(AssertionError, match="must be so"):
            expect(falsy_or_truthy, "must be so")  # type: ignore[arg-type]


def test_expect_type_and_list_of_are_exact() -> None:
    expect_type([], list, "a list")
    with pytest.raises(AssertionError, match="got an AlwaysEqual"):
        expect_type(AlwaysEqual(), list, "a list")
    expect_list_of([(1,), ()], tuple, "tuples")
    with pytest.raises(AssertionError, match="an item is a list, not a tuple"):
        expect_list_of([(1,), [2]], tuple, "tuples")


def test_describe_never_runs_foreign_repr() -> None:
    assert describe([1, "a", (2,)]) == "[1, 'a', (2,)]"
    assert describe(ExplodingRepr()) == "<an object of type ExplodingRepr>"
    assert describe(AlwaysEqual()) == "<an object of type AlwaysEqual>"
    assert len(describe(list(range(1000)))) == 200


def test_time_limit_interrupts_a_runaway_loop() -> None:
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.2):
            while True:
                pass


def test_time_limit_leaves_quick_code_alone() -> None:
    with time_limit(5):
        total = sum(range(1000))
    assert total == 499500


def _linear(values: list[int]) -> int:
    return sum(values)


def _quadratic(values: list[int]) -> int:
    count = 0
    for a in values:
        for b in values:
            count += a < b
    return count


def _sized(size: int, seed: int) -> tuple[list[int]]:
    return (list(range(size)),)


def test_scaling_tells_linear_from_quadratic() -> None:
    # The verdicts differ by a factor of about 8 in growth; the margins are wide.
    linear = measure_scaling(_linear, _linear, _sized, small=2000, factor=8)
    assert linear.ok, linear
    quadratic = measure_scaling(_quadratic, _linear, _sized, small=200, factor=8)
    assert not quadratic.ok, quadratic
    message = quadratic.message("O(n)")
    assert "O(n^2)" in message or "too slow" in message
    assert "the target is O(n)" in message


def test_a_growth_far_past_the_limit_is_worded_as_decisive() -> None:
    """Only a growth near the limit says "grows too fast", the words a grader times again alone
    (a busy machine may have upset it); twice the limit or more says "grows much too fast"."""
    near = ScalingReport("f", 100, 800, growth=50.0, reference_growth=10.0, tolerance=3.0)
    far = ScalingReport("f", 100, 800, growth=61.0, reference_growth=10.0, tolerance=3.0)
    assert not near.ok and not near.decisive and not far.ok and far.decisive
    assert "f grows too fast: multiplying the input size by 8" in near.message("O(n)")
    assert "f grows much too fast: multiplying the input size by 8" in far.message("O(n)")
    assert GROWTH_FAILURE in near.message("O(n)") and GROWTH_FAILURE not in far.message("O(n)")


def test_scaling_stops_a_runaway_answer_early() -> None:
    def exponential(values: list[int]) -> int:
        def count(n: int) -> int:
            return 1 if n < 2 else count(n - 1) + count(n - 2)

        return count(len(values))

    started = time.perf_counter()
    report = measure_scaling(exponential, _linear, _sized, small=12, factor=3, rounds=3)
    assert not report.ok
    assert report.timed_out
    assert time.perf_counter() - started < 60


def test_expect_scaling_says_what_it_saw() -> None:
    report = expect_scaling(_linear, _linear, _sized, small=2000, target="O(n)")
    assert report.ok
    with pytest.raises(AssertionError, match=r"the target is O\(n\)"):
        expect_scaling(_quadratic, _linear, _sized, small=200, target="O(n)", name="pairs")


def test_scaling_counts_work_not_waiting() -> None:
    # Linear work plus a wait that grows quadratically: a wall clock would see the wait grow
    # 64x; CPU time sees only the linear work, as a busy machine's waiting should not count.
    def works_then_waits(values: list[int]) -> int:
        time.sleep((len(values) / 20_000) ** 2 / 1000)
        return sum(values)

    report = measure_scaling(works_then_waits, _linear, _sized, small=20_000, factor=8)
    assert report.ok, report


def test_growth_checks_draw_the_same_inputs_on_every_run() -> None:
    drawn: list[tuple[int, int]] = []

    def recording(size: int, seed: int) -> tuple[list[int]]:
        drawn.append((size, seed))
        return _sized(size, seed)

    measure_scaling(_linear, _linear, recording, small=2000, factor=8, rounds=2)
    sizes = {size for size, _ in drawn}
    assert sizes == {2000, 16000}
    # Drawn in turn: the seeds of each run are 0, 1, 2, ... whatever the timing does (the
    # result checks at the end draw seed 0 again), so no input is timed twice.
    timed = [seed for _, seed in drawn[: len(drawn) - 4]]
    assert timed == list(range(len(timed)))


def test_a_growth_check_times_only_right_answers() -> None:
    # Right and quadratic on small inputs, fast and wrong on the sizes timed: it must fail, and
    # say that its result is wrong, not that it is slow.
    def gives_up_when_large(values: list[int]) -> int:
        return 0 if len(values) >= 1000 else _quadratic(values)

    report = measure_scaling(gives_up_when_large, _linear, _sized, small=2000, factor=8)
    assert not report.ok and report.wrong_at == 2000, report
    assert "wrong result on an input of 2,000 items" in report.message("O(n)")
    with pytest.raises(AssertionError, match="wrong result"):
        expect_scaling(gives_up_when_large, _linear, _sized, small=2000, target="O(n)")


def test_a_growth_check_may_accept_any_right_result() -> None:
    def reversed_sum(values: list[int]) -> int:
        return -sum(values)

    def same_size(result: int, expected: int, args: tuple[list[int]]) -> bool:
        return abs(result) == abs(expected)

    assert not measure_scaling(reversed_sum, _linear, _sized, small=2000, factor=8).ok
    report = measure_scaling(reversed_sum, _linear, _sized, small=2000, factor=8, agree=same_size)
    assert report.ok, report


def test_beside_calls_the_function_here_when_no_grader_runs_it_elsewhere() -> None:
    def scaled(values: list[int], factor: int) -> list[int]:
        return [v * factor for v in values]

    assert checks.BESIDE_RUNNER is None
    assert checks.beside(scaled, [1, 2], 3) == [3, 6]
    assert checks.Beside(scaled)([4], 2) == [8]


def test_beside_hands_the_function_and_its_arguments_to_a_grader_s_runner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[object, tuple[object, ...]]] = []

    def runner(func: object, args: tuple[object, ...]) -> str:
        seen.append((func, args))
        return "ran over there"

    def work(x: int) -> int:
        return x + 1

    monkeypatch.setattr(checks, "BESIDE_RUNNER", runner)
    assert checks.beside(work, 41) == "ran over there"
    assert seen == [(work, (41,))]


def test_beside_refuses_a_function_that_uses_an_enclosing_function_s_variables() -> None:
    factor = 3

    def scaled(x: int) -> int:
        return x * factor

    with pytest.raises(TypeError, match="enclosing"):
        checks.Beside(scaled)
    with pytest.raises(TypeError):
        checks.Beside(len)  # a built-in has no code to send
