"""Two app processes that share one Redis and one database, each with a cache of its own.

An :class:`AppProcess` is a real separate Python process (started with *spawn*, as on macOS and
Windows) that serves a product's price from three places, fastest first: its own dictionary
(a "near cache"), Redis, then the shop's SQLite database. When it changes a price it writes the
database, deletes the Redis entry, drops its own copy and publishes the product's key on a
Redis channel; a process that listens on that channel drops its copy when the message arrives.
Each process also has a ``functools.lru_cache`` in front of the same query, to show what such a
cache cannot do: it is private to its process, and nothing can invalidate it from outside.

The notebook drives the processes through :meth:`AppProcess.call`, which sends one command over
a pipe and waits for the answer. ``call("sync")`` returns once the process has handled every
invalidation published before it (it publishes a marker of its own and waits for it), so that
what the notebook prints next does not depend on how fast the machine is.
"""

from __future__ import annotations

import functools
import multiprocessing
import sqlite3
import threading
import time
import uuid
from multiprocessing.connection import Connection
from typing import Any

CHANNEL = "price-invalidations"


def _price_from_db(path: str, product_id: int) -> int:
    with sqlite3.connect(path) as db:
        (cents,) = db.execute(
            "SELECT price_cents FROM products WHERE id = ?", (product_id,)
        ).fetchone()
    db.close()
    return int(cents)


def serve(conn: Connection, redis_url: str, db_path: str, listen: bool) -> None:
    """The body of an app process: answer commands from ``conn`` until "stop"."""
    import redis

    r = redis.Redis.from_url(redis_url, decode_responses=True)
    local: dict[str, int] = {}
    received: list[tuple[str, float]] = []
    lock = threading.Lock()
    db_reads = 0
    stop = threading.Event()
    waiting: dict[str, threading.Event] = {}

    @functools.lru_cache(maxsize=1024)
    def price_lru(product_id: int) -> int:
        nonlocal db_reads
        db_reads += 1
        return _price_from_db(db_path, product_id)

    pubsub = r.pubsub(ignore_subscribe_messages=True)
    listener = None
    if listen:
        pubsub.subscribe(CHANNEL)
        pubsub.get_message(timeout=1.0)  # the confirmation: subscribed from here on

        def listen_loop() -> None:
            while not stop.is_set():
                message = pubsub.get_message(timeout=0.05)
                if message is None or message["type"] != "message":
                    continue
                if message["data"].startswith("sync:"):
                    with lock:
                        waiting.pop(message["data"], threading.Event()).set()
                    continue
                with lock:
                    received.append((message["data"], time.monotonic()))
                    local.pop(message["data"], None)

        listener = threading.Thread(target=listen_loop, daemon=True)
        listener.start()

    def get(product_id: int) -> tuple[int, str]:
        nonlocal db_reads
        key = f"price:{product_id}"
        with lock:
            if key in local:
                return local[key], "own dictionary"
        cached = r.get(key)
        if cached is not None:
            source = "Redis"
            cents = int(cached)
        else:
            source = "database"
            db_reads += 1
            cents = _price_from_db(db_path, product_id)
            r.set(key, cents, ex=300)
        with lock:
            local[key] = cents
        return cents, source

    def set_price(product_id: int, cents: int) -> float:
        key = f"price:{product_id}"
        with sqlite3.connect(db_path) as db:
            db.execute("UPDATE products SET price_cents = ? WHERE id = ?", (cents, product_id))
        db.close()
        r.delete(key)
        with lock:
            local.pop(key, None)
        published = time.monotonic()
        r.publish(CHANNEL, key)
        return published

    while True:
        command, *args = conn.recv()
        if command == "stop":
            break
        if command == "get":
            conn.send(get(*args))
        elif command == "get_lru":
            info = price_lru.cache_info()
            cents = price_lru(*args)
            hit = price_lru.cache_info().hits > info.hits
            conn.send((cents, "lru_cache hit" if hit else "lru_cache miss"))
        elif command == "set_price":
            conn.send(set_price(*args))
        elif command == "sync":
            # Messages on a channel arrive in order: once our own marker is back, every message
            # published before it has been handled.
            marker, arrived = f"sync:{uuid.uuid4().hex}", threading.Event()
            with lock:
                waiting[marker] = arrived
            r.publish(CHANNEL, marker)
            conn.send(arrived.wait(5))
        elif command == "received":
            with lock:
                conn.send(list(received))
        elif command == "db_reads":
            conn.send(db_reads)
        else:
            conn.send(ValueError(f"unknown command {command!r}"))
    stop.set()
    if listener is not None:
        listener.join()
    pubsub.close()
    r.close()
    conn.send("stopped")


class AppProcess:
    """One app process, started at once; a context manager that stops it."""

    def __init__(self, name: str, redis_url: str, db_path: str, *, listen: bool = True) -> None:
        self.name = name
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child, redis_url, db_path, listen), name=name, daemon=True
        )
        self.process.start()
        child.close()

    def call(self, *command: Any) -> Any:
        """Send one command (``"get", 7`` or ``"set_price", 7, 999``...) and return the answer."""
        self._conn.send(command)
        answer = self._conn.recv()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def stop(self) -> None:
        """Ask the process to finish, and wait for it."""
        if self.process.is_alive():
            try:
                self.call("stop")
            except (EOFError, OSError):
                pass
            self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self._conn.close()

    def __enter__(self) -> AppProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def invalidation_delays(
    writer: AppProcess, reader: AppProcess, product_ids: list[int]
) -> list[float]:
    """For each product: the reader caches its price, the writer changes it; the time from the
    writer's PUBLISH to the reader's receipt of the message, in seconds (both read the same
    system-wide monotonic clock)."""
    delays = []
    for product_id in product_ids:
        reader.call("get", product_id)
        before = len(reader.call("received"))
        published = writer.call("set_price", product_id, 100 + product_id)
        deadline = time.monotonic() + 5
        while len(received := reader.call("received")) == before and time.monotonic() < deadline:
            time.sleep(0.001)
        if len(received) > before:
            delays.append(received[before][1] - published)
    return delays
