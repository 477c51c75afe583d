"""A real deadlock between two PostgreSQL transactions, the lock waits seen in ``pg_locks``,
the server's deadlock detector timed, and an application that retries the victim.

PostgreSQL does not look for deadlocks all the time: a transaction that has waited for a lock
for ``deadlock_timeout`` (1 s by default) runs the check once, and if it sits on a cycle it is
aborted with SQLSTATE ``40P01`` (``psycopg.errors.DeadlockDetected``). The setting is per
session, which the measurement below uses to decide which of the two transactions checks.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors

if TYPE_CHECKING:
    from advpy.services import PostgresServer

#: The query that shows who waits for whom: one row per lock asked for and not granted.
LOCK_WAITS = """
SELECT a.application_name, l.locktype, l.mode, l.granted, pg_blocking_pids(l.pid)
FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE NOT l.granted AND a.datname = current_database()
"""


def make_accounts(db: PostgresServer, accounts: int = 2, balance: int = 100) -> None:
    """(Re)create the table ``accounts (id, balance)`` with ``accounts`` rows."""
    db.client.execute("DROP TABLE IF EXISTS accounts")
    db.client.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)")
    for i in range(1, accounts + 1):
        db.client.execute("INSERT INTO accounts VALUES (%s, %s)", [i, balance])


def balances(db: PostgresServer) -> dict[int, int]:
    """Each account's balance."""
    rows = db.client.execute("SELECT id, balance FROM accounts ORDER BY id").fetchall()
    return {row[0]: row[1] for row in rows}


def session(db: PostgresServer, name: str, deadlock_timeout_ms: int) -> psycopg.Connection[Any]:
    """A connection named ``name`` (shown in ``pg_stat_activity``) with its own
    ``deadlock_timeout``."""
    conn = db.connect(application_name=name)
    conn.execute(f"SET deadlock_timeout = '{int(deadlock_timeout_ms)}ms'")
    conn.commit()
    return conn


@dataclass(frozen=True)
class PgDeadlock:
    """One deadlock between T1 and T2 as the server saw it."""

    deadlock_timeout_ms: int
    waits: list[tuple[Any, ...]]  # pg_locks rows while T1 alone waited
    victim: str
    sqlstate: str
    message: str
    detected_after: float  # seconds from the cycle closing to the victim's error
    balances: dict[int, int]  # after the victim's transfer was retried


def _update(conn: psycopg.Connection[Any], account: int, delta: int) -> None:
    conn.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", [delta, account])


def _waiting(observer: psycopg.Connection[Any], name: str) -> bool:
    rows = observer.execute(LOCK_WAITS).fetchall()
    return any(row[0] == name for row in rows)


def pg_deadlock(db: PostgresServer, deadlock_timeout_ms: int) -> PgDeadlock:
    """T1 moves 10 from account 1 to 2 while T2 moves 25 from 2 to 1, in the deadlocking order.

    T1 updates row 1, T2 row 2; T1 asks for row 2 and waits (the observer reads ``pg_locks``
    then); T2 asks for row 1 and the cycle closes. T1 is given a long ``deadlock_timeout``, so
    the check that finds the cycle is T2's, and the time measured is T2's setting at work. The
    victim's transaction is rolled back and retried after the other commits.
    """
    make_accounts(db)
    t1 = session(db, "T1", 60_000)
    t2 = session(db, "T2", deadlock_timeout_ms)
    observer = db.connect(autocommit=True, application_name="observer")
    outcome: dict[str, Any] = {}

    def second_update(name: str, conn: psycopg.Connection[Any], account: int, delta: int) -> None:
        try:
            _update(conn, account, delta)
        except errors.DeadlockDetected as error:
            outcome[name] = (time.perf_counter(), error)
            conn.rollback()
        else:
            outcome[name] = (time.perf_counter(), None)

    try:
        _update(t1, 1, -10)
        _update(t2, 2, -25)
        first = threading.Thread(target=second_update, args=("T1", t1, 2, +10))
        first.start()
        while not _waiting(observer, "T1"):
            time.sleep(0.001)
        waits = observer.execute(LOCK_WAITS).fetchall()
        closed = time.perf_counter()
        second = threading.Thread(target=second_update, args=("T2", t2, 1, +25))
        second.start()
        second.join()
        first.join()
        victim = next(name for name, (_, error) in outcome.items() if error is not None)
        when, error = outcome[victim]
        survivor = t1 if victim == "T2" else t2
        survivor.commit()
        loser = t2 if victim == "T2" else t1
        if victim == "T2":  # the application retries the victim's whole transaction
            _update(loser, 2, -25)
            _update(loser, 1, +25)
        else:
            _update(loser, 1, -10)
            _update(loser, 2, +10)
        loser.commit()
        return PgDeadlock(
            deadlock_timeout_ms=deadlock_timeout_ms,
            waits=waits,
            victim=victim,
            sqlstate=error.sqlstate or "",
            message=str(error).splitlines()[0],
            detected_after=when - closed,
            balances=balances(db),
        )
    finally:
        for conn in (t1, t2, observer):
            conn.close()


def measure_detection(db: PostgresServer, timeouts_ms: list[int]) -> list[PgDeadlock]:
    """One forced deadlock per ``deadlock_timeout`` setting."""
    return [pg_deadlock(db, ms) for ms in timeouts_ms]


@dataclass(frozen=True)
class RetryRun:
    """Two threads making opposite transfers, retried on deadlock."""

    order: str
    transfers: int
    deadlocks: int
    balances: dict[int, int]
    seconds: float


def transfer(
    conn: psycopg.Connection[Any], payer: int, payee: int, amount: int, *, ordered: bool
) -> int:
    """Move ``amount`` in one transaction; retry it whole when it is a deadlock's victim.
    Returns how many deadlocks it lost. ``ordered`` updates the rows in id order."""
    lost = 0
    steps = [(payer, -amount), (payee, +amount)]
    if ordered:
        steps.sort()
    while True:
        try:
            with conn.transaction():
                for account, delta in steps:
                    _update(conn, account, delta)
                    time.sleep(0.002)  # some work between the two updates
            return lost
        except errors.DeadlockDetected:
            lost += 1
            time.sleep(random.uniform(0, 0.01))


def opposite_transfers(
    db: PostgresServer, *, rounds: int, ordered: bool, deadlock_timeout_ms: int
) -> RetryRun:
    """Two threads, ``rounds`` transfers each, 1 -> 2 and 2 -> 1 at the same time."""
    make_accounts(db)
    lost = [0, 0]

    def worker(index: int, payer: int, payee: int) -> None:
        with session(db, f"T{index + 1}", deadlock_timeout_ms) as conn:
            conn.autocommit = True  # transactions come from conn.transaction()
            for _ in range(rounds):
                lost[index] += transfer(conn, payer, payee, 1, ordered=ordered)

    pair = [
        threading.Thread(target=worker, args=(0, 1, 2)),
        threading.Thread(target=worker, args=(1, 2, 1)),
    ]
    began = time.perf_counter()
    for thread in pair:
        thread.start()
    for thread in pair:
        thread.join()
    return RetryRun(
        order="id order" if ordered else "payer first",
        transfers=2 * rounds,
        deadlocks=sum(lost),
        balances=balances(db),
        seconds=time.perf_counter() - began,
    )


def deadlock_log_lines(db: PostgresServer) -> list[str]:
    """The server log's lines about deadlocks (ERROR and its DETAIL)."""
    lines = db.log_text().splitlines()
    keep = ("deadlock detected", "waits for", "blocked by")
    return [line for line in lines if any(word in line for word in keep)]
