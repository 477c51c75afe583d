"""Measurements of lesson 16, each returning records, and the plots drawn from them.

Work is measured two ways: pages touched (``BUFFERS``), which depend only on the plan and the
data, and the server's own execution time (best of a few runs of ``EXPLAIN ANALYZE``), which
also depends on how busy the machine is.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure
from advpy.lessons.query_optimization.plans import Params, Plan, explain


@dataclass(frozen=True)
class Trial:
    """One query under one set of indexes: its plan's nodes, work and index size."""

    label: str
    plan: str
    buffers: int
    execution_ms: float
    index_bytes: int
    rows: int


def best_plan(
    connection: psycopg.Connection[Any], sql: str, params: Params, repeats: int = 3
) -> tuple[Plan, float]:
    """The plan of one ``EXPLAIN ANALYZE`` and the smallest execution time of ``repeats``."""
    plans = [explain(connection, sql, params) for _ in range(max(1, repeats))]
    return plans[-1], min(p.execution_ms or 0.0 for p in plans)


def describe_plan(plan: Plan) -> str:
    """The plan's nodes in one line, top-down: ``Limit > Index Scan using ix on orders``."""
    return " > ".join(str(node) for node in plan.nodes())


def try_indexes(
    connection: psycopg.Connection[Any],
    sql: str,
    params: Params,
    variants: Mapping[str, Sequence[str]],
    repeats: int = 3,
) -> list[Trial]:
    """Run ``sql`` once per variant, each with its own ``CREATE INDEX`` statements made in a
    transaction that is rolled back afterwards, so every variant starts from the bare tables.
    ``connection`` must be in autocommit mode."""
    trials = []
    for label, statements in variants.items():
        with connection.transaction(force_rollback=True):
            before = _index_bytes(connection)
            for statement in statements:
                connection.execute(statement)
            size = _index_bytes(connection) - before
            plan, best = best_plan(connection, sql, params, repeats)
        trials.append(
            Trial(label, describe_plan(plan), plan.buffers, best, size, plan.actual_rows or 0)
        )
    return trials


def _index_bytes(connection: psycopg.Connection[Any]) -> int:
    row = connection.execute(
        "SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index "
        "WHERE indrelid IN ('orders'::regclass, 'order_items'::regclass)"
    ).fetchone()
    assert row is not None
    return int(row[0])


def plot_trials(trials: Sequence[Trial], title: str) -> tuple[Figure, Axes]:
    """Pages touched per variant, as horizontal bars (log scale), each labelled with its time."""
    fig, ax = new_figure(title, "8 KiB pages touched (log scale)", "")
    labels = [t.label for t in trials]
    worst = max(t.buffers for t in trials)
    colors = [COLORS["before"] if t.buffers == worst else COLORS["after"] for t in trials]
    bars = ax.barh(labels, [max(t.buffers, 1) for t in trials], color=colors)
    ax.set_xscale("log")
    ax.invert_yaxis()
    for bar, trial in zip(bars, trials, strict=True):
        ax.annotate(
            f" {trial.buffers:,} pages, {trial.execution_ms:.2f} ms",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            fontsize=9,
        )
    ax.set_xlim(0.8, worst * 60)
    fig.subplots_adjust(left=0.34)
    return fig, ax


@dataclass(frozen=True)
class Fetch:
    """One ``SELECT`` list fetched by the client: rows, bytes, time, and its plan."""

    label: str
    rows: int
    bytes_per_row: int
    fetch_ms: float
    plan: str
    buffers: int


def measure_fetches(
    connection: psycopg.Connection[Any],
    queries: Mapping[str, str],
    params: Params,
    repeats: int = 5,
) -> list[Fetch]:
    """Fetch each query's rows into Python (best of ``repeats``), and read its plan."""
    records = []
    for label, sql in queries.items():
        best, rows = float("inf"), []
        for _ in range(max(1, repeats)):
            started = time.perf_counter()
            rows = connection.execute(sql, params).fetchall()
            best = min(best, time.perf_counter() - started)
        plan = explain(connection, sql, params)
        width = int(plan.root["Plan Width"])
        records.append(
            Fetch(label, len(rows), width, best * 1000, describe_plan(plan), plan.buffers)
        )
    return records


def plot_fetches(records: Sequence[Fetch]) -> tuple[Figure, Axes]:
    """Time to fetch each ``SELECT`` list, as bars labelled with bytes per row."""
    fig, ax = new_figure("The same rows, two SELECT lists", "", "time to fetch all rows (ms)")
    colors = [COLORS["before"], COLORS["after"], COLORS["threads"]][: len(records)]
    bars = ax.bar([r.label for r in records], [r.fetch_ms for r in records], color=colors)
    for bar, record in zip(bars, records, strict=True):
        ax.annotate(
            f"{record.rows:,} rows\n~{record.bytes_per_row} B/row\n{record.buffers:,} pages",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ax.set_ylim(0, max(r.fetch_ms for r in records) * 1.45)
    return fig, ax


@dataclass(frozen=True)
class PageCost:
    """The cost of fetching page ``page`` one way (``offset`` or ``keyset``)."""

    way: str
    page: int
    execution_ms: float
    buffers: int
    rows_read: int


OFFSET_SQL = "SELECT id, created_at, total_cents FROM orders ORDER BY id LIMIT %s OFFSET %s"
KEYSET_SQL = "SELECT id, created_at, total_cents FROM orders WHERE id > %s ORDER BY id LIMIT %s"


def measure_pagination(
    connection: psycopg.Connection[Any], page_size: int, pages: Sequence[int], repeats: int = 3
) -> list[PageCost]:
    """Page ``p`` (from 0) of the orders by id, fetched with ``OFFSET p * page_size`` and with
    the keyset ``id > last id of the previous page``; both must return the same rows."""
    records = []
    for page in pages:
        offset_params = (page_size, page * page_size)
        first = connection.execute(OFFSET_SQL, offset_params).fetchall()
        last_id = 0 if page == 0 else _last_id_before(connection, page * page_size)
        keyset_params = (last_id, page_size)
        if connection.execute(KEYSET_SQL, keyset_params).fetchall() != first:
            raise RuntimeError(f"page {page}: offset and keyset disagree")
        for way, sql, params in (
            ("offset", OFFSET_SQL, offset_params),
            ("keyset", KEYSET_SQL, keyset_params),
        ):
            plan, best = best_plan(connection, sql, params, repeats)
            scanned = max(int(n.detail.get("Actual Rows", 0)) for n in plan.nodes())
            records.append(PageCost(way, page, best, plan.buffers, scanned))
    return records


def _last_id_before(connection: psycopg.Connection[Any], skipped: int) -> int:
    """The id of the ``skipped``-th order by id (what the previous page ended with)."""
    row = connection.execute(
        "SELECT id FROM orders ORDER BY id LIMIT 1 OFFSET %s", (skipped - 1,)
    ).fetchone()
    assert row is not None
    return int(row[0])


def plot_pagination(records: Sequence[PageCost]) -> tuple[Figure, Axes]:
    """Execution time of each page, offset against keyset (both axes logarithmic)."""
    fig, ax = new_figure("Deep pages: OFFSET against a keyset", "page number", "execution (ms)")
    for way, color in (("offset", COLORS["before"]), ("keyset", COLORS["after"])):
        mine = [r for r in records if r.way == way]
        ax.plot(
            [r.page + 1 for r in mine], [r.execution_ms for r in mine], "o-", color=color, label=way
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("page number (from 1, log scale)")
    ax.set_ylabel("server execution time (ms, log scale)")
    ax.legend()
    return fig, ax
