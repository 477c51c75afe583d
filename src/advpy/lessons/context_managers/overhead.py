"""What a ``with`` statement costs: the same tiny block run bare, in try/finally, and under
several kinds of context manager, next to one committed SQLite transaction."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure


@dataclass(frozen=True)
class Overhead:
    """The best time per use of one way of running a block."""

    approach: str
    seconds: float  # per use, best of the repeats


class _Noop:
    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        return False


@contextmanager
def _noop_generator() -> Iterator[None]:
    try:
        yield
    finally:
        pass


def _nothing() -> None:
    return None


def _loops(uses: int) -> dict[str, Callable[[], None]]:
    """One function per approach, each running an empty block ``uses`` times."""

    def bare() -> None:
        for _ in range(uses):
            pass

    def try_finally() -> None:
        for _ in range(uses):
            try:
                pass
            finally:
                pass

    def class_based() -> None:
        manager = _Noop()
        for _ in range(uses):
            with manager:
                pass

    def generator_based() -> None:
        for _ in range(uses):
            with _noop_generator():
                pass

    def null() -> None:
        for _ in range(uses):
            with nullcontext():
                pass

    def exit_stack() -> None:
        for _ in range(uses):
            with ExitStack() as stack:
                stack.callback(_nothing)

    return {
        "loop alone": bare,
        "try/finally": try_finally,
        "class with __enter__/__exit__": class_based,
        "contextlib.nullcontext()": null,
        "@contextmanager generator": generator_based,
        "ExitStack + 1 callback": exit_stack,
    }


def _best(repeats: int, func: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def measure_overhead(uses: int, repeats: int) -> list[Overhead]:
    """Time an empty block run ``uses`` times per approach (best of ``repeats``), as seconds
    per use; the loop's own cost is subtracted from every approach but the loop itself."""
    loops = _loops(uses)
    raw = {name: _best(repeats, func) / uses for name, func in loops.items()}
    loop = raw["loop alone"]
    return [
        Overhead(name, seconds if name == "loop alone" else max(seconds - loop, 0.0))
        for name, seconds in raw.items()
    ]


def measure_commit(path: Path, commits: int, repeats: int) -> Overhead:
    """The best time per ``with conn:`` block that inserts one row into an SQLite file and
    commits it (the file at ``path`` is created; the journal is SQLite's default)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS log (line TEXT)")
        conn.commit()

        def commit_rows() -> None:
            for _ in range(commits):
                with conn:
                    conn.execute("INSERT INTO log (line) VALUES ('x')")

        return Overhead("with conn: INSERT + COMMIT", _best(repeats, commit_rows) / commits)


def plot_overhead(records: list[Overhead]) -> tuple[Figure, Axes]:
    """Horizontal bars, one per approach, of the time per use on a log scale (the bare loop,
    whose cost the others have had subtracted, is left out)."""
    shown = [r for r in records if r.seconds > 0 and r.approach != "loop alone"]
    fig, ax = new_figure(
        "What one use of a with statement costs", "time per use (ns, log scale)", ""
    )
    names = [r.approach for r in shown]
    values = [r.seconds * 1e9 for r in shown]
    colors = [COLORS["processes"] if "COMMIT" in r.approach else COLORS["threads"] for r in shown]
    bars = ax.barh(names, values, color=colors)
    ax.set_xscale("log")
    ax.invert_yaxis()
    for bar, value in zip(bars, values, strict=True):
        ax.text(
            value * 1.15,
            bar.get_y() + bar.get_height() / 2,
            readable_time(value / 1e9),
            va="center",
            fontsize=9,
        )
    ax.set_xlim(right=max(values) * 8)
    fig.subplots_adjust(left=0.36)
    return fig, ax


def readable_time(seconds: float) -> str:
    """``seconds`` in the unit that suits it: ns, µs or ms."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:,.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.1f} µs"
    return f"{seconds * 1e3:,.1f} ms"
