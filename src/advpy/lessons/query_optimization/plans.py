"""``EXPLAIN`` read by a program: a plan as JSON, the nodes in it, and the numbers that matter.

``EXPLAIN`` shows the plan the optimizer chose and its estimates, without running the query;
``EXPLAIN (ANALYZE, BUFFERS)`` runs it and adds what really happened: rows, time per node, and
the 8 KiB pages (buffers) each node touched. Pages touched do not depend on how busy the
machine is, which makes them the steadier measure of a plan's work.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

Params = Sequence[Any] | Mapping[str, Any] | None


@dataclass(frozen=True)
class Node:
    """One node of a plan: its type, and the table and index it reads, if any."""

    type: str
    relation: str | None = None
    index: str | None = None
    detail: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        on = f" on {self.relation}" if self.relation else ""
        using = f" using {self.index}" if self.index else ""
        return f"{self.type}{using}{on}"


@dataclass(frozen=True)
class Plan:
    """A plan from ``EXPLAIN (FORMAT JSON)``, with or without ``ANALYZE``."""

    root: dict[str, Any]
    planning_ms: float | None
    execution_ms: float | None

    def nodes(self) -> list[Node]:
        """Every node, top-down, depth first."""
        return [
            Node(n["Node Type"], n.get("Relation Name"), n.get("Index Name"), n)
            for n in _walk(self.root)
        ]

    def node_types(self) -> list[str]:
        """The node types, top-down (``['Limit', 'Index Scan']``)."""
        return [node.type for node in self.nodes()]

    def uses(self, node_type: str) -> bool:
        """True when some node is of ``node_type``."""
        return node_type in self.node_types()

    @property
    def cost(self) -> float:
        """The optimizer's estimated total cost (arbitrary units: a page read is 1.0)."""
        return float(self.root["Total Cost"])

    @property
    def estimated_rows(self) -> int:
        """Rows the optimizer expected the query to return."""
        return int(self.root["Plan Rows"])

    @property
    def actual_rows(self) -> int | None:
        """Rows the query returned (``ANALYZE`` only)."""
        rows = self.root.get("Actual Rows")
        return None if rows is None else int(rows)

    @property
    def buffers(self) -> int:
        """8 KiB pages the whole query touched, from the cache or the disk (``BUFFERS`` only)."""
        return int(self.root.get("Shared Hit Blocks", 0)) + int(
            self.root.get("Shared Read Blocks", 0)
        )

    def total(self, key: str) -> int:
        """The sum of a per-node number over all nodes (``"Rows Removed by Filter"``)."""
        return sum(int(node.get(key, 0)) for node in _walk(self.root))


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _inlined(connection: psycopg.Connection[Any], sql: str, params: Params) -> str:
    """The query with its parameters written in as literals, as ``EXPLAIN`` needs them."""
    if params is None:
        return sql
    return psycopg.ClientCursor(connection).mogrify(sql, params)


def explain(
    connection: psycopg.Connection[Any],
    sql: str,
    params: Params = None,
    *,
    analyze: bool = True,
) -> Plan:
    """The plan of ``sql``; with ``analyze`` the query runs, and times and pages are measured.
    (``EXPLAIN ANALYZE`` of an ``INSERT``, ``UPDATE`` or ``DELETE`` changes the data: run it
    in a transaction you roll back.)"""
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    row = connection.execute(f"EXPLAIN ({options}) {_inlined(connection, sql, params)}").fetchone()
    assert row is not None
    document = row[0][0]
    return Plan(document["Plan"], document.get("Planning Time"), document.get("Execution Time"))


def explain_text(
    connection: psycopg.Connection[Any],
    sql: str,
    params: Params = None,
    *,
    analyze: bool = False,
    costs: bool = True,
) -> str:
    """The plan as PostgreSQL prints it (the text a reader sees in ``psql``)."""
    options = ["ANALYZE", "BUFFERS", "TIMING OFF"] if analyze else []
    if not costs:
        options.append("COSTS OFF")
    prefix = f"EXPLAIN ({', '.join(options)})" if options else "EXPLAIN"
    rows = connection.execute(f"{prefix} {_inlined(connection, sql, params)}").fetchall()
    return "\n".join(line for (line,) in rows)
