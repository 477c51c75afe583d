"""The lesson's logging and timing decorators, and the broken versions it takes apart.

- :func:`logged` logs each call and its outcome on a :mod:`logging` logger, with lazy
  ``%``-style arguments so that a disabled level costs almost nothing.
- :func:`timed` reports how long each call took, for plain and for ``async def`` functions.
- :func:`naive_timed` is the version that forgets ``async def``: it times the creation of a
  coroutine, not its run.
- :class:`CountCalls` is a decorator written as a class, which breaks on methods unless it
  defines ``__get__`` (as :class:`CountCallsMethodSafe` does).
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
import types
from collections.abc import Callable
from typing import Any

#: Where :func:`timed` reports by default: a function taking the name and the seconds.
Report = Callable[[str, float], None]


def _print_report(name: str, seconds: float) -> None:
    print(f"{name} took {seconds * 1000:.1f} ms")


def logged(logger: logging.Logger, level: int = logging.INFO) -> Callable[[Callable], Callable]:
    """Log every call of the decorated function (arguments, then result or exception)."""

    def decorate(func: Callable) -> Callable:
        name = func.__qualname__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if logger.isEnabledFor(level):
                logger.log(level, "call %s args=%r kwargs=%r", name, args, kwargs)
            try:
                result = func(*args, **kwargs)
            except Exception:
                logger.exception("%s raised", name)
                raise
            if logger.isEnabledFor(level):
                logger.log(level, "%s returned %r", name, result)
            return result

        return wrapper

    return decorate


def timed(report: Report = _print_report) -> Callable[[Callable], Callable]:
    """Report each call's wall time; works on plain functions and on ``async def`` ones.

    For a coroutine function the wrapper is itself ``async def``: it awaits the original, so
    the time covers the whole run, and ``inspect.iscoroutinefunction`` still says True."""

    def decorate(func: Callable) -> Callable:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return await func(*args, **kwargs)
                finally:
                    report(func.__qualname__, time.perf_counter() - start)

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                report(func.__qualname__, time.perf_counter() - start)

        return wrapper

    return decorate


def naive_timed(func: Callable) -> Callable:
    """A timing decorator that knows only plain functions. On an ``async def`` it times the
    call that *creates* the coroutine (nothing has run yet) and returns the coroutine."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            _print_report(func.__qualname__, time.perf_counter() - start)

    return wrapper


class CountCalls:
    """A decorator written as a class: the instance replaces the function and counts calls.

    It has no ``__get__``, so on a method it does not bind: ``obj.method()`` calls it without
    ``obj``."""

    def __init__(self, func: Callable) -> None:
        functools.update_wrapper(self, func)
        self.func = func
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.func(*args, **kwargs)


class CountCallsMethodSafe(CountCalls):
    """:class:`CountCalls` with ``__get__``: looked up on an instance, it binds to it, as a
    function does. (The count stays shared by all instances, as it lives on the class.)"""

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return types.MethodType(self, instance)
