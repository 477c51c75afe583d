"""The users service in the four versions of an expand/contract rename of ``users.name`` to
``users.display_name``, each a FastAPI app on PostgreSQL:

====  =========================  ==========================
 v1   reads ``name``              writes ``name``
 v2   reads ``name``              writes both columns
 v3   reads ``display_name``      writes both columns
 v4   reads ``display_name``      writes ``display_name``
====  =========================  ==========================

Every version answers ``POST /users`` (``{"name": ...}`` -> ``{"id": ...}``), ``GET
/users/{id}`` and ``PUT /users/{id}``; a database error is answered ``500`` with the error's
first line, so the load can count it.
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

#: Which column each version reads, and which it writes.
READS = {"v1": "name", "v2": "name", "v3": "display_name", "v4": "display_name"}
WRITES = {
    "v1": ("name",),
    "v2": ("name", "display_name"),
    "v3": ("name", "display_name"),
    "v4": ("display_name",),
}

SCHEMA = """
DROP TABLE IF EXISTS users;
CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL);
"""


class UserIn(BaseModel):
    name: str


def create_schema(url: str, users: int) -> None:
    """A fresh ``users`` table with ``users`` rows named ``user-1``, ``user-2``..."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(SCHEMA)
        connection.execute(
            "INSERT INTO users (name) SELECT 'user-' || n FROM generate_series(1, %s) AS n",
            [users],
        )


def make_app(version: str, url: str) -> FastAPI:
    """The users service of ``version`` ("v1" to "v4") on the database at ``url``."""
    read, written = READS[version], WRITES[version]
    app = FastAPI(title=f"users {version}")
    connection = psycopg.connect(url, autocommit=True)
    lock = threading.Lock()
    app.router.on_shutdown.append(connection.close)

    def query(sql: str, params: list[Any]) -> tuple[Any, ...] | None:
        with lock:
            cursor = connection.execute(sql, params)
            return cursor.fetchone() if cursor.description else None

    def failed(error: psycopg.Error) -> JSONResponse:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return JSONResponse({"error": first_line, "version": version}, status_code=500)

    @app.get("/")
    def version_info() -> dict[str, str]:
        return {"version": version}

    @app.post("/users")
    def create(user: UserIn) -> Any:
        columns = ", ".join(written)
        marks = ", ".join(["%s"] * len(written))
        try:
            row = query(
                f"INSERT INTO users ({columns}) VALUES ({marks}) RETURNING id",
                [user.name] * len(written),
            )
        except psycopg.Error as error:
            return failed(error)
        assert row is not None
        return {"id": row[0], "version": version}

    @app.get("/users/{user_id}")
    def read_user(user_id: int) -> Any:
        try:
            row = query(f"SELECT {read} FROM users WHERE id = %s", [user_id])
        except psycopg.Error as error:
            return failed(error)
        if row is None:
            return JSONResponse({"error": "no such user"}, status_code=404)
        return {"id": user_id, "name": row[0], "version": version}

    @app.put("/users/{user_id}")
    def rename(user_id: int, user: UserIn) -> Any:
        sets = ", ".join(f"{column} = %s" for column in written)
        try:
            query(f"UPDATE users SET {sets} WHERE id = %s", [*[user.name] * len(written), user_id])
        except psycopg.Error as error:
            return failed(error)
        return {"id": user_id, "version": version}

    return app


BACKFILL_BATCH = """
WITH batch AS (SELECT id FROM users WHERE id > %s ORDER BY id LIMIT %s)
UPDATE users SET display_name = name FROM batch WHERE users.id = batch.id
RETURNING users.id
"""


def backfill(url: str, batch_size: int) -> int:
    """Copy ``name`` into ``display_name`` in batches of ``batch_size`` rows in id order, each
    batch its own short transaction (a row lock on that batch only); returns the batches run.

    The next batch starts after the last id done (keyset), so every row is visited once, rows
    added meanwhile by dual-writing versions are already right, and a stopped backfill can
    start again from the top without harm."""
    batches, last = 0, 0
    with psycopg.connect(url, autocommit=True) as connection:
        while True:
            ids = [row[0] for row in connection.execute(BACKFILL_BATCH, [last, batch_size])]
            if not ids:
                return batches
            batches += 1
            last = max(ids)
