"""The lesson's two services, each instrumented the way a production service is:

- ``shop`` answers ``GET /items/{item}`` by asking ``stock`` over HTTP, then rendering;
- ``stock`` answers ``GET /stock/{item}`` after a short "database" wait; every
  ``app.state.error_every``-th request fails with an exception (0: never), and a few are slow.

One middleware per service (:func:`instrument`) does four things for every request:

1. **correlation id**: it takes the caller's ``X-Request-ID`` (or makes one), binds it to the
   log context with ``service`` and echoes it in the response; the shop sends it on to stock;
2. **logs**: one JSON line per request (route, status, duration), errors with their traceback;
3. **metrics**: ``http_requests_total`` (a counter by method, route template and status) and
   ``http_request_duration_seconds`` (a histogram by method and route), in the service's own
   registry, served at ``/metrics`` for Prometheus;
4. **traces**: a server span, continuing the caller's trace from its ``traceparent`` header;
   the shop's call to stock is a client span whose context goes out in ``traceparent``.

Each service has its own ``TracerProvider`` (its own ``service.name``), exporting over OTLP/HTTP
to the collector it is given, so two services in one notebook look like two processes.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import sentry_sdk
import structlog
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from opentelemetry import propagate
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

#: Paths the middleware leaves alone: scrapes and health checks are not traffic.
UNOBSERVED = frozenset({"/metrics", "/health"})
#: Latency buckets (seconds) of the request histogram: fine where the requests are.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


def tracer_provider(service: str, collector_url: str | None) -> TracerProvider:
    """A provider for one service, its spans batched to ``collector_url``'s ``/v1/traces``."""
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if collector_url is not None:
        exporter = OTLPSpanExporter(endpoint=f"{collector_url}/v1/traces", timeout=5)
        provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=200))
    return provider


def instrument(app: FastAPI, service: str, collector_url: str | None) -> None:
    """Add the correlation id, logs, metrics and traces described above to ``app``."""
    registry = CollectorRegistry()
    requests = Counter(
        "http_requests",
        "HTTP requests answered, by method, route template and status code.",
        ["method", "route", "status"],
        registry=registry,
    )
    duration = Histogram(
        "http_request_duration_seconds",
        "Time to answer an HTTP request, by method and route template.",
        ["method", "route"],
        buckets=BUCKETS,
        registry=registry,
    )
    provider = tracer_provider(service, collector_url)
    app.state.registry = registry
    app.state.tracer_provider = provider
    app.state.tracer = provider.get_tracer(f"advpy.{service}")

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    log = structlog.get_logger(f"shop.{service}")

    @app.middleware("http")
    async def observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path in UNOBSERVED:
            return await call_next(request)  # Prometheus's scrapes and health checks
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id, service=service)
        sentry_sdk.set_tag("request_id", request_id)  # on this request's Sentry scope
        sentry_sdk.set_tag("service", service)
        parent = propagate.extract(dict(request.headers))
        started = time.perf_counter()
        with app.state.tracer.start_as_current_span(
            request.method, context=parent, kind=SpanKind.SERVER
        ) as span:
            status = 500
            try:
                response = await call_next(request)
                status = response.status_code
            except Exception as error:
                # Answer 500 here rather than let the error reach uvicorn, which would close
                # the connection (and a client reusing it would see it reset).
                log.exception("request failed", path=request.url.path)
                span.record_exception(error)
                sentry_sdk.capture_exception(error)  # with this request's scope and tags
                response = JSONResponse({"detail": "internal error"}, status_code=500)
            finally:
                route_object = request.scope.get("route")
                route = getattr(route_object, "path", "unmatched")  # never the raw path
                elapsed = time.perf_counter() - started
                span.update_name(f"{request.method} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
                requests.labels(request.method, route, str(status)).inc()
                duration.labels(request.method, route).observe(elapsed)
                log.info(
                    "request",
                    method=request.method,
                    route=route,
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                )
        response.headers["X-Request-ID"] = request_id
        return response


def make_stock(collector_url: str | None = None, *, seed: int = 19) -> FastAPI:
    """The stock service. ``app.state.error_every`` (0: no errors) and ``app.state.slow_every``
    (every n-th request waits 150 ms more) shape its behaviour; the waits are seeded."""
    app = FastAPI()
    app.state.error_every = 0
    app.state.slow_every = 25
    counter = itertools.count(1)
    rng = random.Random(seed)
    db = logging.getLogger("shop.stock.db")  # a standard-library logger: JSON lines too

    @app.get("/stock/{item}")
    async def stock(item: str) -> dict[str, Any]:
        number = next(counter)
        tracer = app.state.tracer
        with tracer.start_as_current_span("SELECT stock") as span:
            wait = rng.uniform(0.002, 0.012)
            if app.state.slow_every and number % app.state.slow_every == 0:
                wait += 0.15
                db.warning("slow query: %.0f ms for item %s", wait * 1000, item)
            span.set_attribute("db.system", "sqlite")
            await asyncio.sleep(wait)
        if app.state.error_every and number % app.state.error_every == 0:
            raise RuntimeError(f"stock table locked while reading item {item}")
        return {"item": item, "in_stock": (sum(map(ord, item)) % 7)}

    instrument(app, "stock", collector_url)
    return app


def make_shop(stock_url: str, collector_url: str | None = None) -> FastAPI:
    """The shop, which asks the stock service at ``stock_url`` for every item it shows."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # one client, and its pool of connections to stock, for the life of the server
        async with httpx.AsyncClient(base_url=stock_url, timeout=5) as client:
            app.state.client = client
            yield

    app = FastAPI(lifespan=lifespan)
    log = structlog.get_logger("shop.shop")

    @app.get("/items/{item}")
    async def item_page(item: str, request: Request) -> Response:
        tracer = app.state.tracer
        headers = {"X-Request-ID": structlog.contextvars.get_contextvars()["request_id"]}
        with tracer.start_as_current_span("GET /stock/{item}", kind=SpanKind.CLIENT):
            propagate.inject(headers)  # traceparent: this span's trace and id
            try:
                answer = await app.state.client.get(f"/stock/{item}", headers=headers)
                upstream = answer.status_code
            except httpx.HTTPError as error:  # refused, reset, timed out
                upstream = type(error).__name__
        if upstream != 200:
            log.warning("stock failed", upstream_status=upstream, item=item)
            return JSONResponse({"detail": "stock is unavailable"}, status_code=502)
        with tracer.start_as_current_span("render"):
            body = {"item": item, "available": answer.json()["in_stock"] > 0}
        return JSONResponse(body)

    @app.post("/login")
    async def login(request: Request) -> dict[str, str]:
        form = await request.json()
        log.info("login", user=form.get("user"), password=form.get("password"))
        return {"user": str(form.get("user"))}

    instrument(app, "shop", collector_url)
    return app


def start_sentry(dsn: str, *, release: str = "shop@1.0") -> None:
    """Start the Sentry SDK for this process, reporting to ``dsn`` with its real transport.

    Only the integrations the services need: FastAPI's and Starlette's (which put each
    request's details on its scope, and capture an exception that escapes the app) and
    deduplication (one event per exception, however many layers see it). The defaults would
    also patch ``http.client``, the logging module and ``sys.excepthook`` of the whole
    notebook."""
    from sentry_sdk.integrations.dedupe import DedupeIntegration
    from sentry_sdk.integrations.fastapi import FastApiIntegration
    from sentry_sdk.integrations.starlette import StarletteIntegration

    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment="lesson",
        default_integrations=False,
        auto_enabling_integrations=False,
        integrations=[StarletteIntegration(), FastApiIntegration(), DedupeIntegration()],
        send_default_pii=False,  # no cookies, no user IP addresses in events
    )


def stop_sentry() -> None:
    """Send what is queued, then stop the SDK's background worker."""
    client = sentry_sdk.get_client()
    client.flush(timeout=5)
    client.close()
    sentry_sdk.init(dsn=None)  # a client that sends nothing, as before start_sentry
