"""The exception helpers of advpy.checks: raised_by hands back whatever was raised (even
KeyboardInterrupt), expect_raises passes only the exact type (and the very object when asked)
and says what happened instead without showing a value."""

from __future__ import annotations

import pytest

from advpy.checks import expect_raises, raised_by


def _raise(error: BaseException) -> None:
    raise error


def test_raised_by_returns_the_very_exception_or_none() -> None:
    error = ValueError("x")
    assert raised_by(lambda: _raise(error)) is error
    assert raised_by(lambda: 42) is None


@pytest.mark.parametrize("error", [KeyboardInterrupt(), SystemExit(3), GeneratorExit()])
def test_raised_by_catches_base_exceptions_too(error: BaseException) -> None:
    assert raised_by(lambda: _raise(error)) is error


def test_expect_raises_passes_the_exact_type_and_returns_the_exception() -> None:
    error = KeyError("k")
    assert expect_raises(lambda: _raise(error), KeyError, "m") is error
    assert expect_raises(lambda: _raise(error), KeyError, "m", same_as=error) is error
    interrupt = KeyboardInterrupt()
    assert expect_raises(lambda: _raise(interrupt), KeyboardInterrupt, "m") is interrupt


def test_expect_raises_fails_when_nothing_is_raised() -> None:
    with pytest.raises(AssertionError, match=r"^must raise \(nothing was raised\)$"):
        expect_raises(lambda: None, ValueError, "must raise")


def test_expect_raises_refuses_a_subclass_or_another_type() -> None:
    with pytest.raises(AssertionError, match="it raised a KeyError, not a LookupError"):
        expect_raises(lambda: _raise(KeyError("secret")), LookupError, "m")
    with pytest.raises(AssertionError, match="it raised an OSError, not a ValueError") as info:
        expect_raises(lambda: _raise(OSError("secret value")), ValueError, "m")
    assert "secret" not in str(info.value), "the message must not show the exception's value"


def test_expect_raises_with_same_as_refuses_another_object() -> None:
    original = ValueError("value-one")
    with pytest.raises(AssertionError, match="not the very object") as info:
        expect_raises(lambda: _raise(ValueError("value-two")), ValueError, "m", same_as=original)
    assert "value-one" not in str(info.value) and "value-two" not in str(info.value)
