"""An order pipeline with a transactional outbox, a relay and consumers, on SQLite and a Redis
stream.

- The **shop** (one SQLite file) writes an order and its event into ``outbox`` in one
  transaction (:func:`place_order`): both happen or neither does.
- The **relay** (:func:`run_relay`, its own process) reads unpublished outbox rows in order,
  adds each to the Redis stream with ``XADD``, then marks them published. A relay that dies
  between the two steps publishes those rows again when it restarts: at least once.
- A **consumer** (:func:`run_consumer`, its own process) reads the stream in a consumer group,
  applies each event to the ledger (another SQLite file) in one transaction, then ``XACK``\\ s
  it. Before it reads new messages it claims, with ``XAUTOCLAIM``, those that another consumer
  of the group took and left unacknowledged for a while (a consumer that died). The naive
  consumer applies whatever it is given; the idempotent one first inserts the event's id into
  ``processed`` in the same transaction and skips an event whose id is there already.

Every application is also written to ``applications`` (in the same transaction), so that the
notebook can count from outside which events were applied never, once, or twice.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from advpy.services import lifecycle
from advpy.services.lifecycle import ServerProcess

STREAM = "orders"

SHOP_SCHEMA = """
CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT NOT NULL, cents INTEGER NOT NULL);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0
);
"""

LEDGER_SCHEMA = """
CREATE TABLE balances (customer TEXT PRIMARY KEY, cents INTEGER NOT NULL);
CREATE TABLE processed (event_id TEXT PRIMARY KEY);
CREATE TABLE applications (event_id TEXT NOT NULL, consumer TEXT NOT NULL);
"""


def create_shop(path: str | Path) -> None:
    """A new shop database: ``orders`` and its ``outbox``."""
    with sqlite3.connect(path) as connection:
        connection.executescript(SHOP_SCHEMA)
    connection.close()


def create_ledger(path: str | Path) -> None:
    """A new ledger database: ``balances``, ``processed`` and the ``applications`` record."""
    with sqlite3.connect(path) as connection:
        connection.executescript(LEDGER_SCHEMA)
    connection.close()


def place_order(path: str | Path, order_id: str, customer: str, cents: int) -> None:
    """Write the order and its ``order_placed`` event in one transaction."""
    event: dict[str, object] = {"event_id": f"evt-{order_id}", "order_id": order_id}
    event.update(customer=customer, cents=cents)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("INSERT INTO orders VALUES (?, ?, ?)", (order_id, customer, cents))
            connection.execute(
                "INSERT INTO outbox (event_id, payload) VALUES (?, ?)",
                (event["event_id"], json.dumps(event)),
            )
    finally:
        connection.close()


def relay_batch(shop: str | Path, store: redis.Redis, *, batch: int, pause: float = 0.0) -> int:
    """Publish the next ``batch`` unpublished outbox rows to the stream, then mark them
    published; ``pause`` seconds between the two steps (where a crash makes duplicates).
    Returns the number of rows published."""
    connection = sqlite3.connect(shop)
    try:
        rows = connection.execute(
            "SELECT seq, payload FROM outbox WHERE published = 0 ORDER BY seq LIMIT ?", (batch,)
        ).fetchall()
        for _seq, payload in rows:
            event = json.loads(payload)
            store.xadd(STREAM, {"event_id": event["event_id"], "payload": payload})
        time.sleep(pause if rows else 0)
        with connection:
            connection.executemany(
                "UPDATE outbox SET published = 1 WHERE seq = ?", [(seq,) for seq, _ in rows]
            )
        return len(rows)
    finally:
        connection.close()


def run_relay(shop: str, url: str, *, batch: int, pause: float, idle_exit: float) -> None:
    """The relay's loop (run in its own process): publish batches until the outbox has been
    empty for ``idle_exit`` seconds."""
    store = redis.Redis.from_url(url, decode_responses=True)
    idle_since = time.monotonic()
    while time.monotonic() - idle_since < idle_exit:
        if relay_batch(shop, store, batch=batch, pause=pause):
            idle_since = time.monotonic()
        else:
            time.sleep(0.02)


def apply_event(
    connection: sqlite3.Connection, fields: dict[str, str], *, consumer: str, idempotent: bool
) -> bool:
    """Apply one event to the ledger in one transaction; False when the idempotent consumer
    has seen its id before (nothing is changed then)."""
    event = json.loads(fields["payload"])
    with connection:
        if idempotent:
            seen = (
                connection.execute(
                    "INSERT INTO processed VALUES (?) ON CONFLICT DO NOTHING", (event["event_id"],)
                ).rowcount
                == 0
            )
            if seen:
                return False
        connection.execute(
            "INSERT INTO balances VALUES (?, ?) "
            "ON CONFLICT (customer) DO UPDATE SET cents = cents + excluded.cents",
            (event["customer"], event["cents"]),
        )
        connection.execute("INSERT INTO applications VALUES (?, ?)", (event["event_id"], consumer))
    return True


def run_consumer(
    ledger: str,
    url: str,
    *,
    group: str,
    consumer: str,
    idempotent: bool,
    batch: int,
    pause: float,
    claim_after_ms: int,
    idle_exit: float,
) -> None:
    """A consumer's loop (run in its own process): claim what a dead consumer left pending,
    else read new messages; apply each, pause ``pause`` seconds, then ``XACK`` it. Ends after
    ``idle_exit`` seconds with nothing to do."""
    store = redis.Redis.from_url(url, decode_responses=True)
    connection = sqlite3.connect(ledger, timeout=30)
    idle_since = time.monotonic()
    while time.monotonic() - idle_since < idle_exit:
        # entries any consumer of the group (itself included) has held unacknowledged for
        # claim_after_ms: a dead consumer's batch
        claimed: Any = store.xautoclaim(STREAM, group, consumer, claim_after_ms, "0-0", count=batch)
        messages = claimed[1]
        if not messages:
            read: Any = store.xreadgroup(group, consumer, {STREAM: ">"}, count=batch, block=50)
            messages = [message for _, entries in read for message in entries]
        for message_id, fields in messages:
            apply_event(connection, fields, consumer=consumer, idempotent=idempotent)
            time.sleep(pause)  # the gap between commit and XACK, where a crash duplicates
            store.xack(STREAM, group, message_id)
        if messages:
            idle_since = time.monotonic()
    connection.close()
    store.close()


def start_group(store: redis.Redis, group: str) -> None:
    """Create the consumer group ``group`` on the stream, reading it from its first entry."""
    store.xgroup_create(STREAM, group, id="0", mkstream=True)


class Process:
    """A relay or consumer started with ``python -c`` behind the course's watchdog (so it ends
    with the notebook), to be killed with SIGKILL or waited for."""

    def __init__(self, function: str, **arguments: object) -> None:
        code = (
            "import json, sys; from advpy.lessons.events import pipeline; "
            f"pipeline.{function}(**json.loads(sys.argv[1]))"
        )
        self._process = ServerProcess(
            [sys.executable, "-c", code, json.dumps(arguments)],
            data_dir=lifecycle.make_data_dir(function.replace("_", "-")),
            stop_signal=signal.SIGTERM,
            grace=2.0,
        )
        self.pid = self._process.server_pid

    @property
    def running(self) -> bool:
        """True until the process has exited."""
        return self._process.poll() is None

    def kill(self) -> None:
        """``kill -9``, then wait until it is gone."""
        os.kill(self.pid, signal.SIGKILL)
        self.wait(10)

    def wait(self, timeout: float) -> int | None:
        """Wait until it ends (its exit status) or ``timeout`` seconds pass (None); its
        folder is removed once it has ended."""
        deadline = time.monotonic() + timeout
        while (status := self._process.poll()) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if status is not None:
            self.stop()
        return status

    def log_lines(self, count: int = 10) -> list[str]:
        """What it printed last (a traceback, if it failed)."""
        return self._process.read_log_lines(count)

    def stop(self) -> None:
        """Stop it if it still runs; remove its folder."""
        self._process.stop()
        self._process.discard_data()


def count_rows(path: str | Path, table: str) -> int:
    """The number of rows of ``table`` (a name of this module's schemas)."""
    connection = sqlite3.connect(path, timeout=30)
    try:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def wait_for_rows(path: str | Path, table: str, at_least: int, timeout: float = 30) -> int:
    """Poll until ``table`` has ``at_least`` rows (returns the count), or TimeoutError."""
    deadline = time.monotonic() + timeout
    while (count := count_rows(path, table)) < at_least:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{table} has {count} rows, not {at_least}")
        time.sleep(0.002)
    return count


@dataclass(frozen=True)
class Tally:
    """What a ledger holds compared with the orders placed."""

    orders: int  # events placed in the shop
    applied_once: int
    applied_twice_or_more: int
    lost: int  # never applied
    balances_right: bool  # every customer's balance equals the sum of their orders


def tally(shop: str | Path, ledger: str | Path) -> Tally:
    """Count, from the two databases, how often each placed order was applied."""
    with_shop = sqlite3.connect(shop)
    orders = with_shop.execute("SELECT id, customer, cents FROM orders").fetchall()
    with_shop.close()
    with_ledger = sqlite3.connect(ledger)
    applied = Counter(
        event_id for (event_id,) in with_ledger.execute("SELECT event_id FROM applications")
    )
    balances = dict(with_ledger.execute("SELECT customer, cents FROM balances").fetchall())
    with_ledger.close()
    expected: Counter[str] = Counter()
    for _order_id, customer, cents in orders:
        expected[customer] += cents
    counts = [applied.get(f"evt-{order_id}", 0) for order_id, _, _ in orders]
    return Tally(
        orders=len(orders),
        applied_once=sum(1 for c in counts if c == 1),
        applied_twice_or_more=sum(1 for c in counts if c >= 2),
        lost=sum(1 for c in counts if c == 0),
        balances_right=balances == dict(expected),
    )


def place_orders(shop: str | Path, count: int, customers: Iterable[str]) -> None:
    """``count`` orders, round-robin over ``customers``, of 100 + 7 * i cents each."""
    names = list(customers)
    for number in range(count):
        place_order(shop, f"o{number:04d}", names[number % len(names)], 100 + 7 * number)
