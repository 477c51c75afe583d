"""What a decorator costs per call, measured in nanoseconds.

The same tiny function (``x + 1``) is called bare and through wrappers that do more and more:
nothing, two clock reads, a log call on a disabled level (with lazy ``%`` arguments, and with
an f-string built first), and a log call that makes and formats a record. Each variant is
timed with :func:`timeit.repeat`; the best of the repeats, divided by the calls, is kept.
"""

from __future__ import annotations

import functools
import logging
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OverheadRecord:
    """One variant's cost: nanoseconds per call, best of the repeats."""

    variant: str
    ns_per_call: float


class _FormatOnly(logging.Handler):
    """A handler that formats each record and throws the text away: the work a real handler
    does before it writes, without the disk or the terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        self.format(record)


def _logger(name: str, level: int) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.handlers[:] = [_FormatOnly()]
    logger.setLevel(level)
    logger.propagate = False
    return logger


def add_one(x: int) -> int:
    """The function every variant wraps."""
    return x + 1


def passthrough(func: Callable) -> Callable:
    """A wrapper that does nothing but call through."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def clocked(func: Callable) -> Callable:
    """A wrapper that reads the clock before and after, and keeps the last duration."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return func(*args, **kwargs)
        finally:
            wrapper.last_ns = time.perf_counter_ns() - start  # type: ignore[attr-defined]

    return wrapper


def lazily_logged(logger: logging.Logger) -> Callable[[Callable], Callable]:
    """Log each call at DEBUG with ``%`` arguments: formatted only if the level is on."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            logger.debug("call %s args=%r", func.__name__, args)
            return func(*args, **kwargs)

        return wrapper

    return decorate


def eagerly_logged(logger: logging.Logger) -> Callable[[Callable], Callable]:
    """Log each call at DEBUG with an f-string: the text is built even when DEBUG is off."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            logger.debug(f"call {func.__name__} args={args!r}")
            return func(*args, **kwargs)

        return wrapper

    return decorate


def variants() -> dict[str, Callable[[int], int]]:
    """Every variant of ``add_one`` the measurement times, by label."""
    quiet = _logger("advpy.lessons.decorators.quiet", logging.INFO)  # DEBUG is off
    loud = _logger("advpy.lessons.decorators.loud", logging.DEBUG)  # DEBUG is on
    return {
        "bare function": add_one,
        "wrapper, calls through": passthrough(add_one),
        "timing (perf_counter_ns x2)": clocked(add_one),
        "log off, lazy % args": lazily_logged(quiet)(add_one),
        "log off, f-string": eagerly_logged(quiet)(add_one),
        "log on, record formatted": lazily_logged(loud)(add_one),
    }


def measure_overhead(calls: int = 100_000, repeats: int = 5) -> list[OverheadRecord]:
    """Nanoseconds per call of each variant (best of ``repeats`` runs of ``calls`` calls)."""
    records = []
    for label, func in variants().items():
        best = min(timeit.repeat("f(1)", globals={"f": func}, number=calls, repeat=repeats))
        records.append(OverheadRecord(label, best / calls * 1e9))
    return records
