"""PostgreSQL's locks during schema changes, measured on a real server.

- :func:`probe` runs one statement inside a transaction, reads the locks it holds on the table
  (``pg_locks``) and whether it gave the table a new file (``pg_relation_filenode``: a rewrite
  of every row), then rolls back, so the table is the same for the next probe.
- :func:`index_build_under_writes` builds an index while a second connection keeps inserting,
  and records how long each insert waited.
- :func:`lock_queue` shows an ``ALTER TABLE`` waiting behind a long transaction, and the reads
  that queue behind the ``ALTER``, with and without ``lock_timeout``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure

TABLE = """
DROP TABLE IF EXISTS items;
CREATE TABLE items (id bigserial PRIMARY KEY, n integer, note text);
INSERT INTO items (n, note)
SELECT (random() * 1000000)::integer, md5(g::text) FROM generate_series(1, %s) AS g;
ANALYZE items;
"""


def create_items(url: str, rows: int) -> None:
    """A fresh ``items`` table of ``rows`` rows: an id, a random integer, a 32-character note."""
    with psycopg.connect(url, autocommit=True) as connection:
        for statement in TABLE.strip().split(";\n"):
            if "%s" in statement:
                connection.execute(statement.replace("%s", str(int(rows))))
            elif statement.strip():
                connection.execute(statement)


@dataclass(frozen=True)
class Probe:
    """What one statement did to the table ``items``."""

    statement: str
    locks: tuple[str, ...]
    rewrote: bool
    seconds: float


def probe(url: str, statement: str) -> Probe:
    """Run ``statement`` in a transaction, note the locks it holds on ``items`` and whether
    the table's file changed, and roll back."""
    with psycopg.connect(url) as connection:
        before = connection.execute("SELECT pg_relation_filenode('items')").fetchone()
        started = time.perf_counter()
        connection.execute(statement)
        seconds = time.perf_counter() - started
        rows = connection.execute(
            "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() "
            "AND relation = 'items'::regclass ORDER BY mode"
        ).fetchall()
        after = connection.execute("SELECT pg_relation_filenode('items')").fetchone()
        connection.rollback()
    return Probe(statement, tuple(mode for (mode,) in rows), before != after, seconds)


@dataclass(frozen=True)
class IndexBuild:
    """One index build with a writer beside it; times in seconds from the writer's start."""

    label: str
    build_start: float
    build_end: float
    inserts: tuple[tuple[float, float], ...]  # (sent at, seconds it took)

    @property
    def build_seconds(self) -> float:
        return self.build_end - self.build_start

    def slowest_insert_during_build(self) -> float:
        """The longest insert that began while the index was being built."""
        during = [
            took
            for at, took in self.inserts
            if self.build_start <= at + took and at <= self.build_end
        ]
        return max(during, default=0.0)


def index_build_under_writes(url: str, concurrently: bool, margin: float = 0.2) -> IndexBuild:
    """Insert rows one by one from a thread, build ``CREATE INDEX [CONCURRENTLY] ON items (note)``
    after ``margin`` seconds, keep inserting ``margin`` seconds more; then drop the index."""
    name = "items_note_concurrently" if concurrently else "items_note_blocking"
    stop = threading.Event()
    inserts: list[tuple[float, float]] = []
    origin = time.perf_counter()

    def write() -> None:
        with psycopg.connect(url, autocommit=True) as writer:
            while not stop.is_set():
                sent = time.perf_counter()
                writer.execute("INSERT INTO items (n, note) VALUES (1, 'written during the build')")
                inserts.append((sent - origin, time.perf_counter() - sent))
                time.sleep(0.002)

    thread = threading.Thread(target=write, name="writer", daemon=True)
    thread.start()
    try:
        time.sleep(margin)
        with psycopg.connect(url, autocommit=True) as builder:
            start = time.perf_counter() - origin
            keyword = "CONCURRENTLY " if concurrently else ""
            builder.execute(f"CREATE INDEX {keyword}{name} ON items (note)")
            end = time.perf_counter() - origin
            time.sleep(margin)
            stop.set()
            thread.join()
            builder.execute(f"DROP INDEX {name}")
    finally:
        stop.set()
        thread.join()
    label = "CREATE INDEX CONCURRENTLY" if concurrently else "CREATE INDEX"
    return IndexBuild(label, start, end, tuple(inserts))


def plot_index_builds(builds: Sequence[IndexBuild]) -> tuple[Figure, Axes]:
    """How long each insert took against when it was sent, one panel row per build, the build
    shaded; time 0 is the start of the build."""
    fig, ax = new_figure(
        "A writer's inserts while an index is built on the same table",
        "time since the build started (s)",
        "insert took (ms, log scale)",
    )
    colors = (COLORS["before"], COLORS["after"])
    for build, color in zip(builds, colors, strict=False):
        at = [t - build.build_start for t, _ in build.inserts]
        took = [d * 1000 for _, d in build.inserts]
        ax.plot(at, took, ".", color=color, label=build.label, markersize=4)
        ax.axvspan(0, build.build_seconds, color=color, alpha=0.12, label=f"{build.label} runs")
    ax.set_yscale("log")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8)
    ax.set_title(ax.get_title(), pad=44)
    fig.set_size_inches(7.0, 5.0)
    fig.subplots_adjust(top=0.8)
    return fig, ax


@dataclass(frozen=True)
class QueueResult:
    """What the reads saw while an ``ALTER TABLE`` waited behind a long transaction."""

    lock_timeout: str
    alter_outcome: str
    alter_seconds: float
    slowest_read: float
    reads: int


def lock_queue(url: str, lock_timeout: str, hold: float, readers: int = 20) -> QueueResult:
    """A transaction reads ``items`` and stays open ``hold`` seconds; meanwhile an
    ``ALTER TABLE items ADD COLUMN`` (with ``lock_timeout``, "0" for none) waits for its lock,
    and plain reads from a third connection are timed. The ``ALTER`` is rolled back."""
    holding = threading.Event()
    reads: list[float] = []

    def long_transaction() -> None:
        with psycopg.connect(url) as slow:
            slow.execute("SELECT count(*) FROM items")
            holding.set()
            time.sleep(hold)
            slow.rollback()

    holder = threading.Thread(target=long_transaction, name="long-transaction", daemon=True)
    holder.start()
    holding.wait()
    outcome: dict[str, Any] = {"text": "", "seconds": 0.0}

    def alter() -> None:
        with psycopg.connect(url) as migration:
            migration.execute(f"SET lock_timeout = '{lock_timeout}'")
            started = time.perf_counter()
            try:
                migration.execute("ALTER TABLE items ADD COLUMN flag boolean")
                outcome["text"] = "took its lock"
            except psycopg.errors.LockNotAvailable as error:
                outcome["text"] = f"gave up: {str(error).splitlines()[0]}"
            outcome["seconds"] = time.perf_counter() - started
            migration.rollback()

    altering = threading.Thread(target=alter, name="migration", daemon=True)
    altering.start()
    time.sleep(0.05)  # the ALTER is now waiting in the lock queue
    with psycopg.connect(url, autocommit=True) as reader:
        for _ in range(readers):
            started = time.perf_counter()
            reader.execute("SELECT n FROM items WHERE id = 1").fetchone()
            reads.append(time.perf_counter() - started)
            time.sleep(hold / readers / 2)
    altering.join()
    holder.join()
    return QueueResult(
        lock_timeout, str(outcome["text"]), float(outcome["seconds"]), max(reads), len(reads)
    )
