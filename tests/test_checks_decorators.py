"""The checking helpers for the decorator exercises: exact exception messages, what a wrapper
must keep of the function it wraps, and exceptions out of coroutines. Each passes right code,
catches what it is meant to catch, and never shows a value unless asked to."""

from __future__ import annotations

import asyncio
import functools

import pytest

from advpy.checks import expect_error_message, expect_wraps, raised_by_async


class Denied(Exception):
    pass


class Liar(Exception):
    """An exception whose __str__ claims to be whatever is expected."""

    def __str__(self) -> str:
        return "ada needs the admin role"


def test_expect_error_message_passes_the_exact_text() -> None:
    expect_error_message(Denied("ada needs the admin role"), "ada needs the admin role", "msg")


@pytest.mark.parametrize("text", ["ada needs the admin role.", "Ada needs the admin role", ""])
def test_expect_error_message_fails_any_other_text(text: str) -> None:
    with pytest.raises(AssertionError) as failure:
        expect_error_message(Denied(text), "ada needs the admin role", "the message is wrong")
    assert str(failure.value) == "the message is wrong", "a hidden check must not show values"


def test_expect_error_message_shows_both_texts_only_when_asked() -> None:
    with pytest.raises(AssertionError) as failure:
        expect_error_message(Denied("no"), "yes", "the message", show=True)
    assert "'no'" in str(failure.value) and "'yes'" in str(failure.value)


def test_expect_error_message_is_not_fooled_by_a_custom_str() -> None:
    with pytest.raises(AssertionError):
        expect_error_message(Liar("something else"), "ada needs the admin role", "m")


def _original(x: int, *, y: int = 0) -> int:
    """Add."""
    return x + y


def test_expect_wraps_passes_functools_wraps() -> None:
    @functools.wraps(_original)
    def wrapper(*args: int, **kwargs: int) -> int:
        return _original(*args, **kwargs)

    expect_wraps(wrapper, _original, "identity")


def test_expect_wraps_passes_a_class_based_wrapper() -> None:
    class Wrapper:
        def __init__(self, func: object) -> None:
            functools.update_wrapper(self, func)  # type: ignore[arg-type]

    expect_wraps(Wrapper(_original), _original, "identity")


def _copy_all_but(skip: str):  # type: ignore[no-untyped-def]
    def wrapper(*args: int, **kwargs: int) -> int:
        return _original(*args, **kwargs)

    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        if name != skip:
            setattr(wrapper, name, getattr(_original, name))
    if skip != "__wrapped__":
        wrapper.__wrapped__ = _original  # type: ignore[attr-defined]
    return wrapper


@pytest.mark.parametrize("skip", ["__wrapped__", "__name__", "__qualname__", "__doc__"])
def test_expect_wraps_names_the_attribute_that_was_not_kept(skip: str) -> None:
    with pytest.raises(AssertionError) as failure:
        expect_wraps(_copy_all_but(skip), _original, "identity")
    assert skip in str(failure.value)
    assert "Add." not in str(failure.value) and "_original" not in str(failure.value)


def test_expect_wraps_wants_the_original_itself_in_wrapped() -> None:
    wrapper = _copy_all_but("")
    wrapper.__wrapped__ = functools.partial(_original)  # type: ignore[attr-defined]
    with pytest.raises(AssertionError, match="__wrapped__"):
        expect_wraps(wrapper, _original, "identity")


def test_expect_wraps_fails_a_bare_wrapper() -> None:
    def wrapper(*args: int) -> int:
        return _original(*args)

    with pytest.raises(AssertionError):
        expect_wraps(wrapper, _original, "identity")


def test_raised_by_async_hands_back_what_came_out() -> None:
    problem = Denied("x")

    async def fails() -> None:
        await asyncio.sleep(0)
        raise problem

    async def works() -> int:
        return 1

    async def cancelled() -> None:
        raise asyncio.CancelledError

    async def main() -> list[BaseException | None]:
        return [
            await raised_by_async(fails()),
            await raised_by_async(works()),
            await raised_by_async(cancelled()),
            await raised_by_async(42),
        ]

    error, nothing, cancel, not_awaitable = asyncio.run(main())
    assert error is problem and nothing is None
    assert type(cancel) is asyncio.CancelledError
    assert type(not_awaitable) is TypeError
