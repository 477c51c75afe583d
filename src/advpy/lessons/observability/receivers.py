"""Two small receivers the notebook serves on loopback, speaking the real protocols:

- :func:`make_trace_collector`: ``POST /v1/traces`` takes what an OpenTelemetry OTLP/HTTP
  exporter sends (an ``ExportTraceServiceRequest`` in protobuf, gzip or not), as an
  OpenTelemetry Collector or Jaeger would; ``GET /spans`` gives the spans back as JSON;
- :func:`make_error_receiver`: ``POST /api/<project>/envelope/`` takes what the Sentry SDK's
  transport sends for a DSN that points here (an *envelope*: a JSON header line, then items,
  each a header line and a payload), as Sentry's own server would; ``GET /events`` gives the
  error events back.

Both keep what they receive in memory, in the app's ``state``.
"""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from fastapi import FastAPI, Request, Response


def _body(raw: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(raw)
    if encoding == "deflate":
        return zlib.decompress(raw)
    return raw


def _attribute(value: Any) -> Any:
    kind = value.WhichOneof("value")
    return None if kind is None else getattr(value, kind)


def spans_from_otlp(payload: bytes) -> list[dict[str, Any]]:
    """The spans of one OTLP ``ExportTraceServiceRequest``, as plain dicts."""
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceRequest,
    )
    from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

    request = ExportTraceServiceRequest.FromString(payload)
    spans = []
    for resource_spans in request.resource_spans:
        resource = {a.key: _attribute(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    {
                        "service": resource.get("service.name", "?"),
                        "name": span.name,
                        "trace_id": span.trace_id.hex(),
                        "span_id": span.span_id.hex(),
                        "parent_id": span.parent_span_id.hex() or None,
                        "kind": Span.SpanKind.Name(span.kind).removeprefix("SPAN_KIND_").lower(),
                        "start_ns": span.start_time_unix_nano,
                        "end_ns": span.end_time_unix_nano,
                        "error": span.status.code == Status.STATUS_CODE_ERROR,
                        "attributes": {a.key: _attribute(a.value) for a in span.attributes},
                    }
                )
    return spans


def make_trace_collector() -> FastAPI:
    """An OTLP/HTTP trace receiver: ``POST /v1/traces``, ``GET /spans``, ``DELETE /spans``."""
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceResponse,
    )

    app = FastAPI()
    app.state.spans = []

    @app.post("/v1/traces")
    async def receive(request: Request) -> Response:
        raw = _body(await request.body(), request.headers.get("content-encoding", ""))
        app.state.spans.extend(spans_from_otlp(raw))
        answer = ExportTraceServiceResponse().SerializeToString()
        return Response(answer, media_type="application/x-protobuf")

    @app.get("/spans")
    def spans() -> list[dict[str, Any]]:
        return list(app.state.spans)

    @app.delete("/spans")
    def forget() -> dict[str, int]:
        count = len(app.state.spans)
        app.state.spans.clear()
        return {"deleted": count}

    return app


def parse_envelope(data: bytes) -> tuple[dict[str, Any], list[tuple[dict[str, Any], bytes]]]:
    """A Sentry envelope: its header, and its items as (item header, payload bytes)."""
    header_line, _, rest = data.partition(b"\n")
    header = json.loads(header_line)
    items = []
    while rest.strip():
        item_line, _, rest = rest.partition(b"\n")
        item = json.loads(item_line)
        if "length" in item:
            length = int(item["length"])
            payload, rest = rest[:length], rest[length:]
            rest = rest.removeprefix(b"\n")
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((item, payload))
    return header, items


def make_error_receiver() -> FastAPI:
    """A receiver for the Sentry SDK: ``POST /api/{project}/envelope/`` and ``GET /events``."""
    app = FastAPI()
    app.state.events = []
    app.state.requests = []

    @app.post("/api/{project}/envelope/")
    async def envelope(project: str, request: Request) -> dict[str, Any]:
        raw = _body(await request.body(), request.headers.get("content-encoding", ""))
        header, items = parse_envelope(raw)
        app.state.requests.append(
            {"project": project, "auth": request.headers.get("x-sentry-auth", "")}
        )
        for item, payload in items:
            if item.get("type") == "event":
                app.state.events.append(json.loads(payload))
        return {"id": header.get("event_id")}

    @app.get("/events")
    def events() -> list[dict[str, Any]]:
        return list(app.state.events)

    return app
