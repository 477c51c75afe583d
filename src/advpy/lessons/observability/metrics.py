"""Traffic for the two services, what a label costs in series, and the dashboard's queries.

:func:`drive` sends requests to the shop for a while and returns what each one answered;
:func:`count_series` feeds the same requests to a counter labelled two ways and counts the
series each produces (the label-cardinality trap); :func:`dashboard` asks Prometheus, over its
HTTP API, for the panels a Grafana dashboard of these services would show.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from advpy.services import PrometheusServer


@dataclass(frozen=True)
class Answer:
    """One request the load sent: when (seconds from the start), what, status and time."""

    at: float
    path: str
    status: int
    seconds: float


def drive(
    client: httpx.Client, seconds: float, *, items: int = 40, pause: float = 0.005, seed: int = 7
) -> list[Answer]:
    """GET ``/items/<name>`` on the shop, one after another, for ``seconds`` seconds."""
    rng = random.Random(seed)
    answers = []
    start = time.perf_counter()
    while (now := time.perf_counter() - start) < seconds:
        path = f"/items/item-{rng.randrange(items)}"
        response = client.get(path)
        answers.append(Answer(now, path, response.status_code, time.perf_counter() - start - now))
        time.sleep(pause)
    return answers


@dataclass(frozen=True)
class Cardinality:
    """How many series one way of labelling a counter makes, and its exposition's size."""

    labels: tuple[str, ...]
    series: int
    exposition_bytes: int


def count_series(requests: int, users: int, *, seed: int = 19) -> list[Cardinality]:
    """``requests`` requests from ``users`` users to ``/users/<id>/orders/<n>``, counted once
    by route template and status, once by user id and raw path; the series each makes."""
    rng = random.Random(seed)
    traffic = []
    for _ in range(requests):
        user = rng.randrange(users)
        status = "500" if rng.random() < 0.02 else "200"
        traffic.append((user, f"/users/{user}/orders/{rng.randrange(50)}", status))
    found = []
    for labels in (("route", "status"), ("user_id", "path", "status")):
        registry = CollectorRegistry()
        counter = Counter("http_requests", "Requests.", list(labels), registry=registry)
        for user, path, status in traffic:
            values = {
                "route": "/users/{user_id}/orders/{order_id}",
                "user_id": str(user),
                "path": path,
                "status": status,
            }
            counter.labels(*(values[name] for name in labels)).inc()
        text = generate_latest(registry).decode()
        series = sum(
            1
            for family in text_string_to_metric_families(text)
            if family.type == "counter"
            for sample in family.samples
            if sample.name.endswith("_total")
        )
        found.append(Cardinality(labels, series, len(text.encode())))
    return found


#: The dashboard's panels: title, unit, PromQL (one series per job).
PANELS: dict[str, tuple[str, str]] = {
    "requests per second": ("req/s", "sum by (job) (rate(http_requests_total[5s]))"),
    "error ratio (5xx)": (
        "fraction",
        'sum by (job) (rate(http_requests_total{status=~"5.."}[5s]))'
        " / sum by (job) (rate(http_requests_total[5s]))",
    ),
    "p50 latency": (
        "ms",
        "1000 * histogram_quantile(0.5, sum by (job, le) "
        "(rate(http_request_duration_seconds_bucket[5s])))",
    ),
    "p99 latency": (
        "ms",
        "1000 * histogram_quantile(0.99, sum by (job, le) "
        "(rate(http_request_duration_seconds_bucket[5s])))",
    ),
}


def series_of(
    result: list[dict[str, Any]], label: str = "job"
) -> dict[str, list[tuple[float, float]]]:
    """A range query's answer as ``{label value: [(time, value), ...]}``, NaN kept as NaN."""
    return {
        item["metric"].get(label, "?"): [(float(t), float(v)) for t, v in item["values"]]
        for item in result
    }


def dashboard(
    prom: PrometheusServer, start: float, end: float, step: float = 1.0
) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Each panel's series from ``start`` to ``end`` (Unix seconds), one per job."""
    return {
        title: series_of(prom.query_range(expr, start, end, step))
        for title, (_unit, expr) in PANELS.items()
    }
