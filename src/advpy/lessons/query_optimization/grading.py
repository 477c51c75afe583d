"""The database the tests of ``ps16_query_optimization`` build and judge answers against.

The tests start one PostgreSQL server per notebook (:func:`shop_database`, cached), fill it
with a deterministic shop, and give a learner's code only text and addresses: the SQL an answer
wrote is run here, and a learner's Python function gets :attr:`ShopDatabase.learner_url`, a
login that may read the tables and nothing more. What is judged is plain data: the rows a query
returns, the nodes of its plan, and how many statements reached the server, as counted by
``pg_stat_statements`` (which that login cannot reset).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from functools import cache
from typing import Any

import psycopg

from advpy.lessons.query_optimization.plans import explain
from advpy.services import PostgresServer, postgres_server

LEARNER = "shop_learner"

#: 600 customers, 30,000 orders and about 60,000 items, the same on every run. Order ids do
#: not follow the order times, and each customer has orders in every state.
SHOP = """
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, country text NOT NULL);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id integer NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    total_cents integer NOT NULL,
    note text NOT NULL
);
CREATE TABLE order_items (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    product text NOT NULL,
    qty integer NOT NULL,
    price_cents integer NOT NULL
);
INSERT INTO customers
SELECT c, 'customer ' || c, (ARRAY['DE', 'FR', 'NL', 'PL'])[1 + c % 4]
FROM generate_series(1, 600) AS c;
INSERT INTO orders
SELECT i,
       1 + (i * 7703 + i / 11) % 600,
       (ARRAY['delivered', 'paid', 'shipped', 'paid', 'cancelled', 'delivered', 'pending'])
           [1 + (i * 13 + i / 600) % 7],
       timestamptz '2024-01-01 00:00:00+00' + ((i * 7919) % 1000003) * interval '31 seconds',
       100 + (i::bigint * 104729) % 25000,
       repeat('please leave the parcel at the door ', 1 + i % 6)
FROM generate_series(1, 30000) AS i;
INSERT INTO order_items
SELECT o.id * 4 + k, o.id,
       'product-' || lpad(((o.id * 31 + k * 17) % 150)::text, 3, '0'),
       1 + (o.id + k) % 4, 199 + (o.id * k * 37) % 5000
FROM orders AS o, generate_series(1, 1 + o.id % 3) AS k;
-- The foreign keys, added after the rows: one check of the whole table, not one per row.
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE order_items ADD FOREIGN KEY (order_id) REFERENCES orders (id);
"""

#: Statements count as reading the shop when they name one of its order tables.
SHOP_TABLES = re.compile(r"\b(orders|order_items)\b", re.I)


class ShopDatabase:
    """A running server holding the shop, and the checks the tests ask of it."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.password = secrets.token_urlsafe(12)
        admin = server.client
        admin.execute(SHOP)
        admin.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        admin.execute(f"CREATE ROLE {LEARNER} LOGIN PASSWORD '{self.password}'")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {LEARNER}")
        admin.execute("VACUUM ANALYZE")

    @property
    def learner_url(self) -> str:
        """``postgresql://shop_learner:...@127.0.0.1:PORT/postgres``: may read, nothing more."""
        server = self.server
        return (
            f"postgresql://{LEARNER}:{self.password}@{server.host}:{server.port}/{server.database}"
        )

    def rows(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows ``sql`` returns, run as the learner's login in a read-only transaction
        (one statement: the extended protocol refuses several). Values come back as ints,
        strs and ISO-format strs for times, so they compare as plain data."""
        with psycopg.connect(self.learner_url, autocommit=False) as connection:
            connection.execute("SET TRANSACTION READ ONLY")
            rows = connection.execute(_text(sql), params).fetchall()
            connection.rollback()
        return [tuple(_plain(value) for value in row) for row in rows]

    def plan(self, index_sql: str, sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Create the index ``index_sql`` (one statement), run ``EXPLAIN (ANALYZE, BUFFERS)``
        of ``sql`` with the server's default settings, and roll everything back. Returns plain
        data: the new indexes (table and definition), the plan's nodes as ``[type, table]``
        pairs, and per plan the pages touched, heap fetches, rows removed by filters and rows."""
        with self.server.connect(autocommit=False) as connection:
            before = _index_names(connection)
            connection.execute(_text(index_sql), prepare=True)  # one statement only
            connection.execute("RESET ALL")
            created = [
                [table, definition]
                for name, table, definition in _indexes(connection)
                if name not in before
            ]
            plan = explain(connection, _text(sql), dict(params))
            connection.rollback()
        return {
            "indexes": created,
            "nodes": [[node.type, node.relation] for node in plan.nodes()],
            "buffers": plan.buffers,
            "heap_fetches": plan.total("Heap Fetches"),
            "removed_by_filter": plan.total("Rows Removed by Filter"),
            "rows": plan.actual_rows,
        }

    def rows_with_index(
        self, index_sql: str, sql: str, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` with the index ``index_sql`` in place (then rolled back)."""
        with self.server.connect(autocommit=False) as connection:
            connection.execute(_text(index_sql), prepare=True)  # one statement only
            rows = connection.execute(_text(sql), dict(params)).fetchall()
            connection.rollback()
        return [tuple(_plain(value) for value in row) for row in rows]

    def expected_recent_paid(self, customer_id: int, limit: int) -> list[tuple[Any, ...]]:
        """The reference answer of Part A: the customer's paid orders, newest first."""
        return self.rows(
            "SELECT id, created_at, total_cents FROM orders "
            "WHERE customer_id = %(c)s AND status = 'paid' ORDER BY created_at DESC LIMIT %(n)s",
            {"c": customer_id, "n": limit},
        )

    def expected_page(self, customer_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
        """The reference answer of Part C, read with plain SQL."""
        orders = self.rows(
            "SELECT id, status, total_cents FROM orders "
            "WHERE customer_id = %(c)s AND id > %(a)s ORDER BY id LIMIT %(n)s",
            {"c": customer_id, "a": after_id, "n": limit},
        )
        items = self.rows(
            "SELECT order_id, product, qty FROM order_items "
            "WHERE order_id = ANY(%(ids)s) ORDER BY id",
            {"ids": [order_id for order_id, _, _ in orders]},
        )
        return [
            {
                "id": order_id,
                "status": status,
                "total_cents": total,
                "items": [(product, qty) for owner, product, qty in items if owner == order_id],
            }
            for order_id, status, total in orders
        ]

    def reset_statements(self) -> None:
        """Forget every statement counted so far."""
        self.server.client.execute("SELECT pg_stat_statements_reset()")

    def statements_read_shop(self) -> int:
        """How many statements the learner's login ran, since the last reset, that name
        ``orders`` or ``order_items``."""
        rows = self.server.client.execute(
            "SELECT query, calls FROM pg_stat_statements WHERE userid = %s::regrole",
            (LEARNER,),
        ).fetchall()
        return sum(int(calls) for query, calls in rows if SHOP_TABLES.search(query))


def _text(sql: Any) -> str:
    if type(sql) is not str:
        raise TypeError(f"the answer must be a str of SQL, not {type(sql).__name__}")
    return sql


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _index_names(connection: psycopg.Connection[Any]) -> set[str]:
    return {name for name, _, _ in _indexes(connection)}


def _indexes(connection: psycopg.Connection[Any]) -> list[tuple[str, str, str]]:
    return [
        (str(a), str(b), str(c))
        for a, b, c in connection.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        ).fetchall()
    ]


@cache
def shop_database() -> ShopDatabase:
    """The shop, on a server started on first use and kept for the rest of the process."""
    server = postgres_server(
        settings={
            "shared_preload_libraries": "pg_stat_statements",
            "pg_stat_statements.track": "all",
            "pg_stat_statements.track_utility": "off",
            "max_connections": "40",
            "shared_buffers": "32MB",
        }
    )
    return ShopDatabase(server)
