"""The slow database behind every cache of the lesson: a shop in SQLite.

A product page needs the product and a summary of its reviews. The reviews table has no index
on ``product_id`` (on purpose, as in many real schemas that grew), so every page reads the whole
table: a real query that takes milliseconds, not a ``sleep``. The database counts the queries
it answers, so that a cache's effect can be read as "queries saved" as well as in time.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

#: A product page: what a cache stores for one product.
Page = dict[str, Any]


class ShopDatabase:
    """Products and reviews in an SQLite file in a temporary folder; one connection per thread.

    ``page(product_id)`` is the slow read, ``set_price(product_id, cents)`` the write (it bumps
    the product's version). ``reads`` and ``writes`` count the queries answered.
    """

    def __init__(self, products: int = 500, reviews: int = 100_000, seed: int = 14) -> None:
        self.products = products
        self.folder = Path(tempfile.mkdtemp(prefix="advpy-shop-"))
        self.path = self.folder / "shop.sqlite"
        self.reads = 0
        self.writes = 0
        self._count_lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        rng = random.Random(seed)
        with sqlite3.connect(self.path) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price_cents INTEGER,"
                " version INTEGER NOT NULL DEFAULT 1)"
            )
            db.execute("CREATE TABLE reviews (product_id INTEGER, stars INTEGER, body TEXT)")
            db.executemany(
                "INSERT INTO products (id, name, price_cents) VALUES (?, ?, ?)",
                [(i, f"product {i}", rng.randrange(100, 10_000)) for i in range(products)],
            )
            db.executemany(
                "INSERT INTO reviews VALUES (?, ?, ?)",
                (
                    (rng.randrange(products), rng.randint(1, 5), "fine " * rng.randint(1, 8))
                    for _ in range(reviews)
                ),
            )
        db.close()

    def _db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            # A small page cache, as a database under load from other tables has for this one:
            # each scan of the reviews reads its pages again.
            connection.execute("PRAGMA cache_size = -256")
            # In WAL mode, NORMAL syncs at checkpoints only: a commit costs no fsync (a crash
            # of the machine may lose the last commits, never corrupt the file).
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
            with self._count_lock:
                self._connections.append(connection)
        return connection

    def page(self, product_id: int) -> Page | None:
        """The product page (name, price, version, review count and average stars), or None."""
        with self._count_lock:
            self.reads += 1
        db = self._db()
        row = db.execute(
            "SELECT id, name, price_cents, version FROM products WHERE id = ?", (product_id,)
        ).fetchone()
        if row is None:
            return None
        row += db.execute(  # the slow part: a scan of every review
            "SELECT count(*), round(avg(stars), 2) FROM reviews WHERE product_id = ?",
            (product_id,),
        ).fetchone()
        keys = ("id", "name", "price_cents", "version", "reviews", "stars")
        return dict(zip(keys, row, strict=True))

    def set_price(self, product_id: int, cents: int) -> int:
        """Change a product's price; returns its new version."""
        with self._count_lock:
            self.writes += 1
        db = self._db()
        with db:
            db.execute(
                "UPDATE products SET price_cents = ?, version = version + 1 WHERE id = ?",
                (cents, product_id),
            )
            (version,) = db.execute(
                "SELECT version FROM products WHERE id = ?", (product_id,)
            ).fetchone()
        return int(version)

    def set_prices(self, changes: list[tuple[int, int]]) -> None:
        """Several price changes in one transaction (what a write-behind flush does)."""
        with self._count_lock:
            self.writes += 1
        db = self._db()
        with db:
            db.executemany(
                "UPDATE products SET price_cents = ?, version = version + 1 WHERE id = ?",
                [(cents, product_id) for product_id, cents in changes],
            )

    def price(self, product_id: int) -> int | None:
        """The stored price, by its primary key (fast; not counted: it is for checking)."""
        row = (
            self._db()
            .execute("SELECT price_cents FROM products WHERE id = ?", (product_id,))
            .fetchone()
        )
        return None if row is None else int(row[0])

    def time_page(self, product_id: int = 1, repeats: int = 5) -> float:
        """The best time of one uncached page query, in seconds."""
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            self.page(product_id)
            best = min(best, time.perf_counter() - start)
        return best

    def reset_counts(self) -> None:
        with self._count_lock:
            self.reads = self.writes = 0

    def close(self) -> None:
        """Close every connection and remove the folder."""
        with self._count_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> ShopDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
