"""Lesson 19 (observability) runs top to bottom against real servers on loopback (two uvicorn
services, a trace receiver fed by the OpenTelemetry OTLP/HTTP exporter, a receiver fed by the
Sentry SDK's transport, and Debian's Prometheus), in fast mode, and prints what its prose
promises: JSON log lines from structlog and the standard library with secrets redacted, one
request id across both services, a log search, one trace across two services linked by
traceparent, Sentry events with the request id, the cardinality of two labellings, PromQL
answers, and a burn-rate alert that Prometheus fires and resolves. Its helpers are tested
directly too.

The full mode is not run here: its steady traffic alone lasts 30 s, and the whole lesson takes
over a minute."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
import structlog
from test_notebooks import markdown, number, printed, run_lesson

from advpy.lessons.observability import logs, metrics, plots, receivers, slo

matplotlib.use("Agg")

NAME = "19_observability"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_writes_json_logs_with_secrets_redacted_and_one_id_across_services() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"traces go to  http://127\.0\.0\.1:\d+/v1/traces", out)
    assert re.search(r"errors go to  http://127\.0\.0\.1:\d+/api/1/envelope/", out)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith('{"')]
    paid = next(r for r in lines if r["event"] == "order paid")
    assert paid["amount"] == 19.99 and paid["level"] == "info" and paid["ts"].endswith("Z")
    disk = next(r for r in lines if r["event"] == "disk 91% full")
    assert disk["level"] == "warning" and disk["logger"] == "shop.demo.legacy"
    assert "{'user': 'ada', 'password': '[REDACTED]', 'event': 'login'}" in out
    assert "'headers': {'Authorization': '[REDACTED]', 'Accept': 'text/html'}" in out
    assert "hunter2" not in out
    assert "200 {'item': 'apple', 'available': True} X-Request-ID: demo-0001" in out
    assert "stock request  /stock/{item}   200\n shop request  /items/{item}   200" in out
    failed = re.search(r"502 \{'detail': 'stock is unavailable'\} X-Request-ID: (\w+)", out)
    assert failed is not None
    assert (
        "stock error    request failed RuntimeError: stock table locked while reading item pear"
        in out
    )
    assert f"service:stock and level:error -> [('{failed.group(1)}', 'request failed')]" in out


@pytest.mark.slow
def test_lesson_traces_one_request_across_two_services_and_sends_sentry_events() -> None:
    out = printed(run_lesson(NAME))
    span_lines = re.findall(r"^ *(shop|stock) (server|client|internal) +(.+?) +id ", out, re.M)
    assert [(s, k) for s, k, _ in span_lines] == [
        ("shop", "server"),
        ("shop", "client"),
        ("stock", "server"),
        ("stock", "internal"),
        ("shop", "internal"),
    ]
    parents = re.findall(r"id ([0-9a-f]{16}) parent (\w+)", out)
    ids = [span for span, _ in parents]
    assert parents[0][1] == "None" and all(parent in ids for _, parent in parents[1:])
    assert parents[2][1] == parents[1][0], "stock's server span continues shop's client span"
    assert re.search(r"traceparent sent to stock: 00-[0-9a-f]{32}-[0-9a-f]{16}-01", out)
    assert "one trace: True" in out
    assert "502 - events received: 2" in out
    assert "RuntimeError: stock table locked while reading item fig" in out
    assert "raised in stock() line" in out and "'item'" in out
    assert "release: shop@1.0 env: lesson" in out
    assert "request id in the logs too: True" in out


@pytest.mark.slow
def test_lesson_counts_series_and_queries_prometheus() -> None:
    out = printed(run_lesson(NAME))
    assert 'http_requests_total{method="GET",route="/items/{item}",status="200"}' in out
    assert "# TYPE http_request_duration_seconds histogram" in out
    assert re.search(r'http_request_duration_seconds_bucket\{.*le="0\.05".*\} \d', out)
    by_route = re.search(r"labels \('route', 'status'\): +(\d+) series", out)
    by_user = re.search(r"labels \('user_id', 'path', 'status'\): +(\d+) series", out)
    assert by_route is not None and by_user is not None
    assert int(by_route.group(1)) <= 2 and int(by_user.group(1)) > 1000
    for job in ("shop", "stock"):
        assert re.search(rf"^{job} http://127\.0\.0\.1:\d+/metrics up$", out, re.M)
    steady = re.search(r"(\d+) requests, (\d+) answered 5xx", out)
    assert steady is not None and int(steady.group(1)) > 20
    assert int(steady.group(2)) < int(steady.group(1)) / 20, "about 1% fail in the steady phase"
    rates = re.search(r"\{'(?:shop|stock)': ([\d.]+), '(?:shop|stock)': ([\d.]+)\} requests/s", out)
    assert rates is not None and float(rates.group(1)) > 0
    p99 = re.search(r"shop p99 over the steady phase: ([\d.]+) ms by PromQL, ([\d.]+) ms", out)
    assert p99 is not None and number(p99.group(1)) > 0 and number(p99.group(2)) > 0


@pytest.mark.slow
def test_lesson_fires_and_resolves_the_burn_rate_alert() -> None:
    notebook = run_lesson(NAME)
    out = printed(notebook)
    assert "SLO 99.90%: 0.10% of requests may fail,    43.2 minutes" in out
    assert "1 hour at burn rate 14.4 spends 2% of the budget" in out
    assert 'job:error_ratio:rate_long{job="shop"} > 0.144' in out
    assert re.search(
        r"firing after [\d.]+ s of errors: \{'alertname': 'ErrorBudgetBurn', 'job': 'shop', "
        r"'severity': 'page'\}",
        out,
    )
    resolved = re.search(r"resolved after [\d.]+ s without errors; .* then: ([\d.]+)", out)
    assert resolved is not None
    assert "alerts now: []" in out
    images = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 3, "the waterfall, the burn rate and the dashboard"
    assert "everything stopped; log folder removed: True" in out


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("traceparent", "OTLP/HTTP", "DSN", "Elasticsearch", "Kibana", "Grafana", "14.4"):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps19_observability.ipynb" in text


# --- the helpers ---------------------------------------------------------------------------------


def test_secret_names_and_redaction_at_any_depth() -> None:
    assert all(map(logs.is_secret, ["Authorization", "X-Api-Key", "db_password", "token"]))
    assert not any(map(logs.is_secret, ["tokens_used", "secretary", "user"]))
    record = {"password": None, "h": {"Cookie": "c", "ok": [{"secret": 1}, 2]}, "event": "e"}
    assert logs.redact_secrets(None, "info", record) == {
        "password": logs.REDACTED,
        "h": {"Cookie": logs.REDACTED, "ok": [{"secret": logs.REDACTED}, 2]},
        "event": "e",
    }
    assert record["password"] is None, "the record given is not changed"


def test_json_logs_put_structlog_and_stdlib_records_in_one_file(tmp_path: Path) -> None:
    import logging

    path = tmp_path / "app.jsonl"
    with logs.json_logs(path):
        structlog.contextvars.bind_contextvars(request_id="r-1")
        try:
            structlog.get_logger("shop.t").info("hello", token="x", n=1)
            logging.getLogger("shop.t.std").error("plain %s", "text", extra={"api_key": "k"})
        finally:
            structlog.contextvars.clear_contextvars()
    records = logs.read_json_lines(path)
    assert [(r["event"], r["level"], r["request_id"]) for r in records] == [
        ("hello", "info", "r-1"),
        ("plain text", "error", "r-1"),
    ]
    assert records[0]["token"] == records[1]["api_key"] == logs.REDACTED
    assert logs.search(records, level="error") == [records[1]]
    assert logs.count_by(records, "request_id") == {"r-1": 2}
    assert not logging.getLogger("shop").handlers, "the handler is removed afterwards"


def test_envelopes_and_otlp_payloads_are_read() -> None:
    event = json.dumps({"event_id": "e1", "level": "error"}).encode()
    data = b'{"event_id":"e1"}\n' + b'{"type":"event","length":%d}\n' % len(event) + event + b"\n"
    data += b'{"type":"client_report"}\n{"discarded_events":[]}\n'
    header, items = receivers.parse_envelope(data)
    assert header == {"event_id": "e1"}
    assert [(item["type"], json.loads(body)) for item, body in items] == [
        ("event", {"event_id": "e1", "level": "error"}),
        ("client_report", {"discarded_events": []}),
    ]
    assert receivers._body(gzip.compress(data), "gzip") == data

    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "svc"}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("outer"), tracer.start_as_current_span("inner") as inner:
        inner.set_attribute("k", 3)
    spans = receivers.spans_from_otlp(encode_spans(memory.get_finished_spans()).SerializeToString())
    by_name = {s["name"]: s for s in spans}
    assert by_name["inner"]["parent_id"] == by_name["outer"]["span_id"]
    assert by_name["outer"]["parent_id"] is None and by_name["inner"]["attributes"] == {"k": 3}
    assert {s["service"] for s in spans} == {"svc"}
    provider.shutdown()


def test_error_budgets_and_the_rule_file() -> None:
    budget = slo.error_budget(0.999)
    assert budget.allowed_ratio == pytest.approx(0.001)
    assert budget.allowed_minutes == pytest.approx(43.2)
    assert slo.budget_spent(14.4, hours=1) == pytest.approx(0.02)
    with pytest.raises(ValueError):
        slo.error_budget(1.0)
    rules = slo.burn_rate_rules("api", 0.999, long="1h", short="5m", factor=14.4)
    assert "[1h]" in rules and "[5m]" in rules and "> 0.0144" in rules
    assert "or vector(0)" in rules and "alert: ErrorBudgetBurn" in rules


def test_cardinality_of_two_labellings() -> None:
    by_route, by_user = metrics.count_series(300, 50)
    assert by_route.labels == ("route", "status") and by_route.series <= 2
    assert by_user.series > 50 and by_user.exposition_bytes > 10 * by_route.exposition_bytes


def test_plots_draw_a_waterfall_and_a_dashboard() -> None:
    common = {"trace_id": "ab" * 16, "name": "GET /"}
    spans = [
        {**common, "service": "shop", "span_id": "1", "parent_id": None, "error": False,
         "start_ns": 0, "end_ns": 10_000_000},
        {**common, "service": "stock", "span_id": "2", "parent_id": "1", "error": True,
         "start_ns": 2_000_000, "end_ns": 8_000_000},
    ]  # fmt: skip
    fig, ax = plots.plot_waterfall(spans)
    assert len(ax.patches) == 2
    plt.close(fig)
    panel = {"shop": [(100.0, 1.0), (101.0, float("nan"))]}
    fig, axes = plots.plot_dashboard({title: panel for title in metrics.PANELS}, start=100.0)
    assert axes.shape == (2, 2) and len(axes[0][0].lines) == 1
    plt.close(fig)
