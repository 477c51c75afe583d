"""A small report service that leaks memory through a global cache, and its fix.

The story: rendering a report is expensive, so the service caches reports by key. Every
request asks for a report nobody asked for before (a new key), uses it, and drops it. With a
plain module-level ``dict`` as the cache, every report ever rendered stays alive: the cache
only grows. With a :class:`weakref.WeakValueDictionary`, the cache still shares a report
between callers that hold it at the same time, but forgets it as soon as nobody does.

:func:`build_index` is a separate, small function for memory-profiler's line-by-line
``%mprun``, which can only profile functions that live in a file.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

__all__ = [
    "Report",
    "render_report",
    "get_report",
    "get_report_weak",
    "serve_requests",
    "clear_caches",
    "cache_entries",
    "build_index",
]

#: Bytes in one rendered report's body, unless a caller asks for another size.
REPORT_SIZE = 20_000


@dataclass(eq=False)
class Report:
    """A rendered report: its key and its body. Instances accept weak references."""

    key: str
    body: bytes


def render_report(key: str, size: int = REPORT_SIZE) -> Report:
    """Render the report called ``key``: an expensive step, hence the caches below."""
    body = bytes(size)  # the report's content: this line allocates the memory
    return Report(key, body)


# The leak: a module-level cache that holds every report it was ever given.
_REPORTS: dict[str, Report] = {}

# The fix: the same cache, holding its reports weakly.
_WEAK_REPORTS: weakref.WeakValueDictionary[str, Report] = weakref.WeakValueDictionary()


def _cached(cache: MutableMapping[str, Report], key: str, size: int) -> Report:
    report = cache.get(key)
    if report is None:
        report = render_report(key, size)
        cache[key] = report  # the cache keeps the report (strongly or weakly)
    return report


def get_report(key: str, size: int = REPORT_SIZE) -> Report:
    """The report ``key``, from a global ``dict`` cache: leaks, since nothing ever leaves it."""
    return _cached(_REPORTS, key, size)


def get_report_weak(key: str, size: int = REPORT_SIZE) -> Report:
    """The report ``key``, from a global ``WeakValueDictionary``: an entry lives only as long as
    some caller holds its report."""
    return _cached(_WEAK_REPORTS, key, size)


def serve_requests(
    count: int,
    get: Callable[[str, int], Report] = get_report,
    *,
    size: int = REPORT_SIZE,
    first: int = 0,
) -> int:
    """Serve ``count`` requests, each for a new report that is used once and then dropped.

    Report keys are ``report-<first>``, ``report-<first + 1>``, ... Returns the bytes served.
    """
    served = 0
    for number in range(first, first + count):
        report = get(f"report-{number}", size)
        served += len(report.body)
    return served


def clear_caches() -> None:
    """Empty both caches (for measuring from a clean start)."""
    _REPORTS.clear()
    _WEAK_REPORTS.clear()


def cache_entries() -> dict[str, int]:
    """How many reports each cache holds now."""
    return {"dict": len(_REPORTS), "weak": len(_WEAK_REPORTS)}


def build_index(rows: int) -> int:
    """Build a lookup table of ``rows`` labels, for line-by-line memory profiling.

    Each line allocates something different, so ``%mprun`` shows where memory grows. The
    loops run inside built-in functions (``map``, ``dict``), not as Python-level loops, so the
    line-by-line profiler sees each line once and stays fast.
    """
    numbers = list(range(rows))
    labels = list(map("row-{:08d}".format, numbers))
    index = dict(zip(labels, numbers, strict=True))
    del labels
    return len(index)
