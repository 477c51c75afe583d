"""A real log file of any size, written line by line, and pipelines that read it.

:func:`write_log` writes a made-up access log without ever holding more than one batch of
lines. :func:`lazy_error_bytes` streams it; :func:`eager_error_bytes` reads it whole first.
:func:`measure_file_pipelines` traces both (``tracemalloc``) on files of growing size.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from time import perf_counter

from advpy.lessons.aio.pipelines import peak_memory

ENDPOINTS = ("/api/orders", "/api/users", "/api/search", "/api/cart", "/health", "/login")
METHODS = ("GET", "GET", "GET", "POST")
#: Requests per second of the made-up log: lines of one minute share a timestamp prefix.
PER_SECOND = 50


def log_line(i: int) -> str:
    """Line ``i`` of the made-up log: time, method, path, status, bytes, milliseconds."""
    second = i // PER_SECOND
    day, rest = divmod(second, 86_400)
    hour, rest = divmod(rest, 3600)
    minute, sec = divmod(rest, 60)
    status = 500 if i % 17 == 0 else (404 if i % 11 == 0 else 200)
    size = (i * 7919) % 20_000
    millis = (i * 104_729) % 900 + 5
    return (
        f"2024-05-{1 + day:02d}T{hour:02d}:{minute:02d}:{sec:02d} "
        f"{METHODS[i % 4]} {ENDPOINTS[i % 6]} {status} {size} {millis}\n"
    )


def write_log(path: Path, megabytes: float, first: int = 0, batch: int = 10_000) -> int:
    """Write about ``megabytes`` MB (10**6 bytes) of log lines to ``path``, starting at line
    number ``first``, at most ``batch`` lines at a time; return the number of lines written."""
    target = int(megabytes * 1_000_000)
    written = 0
    line = first
    with open(path, "w", encoding="ascii") as out:
        while written < target:
            count = max(1, min(batch, (target - written) // 60))  # lines are 40 to 60 bytes
            chunk = "".join(log_line(i) for i in range(line, line + count))
            out.write(chunk)
            written += len(chunk)
            line += count
    return line - first


def parse(line: str) -> tuple[str, str, str, int, int, int]:
    """``(time, method, path, status, bytes, milliseconds)`` of one log line."""
    when, method, path, status, size, millis = line.split()
    return when, method, path, int(status), int(size), int(millis)


def lazy_error_bytes(path: Path) -> dict[str, int]:
    """Bytes sent in server errors (status >= 500) per path, streaming the file line by line."""
    with open(path, encoding="ascii") as lines:
        records = (parse(line) for line in lines)
        errors = (r for r in records if r[3] >= 500)
        totals: Counter[str] = Counter()
        for record in errors:
            totals[record[2]] += record[4]
    return dict(totals)


def eager_error_bytes(path: Path) -> dict[str, int]:
    """The same totals, reading the whole file into a list of lines first."""
    with open(path, encoding="ascii") as source:
        lines = source.readlines()
    records = [parse(line) for line in lines]
    errors = [r for r in records if r[3] >= 500]
    totals: Counter[str] = Counter()
    for record in errors:
        totals[record[2]] += record[4]
    return dict(totals)


PIPELINES = {"lazy": lazy_error_bytes, "eager": eager_error_bytes}


@dataclass(frozen=True)
class FileRecord:
    """One pipeline's run over one file."""

    approach: str  # "lazy" or "eager"
    file_bytes: int
    peak_bytes: int  # traced with tracemalloc
    seconds: float  # one untraced run


def measure_file_pipelines(
    paths: Iterable[Path], eager_up_to: int
) -> tuple[list[FileRecord], dict[str, int]]:
    """Peak memory and time of both pipelines over each file (the eager one only on files of at
    most ``eager_up_to`` bytes); also returns the totals of the largest file. Raises
    ``ValueError`` if the two pipelines disagree."""
    records = []
    totals: dict[str, int] = {}
    for path in paths:
        size = os.path.getsize(path)
        results = []
        for approach, pipeline in PIPELINES.items():
            if approach == "eager" and size > eager_up_to:
                continue
            peak, result = peak_memory(partial(pipeline, path))
            start = perf_counter()
            pipeline(path)
            records.append(FileRecord(approach, size, peak, perf_counter() - start))
            results.append(result)
        if any(r != results[0] for r in results[1:]):
            raise ValueError(f"the pipelines disagree on {path.name}")
        totals = results[0]
    return records, totals


def minute_of(line: str) -> str:
    """The minute a log line belongs to (its first 16 characters: ``2024-05-01T00:01``)."""
    return line[:16]


def requests_per_minute(lines: Iterable[str]) -> Iterator[tuple[str, int]]:
    """``(minute, requests)`` for each run of lines from the same minute, lazily.

    Correct for a log in time order, where each minute's lines are next to each other: that is
    what :func:`itertools.groupby` needs (it groups *consecutive* equal keys)."""
    for minute, group in itertools.groupby(lines, key=minute_of):
        yield minute, sum(1 for _ in group)
