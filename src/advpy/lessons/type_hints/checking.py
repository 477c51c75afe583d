"""mypy, run in this process on code given as text, and shown line by line.

mypy reads source files, not objects in memory, so a lesson hands it text. :func:`show` prints
the code with mypy's messages under the lines they are about; :func:`strict_flags` lists what
``--strict`` switches on, read from mypy's own help; :func:`measure_mypy_times` times a check
without a cache and with a warm one (what a pre-commit hook or a CI job pays).

Every run goes through :func:`advpy.checks.run_mypy`: an empty configuration, no third-party
packages, and a cache folder in a temporary directory, never in the working folder.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass

from advpy.checks import MypyMessage, run_mypy


def check(
    source: str, *, strict: bool = False, python_version: str | None = None
) -> list[MypyMessage]:
    """mypy's messages on ``source`` (a module named ``answer``)."""
    return run_mypy(source, strict=strict, python_version=python_version)


def errors(messages: list[MypyMessage]) -> list[MypyMessage]:
    """The errors among ``messages`` (notes left out)."""
    return [m for m in messages if m.severity == "error"]


def listing(source: str, messages: list[MypyMessage]) -> str:
    """``source`` with line numbers, each line followed by mypy's messages about it."""
    by_line: dict[int, list[MypyMessage]] = {}
    for message in messages:
        by_line.setdefault(message.line, []).append(message)
    rows = []
    for number, line in enumerate(source.splitlines(), start=1):
        rows.append(f"{number:3d} | {line}")
        for m in by_line.get(number, []):
            code = f"  [{m.code}]" if m.code else ""
            rows.append(f"    ^ {m.severity}: {m.text}{code}")
    return "\n".join(rows)


def show(source: str, *, strict: bool = False, python_version: str | None = None) -> int:
    """Print ``source`` with mypy's messages under their lines, and a one-line verdict; return
    the number of errors."""
    messages = check(source, strict=strict, python_version=python_version)
    print(listing(source, messages))
    found = len(errors(messages))
    mode = "mypy --strict" if strict else "mypy"
    print(f"{mode}: {found} error{'s' if found != 1 else ''}" if found else f"{mode}: no errors")
    return found


def strict_flags() -> list[str]:
    """The flags ``--strict`` switches on in the installed mypy, as its ``--help`` lists them."""
    from mypy import api

    out, _, _ = api.run(["--help"])
    marker = "enables the following flags:"
    start = out.find(marker)
    if start < 0:
        return []
    rest = out[start + len(marker) :]
    end = re.search(r"\n  \S", rest)  # the next option starts at the left margin
    text = rest[: end.start() if end else len(rest)]
    text = re.sub(r"-\n\s+", "-", text)  # words the help text broke at a hyphen
    return [flag.strip() for flag in " ".join(text.split()).split(",") if flag.strip()]


@dataclass(frozen=True)
class MypyTimes:
    """Seconds for one mypy check of the same code: with an empty cache, and a warm one."""

    cold: float
    warm: float


def measure_mypy_times(source: str, *, repeats: int = 3, strict: bool = True) -> MypyTimes:
    """The best of ``repeats`` checks of ``source`` with a new, empty cache folder each time,
    and the best of ``repeats`` with one cache folder filled by a first check."""
    cold = warm = float("inf")
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="advpy-mypy-cold-") as folder:
            start = time.perf_counter()
            run_mypy(source, strict=strict, options=("--cache-dir", folder))
            cold = min(cold, time.perf_counter() - start)
    with tempfile.TemporaryDirectory(prefix="advpy-mypy-warm-") as folder:
        run_mypy(source, strict=strict, options=("--cache-dir", folder))
        for _ in range(repeats):
            start = time.perf_counter()
            run_mypy(source, strict=strict, options=("--cache-dir", folder))
            warm = min(warm, time.perf_counter() - start)
    return MypyTimes(cold, warm)
