"""The shop in SQLAlchemy 2's ORM, a counter of the SQL statements an engine sends, and one
endpoint's worth of data loaded three ways: lazily (N+1 queries), with ``selectinload`` and
with ``joinedload``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Select, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)


class Base(DeclarativeBase):
    """The shop's mapped classes."""


class Customer(Base):
    """A customer (the ``customers`` table)."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    country: Mapped[str]


class Order(Base):
    """An order and its items (lazy-loaded unless a query says otherwise)."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str]
    created_at: Mapped[datetime]
    total_cents: Mapped[int]
    note: Mapped[str]
    items: Mapped[list[OrderItem]] = relationship(order_by="OrderItem.id")


class OrderItem(Base):
    """One line of an order."""

    __tablename__ = "order_items"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    product: Mapped[str]
    qty: Mapped[int]
    price_cents: Mapped[int]


@dataclass
class QueryLog:
    """The SQL statements an engine sent while the log was open."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many statements were sent."""
        return len(self.statements)


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryLog]:
    """Record every statement ``engine`` sends inside the ``with`` block (SQLAlchemy's
    ``before_cursor_execute`` event: what really goes to the database, lazy loads included)."""
    log = QueryLog()

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)


#: How each way loads the orders' items.
LOADERS = {
    "lazy (default)": None,
    "selectinload": selectinload(Order.items),
    "joinedload": joinedload(Order.items),
}


def recent_orders_statement(customer_id: int, limit: int, loader: str) -> Select[Any]:
    """The newest ``limit`` orders of a customer, items loaded the way ``loader`` names."""
    statement = (
        select(Order).where(Order.customer_id == customer_id).order_by(Order.id.desc()).limit(limit)
    )
    option = LOADERS[loader]
    return statement if option is None else statement.options(option)


def order_page(session: Session, customer_id: int, limit: int, loader: str) -> list[dict[str, Any]]:
    """What an endpoint returns: orders with their items, as JSON-ready dicts."""
    orders = session.scalars(recent_orders_statement(customer_id, limit, loader)).unique()
    return [
        {
            "id": order.id,
            "total_cents": order.total_cents,
            "items": [(item.product, item.qty) for item in order.items],
        }
        for order in orders
    ]
