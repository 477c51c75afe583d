"""The shop's schema and a realistic data set, generated from a seed and loaded with ``COPY``.

Three tables: ``customers``, their ``orders`` and the orders' ``order_items``. Orders are made
in time order (ids grow with ``created_at``), most are delivered and few are pending, and every
order carries a delivery note of a few hundred bytes, which makes its rows wide, as real orders
are (addresses, JSON blobs, comments). No index exists beyond the primary keys: PostgreSQL does
not index foreign-key columns by itself.
"""

from __future__ import annotations

import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

SCHEMA = """
CREATE TABLE customers (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    country    text NOT NULL
);
CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    status      text NOT NULL,
    created_at  timestamptz NOT NULL,
    total_cents integer NOT NULL,
    note        text NOT NULL
);
CREATE TABLE order_items (
    id          bigint PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    product     text NOT NULL,
    qty         integer NOT NULL,
    price_cents integer NOT NULL
);
"""

#: Order states and how often each occurs (pending orders are rare: a partial index's case).
STATUSES = {"delivered": 80, "shipped": 8, "paid": 6, "cancelled": 5, "pending": 1}
COUNTRIES = ("DE", "FR", "NL", "PL", "IT", "ES", "SE", "CZ")
PRODUCTS = tuple(f"product-{n:03d}" for n in range(200))
START = datetime(2024, 1, 1, tzinfo=UTC)
#: The time the orders span.
SPAN = timedelta(days=730)
WORDS = ("leave", "at", "the", "door", "ring", "twice", "gift", "wrap", "please", "back", "yard")


@dataclass(frozen=True)
class ShopSize:
    """How many rows each table got, and how long making and loading them took."""

    customers: int
    orders: int
    items: int
    seconds: float


def _note(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(30, 70)))


def generate(
    customers: int, orders: int, seed: int = 16
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Rows for the three tables: ``orders`` orders of ``customers`` customers (a few customers
    order much more than others), one to five items each."""
    rng = random.Random(seed)
    customer_rows = [(n, f"customer {n}", rng.choice(COUNTRIES)) for n in range(1, customers + 1)]
    states, weights = list(STATUSES), list(STATUSES.values())
    order_rows: list[tuple[Any, ...]] = []
    item_rows: list[tuple[Any, ...]] = []
    step = SPAN / orders
    item_id = 0
    for order_id in range(1, orders + 1):
        # A skewed choice: low customer ids are the shop's regulars.
        customer = min(customers, int(customers * rng.random() ** 1.5) + 1)
        created = START + step * order_id + timedelta(seconds=rng.randint(0, 59))
        total = 0
        for _ in range(rng.randint(1, 5)):
            item_id += 1
            qty, price = rng.randint(1, 4), rng.randint(199, 9999)
            total += qty * price
            item_rows.append((item_id, order_id, rng.choice(PRODUCTS), qty, price))
        status = rng.choices(states, weights)[0]
        order_rows.append((order_id, customer, status, created, total, _note(rng)))
    return customer_rows, order_rows, item_rows


def load(connection: psycopg.Connection[Any], customers: int, orders: int) -> ShopSize:
    """Create the schema and load a generated data set with ``COPY``, then ``VACUUM ANALYZE``
    (fresh statistics for the planner, and a visibility map for index-only scans).
    ``connection`` must be in autocommit mode."""
    started = time.perf_counter()
    customer_rows, order_rows, item_rows = generate(customers, orders)
    connection.execute(SCHEMA)
    tables = {
        "customers (id, name, country)": customer_rows,
        "orders (id, customer_id, status, created_at, total_cents, note)": order_rows,
        "order_items (id, order_id, product, qty, price_cents)": item_rows,
    }
    with connection.cursor() as cursor:
        for table, rows in tables.items():
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                # COPY's text format: one line per row, tab between values (none of the
                # generated values holds a tab, a newline or a backslash).
                for start in range(0, len(rows), 10_000):
                    chunk = rows[start : start + 10_000]
                    copy.write("".join("\t".join(map(str, row)) + "\n" for row in chunk))
    connection.execute("VACUUM ANALYZE")
    return ShopSize(
        len(customer_rows), len(order_rows), len(item_rows), time.perf_counter() - started
    )


def table_sizes(connection: psycopg.Connection[Any]) -> dict[str, int]:
    """Bytes on disk of each table (its heap and TOAST, without indexes)."""
    rows = connection.execute(
        "SELECT relname, pg_table_size(oid) FROM pg_class "
        "WHERE relname IN ('customers', 'orders', 'order_items') ORDER BY relname"
    ).fetchall()
    return {name: size for name, size in rows}


def sqlite_copy(customers: int, orders: int) -> sqlite3.Connection:
    """The same data set in an in-memory SQLite database (no indexes beyond the keys)."""
    customer_rows, order_rows, item_rows = generate(customers, orders)
    database = sqlite3.connect(":memory:")
    database.executescript(SCHEMA.replace("timestamptz", "text").replace("bigint", "integer"))
    database.executemany("INSERT INTO customers VALUES (?, ?, ?)", customer_rows)
    database.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)",
        [(*row[:3], row[3].isoformat(), *row[4:]) for row in order_rows],
    )
    database.executemany("INSERT INTO order_items VALUES (?, ?, ?, ?, ?)", item_rows)
    database.execute("ANALYZE")
    return database
