"""The database side of lesson 10: an SQLite file with an ``orders`` table, what another
connection sees of it, the source notes' ``Transaction`` sketch, and SQLAlchemy engines with
and without the driver settings that make savepoints nest."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, String, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


def create_shop(path: Path) -> None:
    """Create (or empty) the SQLite file at ``path`` with a table ``orders (id, item)`` and a
    table ``payments (order_id)`` whose foreign key is checked only at COMMIT (deferred)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(
            """
            DROP TABLE IF EXISTS payments;
            DROP TABLE IF EXISTS orders;
            CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL);
            CREATE TABLE payments (
                order_id INTEGER REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED
            );
            """
        )


def committed(path: Path) -> list[str]:
    """The items in ``orders`` as a second connection sees them: committed rows only."""
    with closing(sqlite3.connect(path)) as other:
        return [row[0] for row in other.execute("SELECT item FROM orders ORDER BY id")]


class NotesTransaction:
    """The source notes' sketch, kept as it is: commit when the block succeeds, roll back when
    it raises. ``session`` is anything with ``commit()`` and ``rollback()`` (here a
    ``sqlite3.Connection``). The lesson shows where it falls short."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def __enter__(self) -> Any:
        return self.session

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.session.commit()
        else:
            self.session.rollback()


class Base(DeclarativeBase):
    """The declarative base of the lesson's one ORM model."""


class Order(Base):
    """A row of the ``orders`` table, seen through SQLAlchemy's ORM."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(String(40))


def make_engine(path: Path, *, nesting_fix: bool) -> Engine:
    """An SQLAlchemy engine on the SQLite file ``path`` with an empty ``orders`` table.

    Without ``nesting_fix`` the sqlite3 driver keeps its default (legacy) transaction handling:
    it sends BEGIN only before INSERT, UPDATE or DELETE, so a SAVEPOINT sent before any of them
    starts the transaction itself. With ``nesting_fix`` SQLAlchemy begins every transaction
    with an explicit BEGIN: through ``autocommit=False`` on Python 3.12 and later, through
    event hooks (the recipe in SQLAlchemy's SQLite documentation) on 3.11.
    """
    url = f"sqlite:///{path}"
    if nesting_fix and sys.version_info >= (3, 12):
        engine = create_engine(url, connect_args={"autocommit": False})
    else:
        engine = create_engine(url)
        if nesting_fix:
            event.listen(engine, "connect", _no_driver_transactions)
            event.listen(engine, "begin", _explicit_begin)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    return engine


def _no_driver_transactions(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver sends no BEGIN or COMMIT of its own


def _explicit_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def items(engine: Engine) -> list[str]:
    """The items in ``orders``, read in a new session: what has been committed."""
    with Session(engine) as session:
        return list(session.scalars(select(Order.item).order_by(Order.id)))
