"""The shop: one monolith with three domains, and the orders service split out of it.

The monolith owns users, the catalogue and orders, in memory. The orders service owns orders
only; to price an order it asks the catalogue over HTTP, passing the request's correlation id
(``X-Request-ID``) on. Every response says who answered (``X-Served-By``), and every service
writes one line per request into a shared :class:`TraceLog`, so a lesson can follow one id
across services.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI, HTTPException, Request, Response

#: The correlation id's header: nginx's gateway sets it, every service passes it on.
REQUEST_ID = "X-Request-ID"
SERVED_BY = "X-Served-By"

USERS = {1: {"id": 1, "name": "Ada"}, 2: {"id": 2, "name": "Grace"}}
PRODUCTS = {
    1: {"id": 1, "name": "keyboard", "price_cents": 4900},
    2: {"id": 2, "name": "mouse", "price_cents": 1900},
    3: {"id": 3, "name": "monitor", "price_cents": 18900},
}
ORDERS = {1: {"id": 1, "user_id": 1, "lines": [{"product_id": 1, "quantity": 1}], "total": 4900}}

#: The monolith's routes, by the domain (and the data) they belong to.
DOMAINS = {
    "users": ["GET /users/{user_id}"],
    "catalogue": ["GET /products/{product_id}"],
    "orders": ["GET /orders/{order_id}", "POST /orders"],
}


@dataclass(frozen=True)
class TraceLine:
    """One request as one service saw it."""

    service: str
    request_id: str
    request: str


class TraceLog:
    """The lines every service writes, one per request, shared and thread-safe."""

    def __init__(self) -> None:
        self._lines: list[TraceLine] = []
        self._lock = threading.Lock()

    def add(self, line: TraceLine) -> None:
        with self._lock:
            self._lines.append(line)

    def lines(self, request_id: str | None = None) -> list[TraceLine]:
        """Every line, or those of one correlation id, in the order they were written."""
        with self._lock:
            return [x for x in self._lines if request_id is None or x.request_id == request_id]


def _traced(app: FastAPI, service: str, log: TraceLog | None) -> None:
    """Record each request with its correlation id (made here when the caller sent none) and
    answer with the id and the service's name."""

    @app.middleware("http")
    async def trace(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        request_id = request.headers.get(REQUEST_ID) or uuid.uuid4().hex
        request.state.request_id = request_id
        if log is not None:
            log.add(TraceLine(service, request_id, f"{request.method} {request.url.path}"))
        response = await call_next(request)
        response.headers[SERVED_BY] = service  # the gateway returns the id to the caller
        return response

    @app.get("/health")
    def health() -> dict[str, str]:
        if not app.state.healthy:
            raise HTTPException(503, "unhealthy")
        return {"status": "ok"}

    app.state.healthy = True


def _price(lines: list[dict[str, int]], product: Callable[[int], dict[str, Any]]) -> int:
    return sum(product(line["product_id"])["price_cents"] * line["quantity"] for line in lines)


def make_monolith(log: TraceLog | None = None, name: str = "monolith") -> FastAPI:
    """The whole shop in one app: users, catalogue and orders, one process, one data store."""
    app = FastAPI(title="shop monolith")
    _traced(app, name, log)
    orders = {k: dict(v) for k, v in ORDERS.items()}

    @app.get("/users/{user_id}")
    def get_user(user_id: int) -> dict[str, Any]:
        if user_id not in USERS:
            raise HTTPException(404, "no such user")
        return USERS[user_id]

    @app.get("/products/{product_id}")
    def get_product(product_id: int) -> dict[str, Any]:
        if product_id not in PRODUCTS:
            raise HTTPException(404, "no such product")
        return PRODUCTS[product_id]

    @app.get("/orders/{order_id}")
    def get_order(order_id: int) -> dict[str, Any]:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        return orders[order_id]

    @app.post("/orders", status_code=201)
    def post_order(body: dict[str, Any]) -> dict[str, Any]:
        total = _price(body["lines"], get_product)  # a function call inside one process
        order = {"id": len(orders) + 1, **body, "total": total}
        orders[order["id"]] = order
        return order

    return app


def make_orders_service(catalogue_url: str, log: TraceLog | None = None) -> FastAPI:
    """The orders domain on its own: its own orders, and the catalogue reached over HTTP at
    ``catalogue_url``, with the caller's correlation id passed on."""
    catalogue = httpx.Client(base_url=catalogue_url, timeout=2.0)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        catalogue.close()

    app = FastAPI(title="orders service", lifespan=lifespan)
    _traced(app, "orders-service", log)
    orders = {k: dict(v) for k, v in ORDERS.items()}

    @app.get("/orders/{order_id}")
    def get_order(order_id: int) -> dict[str, Any]:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        return orders[order_id]

    @app.post("/orders", status_code=201)
    def post_order(body: dict[str, Any], request: Request) -> dict[str, Any]:
        headers = {REQUEST_ID: request.state.request_id}  # the same id, one hop further

        def product(product_id: int) -> dict[str, Any]:
            response = catalogue.get(f"/products/{product_id}", headers=headers)
            response.raise_for_status()
            return dict(response.json())

        order = {"id": len(orders) + 1, **body, "total": _price(body["lines"], product)}
        orders[order["id"]] = order
        return order

    return app


def make_catalogue_instance(name: str) -> FastAPI:
    """One instance of a catalogue service (for discovery): it says its name in every answer,
    and its ``/health`` fails while ``app.state.healthy`` is False."""
    app = FastAPI(title=f"catalogue {name}")
    _traced(app, name, None)

    @app.get("/products/{product_id}")
    def get_product(product_id: int) -> dict[str, Any]:
        if product_id not in PRODUCTS:
            raise HTTPException(404, "no such product")
        return PRODUCTS[product_id]

    return app
