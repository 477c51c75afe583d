# %% [markdown]
# # 19 · Observability: logs, metrics, traces, errors and SLOs
#
# A service in production is a black box that strangers use at three in the morning. When one
# of them says "the shop is slow", you cannot attach a debugger: you can only read what the
# service recorded about itself. Observability is deciding, before that night, what to record
# so that questions nobody has asked yet can be answered: **logs** say what happened to one
# request, **metrics** count what happens to all of them, **traces** show where one request
# spent its time across services, **error reports** group the exceptions, and **SLOs** say how
# much failure is acceptable and when to wake someone up. Everything below runs for real on
# this machine: two FastAPI services under uvicorn, a Prometheus server scraping them, the
# OpenTelemetry SDK exporting spans over OTLP/HTTP, and the Sentry SDK sending events, all on
# the loopback interface.
#
# **Learning objectives.** By the end you can:
# - **write** structured JSON logs with structlog and the standard library through one
#   pipeline, with secrets redacted and a **correlation id** carried from one service to the
#   next;
# - **choose** the right Prometheus metric type and labels, and **avoid** the
#   label-cardinality trap;
# - **query** Prometheus with PromQL (`rate`, `histogram_quantile`) and **draw** the
#   dashboard Grafana would show;
# - **trace** one request across two services with OpenTelemetry (`traceparent`) and **read**
#   its waterfall; **capture** errors with the Sentry SDK;
# - **compute** an error budget and a burn rate, and **write** the multi-window burn-rate alert
#   that Prometheus evaluates.
#
# **Prerequisites:** FastAPI and `serve_app` ([12 · Microservices](12_microservices.ipynb),
# [20 · API versioning](20_api_versioning.ipynb)); `with` blocks and `ExitStack`
# ([10 · Context managers](10_context_managers.ipynb)).

# %% [markdown]
# ## Setup
#
# One `ExitStack` holds everything the lesson starts, so one call at the end stops it all: a
# temporary folder for the log file, the JSON logging set-up, two receivers (one for traces,
# one for error reports), the two services, and Prometheus.

# %%
# %matplotlib inline
import contextlib
import logging
import tempfile
import time
from importlib import metadata
from pathlib import Path

import sentry_sdk
import structlog

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.observability import logs, metrics, plots, receivers, shop, slo
from advpy.services import prometheus_server, serve_app

print(machine_summary())
for package in ("structlog", "prometheus_client", "opentelemetry-sdk", "sentry-sdk"):
    print(f"{package} {metadata.version(package)}", end="; ")

# %%
stack = contextlib.ExitStack()
folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="advpy-observability-")))
log_file = folder / "shop.jsonl"
stack.enter_context(logs.json_logs(log_file))
collector = stack.enter_context(serve_app(receivers.make_trace_collector()))
sentry_inbox = stack.enter_context(serve_app(receivers.make_error_receiver()))
print("traces go to ", collector.url + "/v1/traces")
print("errors go to ", sentry_inbox.url + "/api/1/envelope/")

# %%
shop.start_sentry(f"http://public@{sentry_inbox.host}:{sentry_inbox.port}/1")
stack.callback(shop.stop_sentry)
stock_app = shop.make_stock(collector.url)
# idle connections stay open 2 minutes (uvicorn's default, 5 s, can close one just as a
# client reuses it, which the client sees as "connection reset")
stock = stack.enter_context(serve_app(stock_app, ready_path="/health", timeout_keep_alive=120))
shop_app = shop.make_shop(stock.url, collector.url)
front = stack.enter_context(serve_app(shop_app, ready_path="/health", timeout_keep_alive=120))
for app in (stock_app, shop_app):
    stack.callback(app.state.tracer_provider.shutdown)  # sends the last spans first
print("stock:", stock.url, " shop:", front.url)

# %% [markdown]
# Prometheus waits a few seconds before its first scrape, so it starts now and the lesson
# comes back to it in section 6. It scrapes both services every second and evaluates the rule
# file of section 7 (printed there):

# %%
SLO = 0.99
RULES = slo.burn_rate_rules("shop", SLO, long="12s", short="3s", factor=14.4)
prom = stack.enter_context(prometheus_server({"shop": [front], "stock": [stock]}, rules=RULES))
print("Prometheus:", prom.url, "data in", prom.data_dir.name)

# %% [markdown]
# ## 1. Logs a program can read
#
# `log.info(f"user {user} paid {amount}")` makes a sentence. A person can read it; a program
# that must find every payment above 100 euros has to parse English. A **structured** log line
# is a record of named fields, written as one JSON object per line: a log store indexes each
# field, and a query says `amount > 100` instead of a regular expression.
#
# structlog builds the record (a dict) and passes it through a list of **processors**; the
# last one renders it. `logs.json_logs` sends structlog's loggers *and* the standard library's
# through the same processors into one file, since libraries (uvicorn, SQLAlchemy, your own
# older code) log with `logging`:

# %%
log = structlog.get_logger("shop.demo")
log.info("order paid", order_id=7, amount=19.99, currency="EUR")
logging.getLogger("shop.demo.legacy").warning("disk %d%% full", 91)
for line in log_file.read_text().splitlines()[-2:]:
    print(line)

# %% [markdown]
# **What to notice.** Both lines have the same shape: the event, its fields, the `level`, the
# `logger`, and a time stamp `ts` in UTC with microseconds (ISO 8601, so that lines from
# machines in different time zones sort correctly). The standard library's `%`-formatted
# message became the `event`. Nothing here is printed for a person; `jq` or a log store reads
# it.
#
# ### Secrets never reach the file
# A log file is copied to places with weaker protection than the database: a log store, a
# support ticket, a laptop. The `redact_secrets` processor replaces the value of any field
# named like a secret (`password`, `token`, `authorization`, `api_key`, `secret`, `cookie`, or
# ending in `_password`, `_token`...), at any depth. The shop's `/login` logs its form:

# %%
front.client.post("/login", json={"user": "ada", "password": "hunter2"})
log.info("upstream call", headers={"Authorization": "Bearer eyJhbGci", "Accept": "text/html"})
for record in logs.read_json_lines(log_file)[-3:]:
    print({k: v for k, v in record.items() if k in ("event", "user", "password", "headers")})

# %% [markdown]
# **What to notice.** Redaction works on **field names**. It cannot see a secret inside a
# message: `log.info(f"login with {password}")` writes the password in clear. Keep values out
# of the message (pass them as fields) and the processor can protect them.
#
# ### Try it
# Log `log.info("retry", refresh_token="abc", tokens_used=3)`. Which field is redacted and
# which is not, and why is that the right call? (Answer:
# [tryit/19 § 1](../solutions/tryit/19_observability.md#1-which-fields-are-secrets).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. One id across two services
#
# The shop answers `/items/<name>` by asking the stock service. When a page fails, the shop's
# log line says "stock failed" and the stock's line says why: you need both, and to know they
# belong to the same request. A **correlation id** does that. Each service's middleware takes
# the caller's `X-Request-ID` header (or makes an id when there is none), binds it to the log
# context with `structlog.contextvars`, so that *every* line logged during the request carries
# it, sends it on in its own calls, and returns it in the response.

# %%
answer = front.client.get("/items/apple", headers={"X-Request-ID": "demo-0001"})
print(answer.status_code, answer.json(), "X-Request-ID:", answer.headers["x-request-id"])
for record in logs.search(logs.read_json_lines(log_file), request_id="demo-0001"):
    print(f"{record['service']:>5} {record['event']:<8} {record['route']:<15} {record['status']}")

# %% [markdown]
# Now a request whose stock call fails (`error_every = 1`: every stock request raises), and
# no id given by the caller: the shop makes one, and the stock's error carries it too.

# %%
stock_app.state.error_every = 1
failed = front.client.get("/items/pear")
stock_app.state.error_every = 0
failed_id = failed.headers["x-request-id"]
print(failed.status_code, failed.json(), "X-Request-ID:", failed_id)
for record in logs.search(logs.read_json_lines(log_file), request_id=failed_id):
    last = record.get("exception", "").strip().splitlines()[-1:]  # the traceback's last line
    print(f"{record['service']:>5} {record['level']:<8} {record['event']:<14}", *last)

# %% [markdown]
# **What to notice.** Four lines from two services, tied by one id that no service had to
# pass to its functions: the context variables carry it through `await`s, and the middleware
# clears them at the start of each request. The stock's error line holds the whole traceback
# as one JSON string: a multi-line traceback printed as text would become many "log lines"
# that a shipper has to glue back together. An id that the *client* sends (a browser, a
# gateway such as nginx, which the services lesson configured to add one) lets a user's bug
# report point at the exact lines.

# %% [markdown]
# ## 3. Searching logs: what ELK does, and the same search here
#
# **ELK** is Elasticsearch, Logstash and Kibana. Log **shippers** (Logstash, or the lighter
# Filebeat and Fluent Bit) read each service's log files, parse them (JSON lines need no
# parsing, which is the point of section 1) and send the records to **Elasticsearch**, a search
# engine that indexes every field; **Kibana** is the web page where you type a query such as
# `service:stock and level:error`, see matching lines from every machine, and count them by a
# field. (OpenSearch is a fork of Elasticsearch with the same roles; Grafana Loki indexes only
# the labels and scans the lines.)
#
# None of it runs here: Elasticsearch is not packaged by Debian or PyPI, it is a Java server
# that wants gigabytes of memory, and nothing can be downloaded on this machine. What a query
# does is simple to show on one file, though: filter records on field values, and count them
# by a field (Kibana's "terms" aggregation). `logs.search` and `logs.count_by` do just that.

# %%
records = logs.read_json_lines(log_file)
print(len(records), "log lines; by level:", logs.count_by(records, "level"))
print("by service:", logs.count_by(records, "service"))
errors = logs.search(records, service="stock", level="error")
print("service:stock and level:error ->", [(r["request_id"], r["event"]) for r in errors])

# %% [markdown]
# The same two searches with `jq` on the file, as you would on a server:
# `jq -c 'select(.service == "stock" and .level == "error")' shop.jsonl` and
# `jq -r .level shop.jsonl | sort | uniq -c`. What Elasticsearch adds is scale: an index over
# every field of billions of lines from every machine, kept for weeks, answered in
# milliseconds.

# %% [markdown]
# ## 4. Traces: where one request spent its time
#
# Logs tell what happened; a **trace** tells where the time went. A trace is a tree of
# **spans**, each a timed operation with a name, attributes and a parent. The shop's middleware
# opens a server span, its call to stock is a client span, and the stock's middleware opens a
# server span whose parent is that client span, although it runs in another service. What
# crosses the wire is one header, W3C's `traceparent`:
# `00-<trace id, 32 hex>-<parent span id, 16 hex>-<flags>`.
#
# The OpenTelemetry SDK in each service batches finished spans and exports them over
# **OTLP/HTTP** (protobuf, `POST /v1/traces`) to a collector. In production that is the
# OpenTelemetry Collector, Jaeger or Tempo; here it is `receivers.make_trace_collector`, which
# decodes the same protobuf messages. One request, with the collector emptied first (after the
# spans of earlier requests still in the exporters' batches have been sent):

# %%
for app in (shop_app, stock_app):
    app.state.tracer_provider.force_flush()  # earlier requests' spans arrive before the emptying
collector.client.delete("/spans")
front.client.get("/items/plum")
for app in (shop_app, stock_app):
    app.state.tracer_provider.force_flush()  # export now, not at the next batch
spans = collector.client.get("/spans").json()
for span in sorted(spans, key=lambda s: s["start_ns"]):
    print(
        f"{span['service']:>5} {span['kind']:<8} {span['name']:<18} id {span['span_id']}"
        f" parent {span['parent_id']}"
    )

# %%
client_span = next(s for s in spans if s["kind"] == "client")
print(
    "traceparent sent to stock: 00-{}-{}-01".format(client_span["trace_id"], client_span["span_id"])
)
print("one trace:", len({s["trace_id"] for s in spans}) == 1)

# %%
fig, ax = plots.plot_waterfall(spans)

# %% [markdown]
# **What to notice.** Five spans, one trace id, two services. The stock's server span has the
# shop's client span as its parent: that link came only from the `traceparent` header. The
# gap between the client span's start and the stock server span's start is the network and
# uvicorn's parsing; the `SELECT stock` span is the "database". A slow page shows at once
# *which* service and *which* step is slow, which neither service's logs can show alone.
#
# ### Try it
# Every 25th stock request waits 150 ms more (`stock_app.state.slow_every`). Send requests
# until one is slow and draw its waterfall. Where is the time? (Answer:
# [tryit/19 § 2](../solutions/tryit/19_observability.md#2-a-slow-request-in-the-waterfall).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Errors: the Sentry SDK
#
# An exception in a request handler is logged (section 2), but a log line does not tell you
# that the same bug has happened 4,000 times since the last release, to which users, starting
# when. **Sentry** does: its SDK captures each unhandled exception with its stack (local
# variables included), the request and tags, and sends it to a Sentry server, which groups
# events with the same stack into one *issue* and alerts on new ones.
#
# Sentry's service (sentry.io, or self-hosted Sentry, a Docker Compose set of some twenty
# containers with Kafka, ClickHouse and PostgreSQL) cannot run here. The SDK is the real one,
# with its real transport: the **DSN** (`http://<public key>@<host>/<project>`) points at the
# receiver started above, which accepts Sentry's *envelopes* at `/api/<project>/envelope/` as
# Sentry's server does.

# %%
stock_app.state.error_every = 1
broken = front.client.get("/items/fig")
stock_app.state.error_every = 0
sentry_sdk.flush()  # the transport sends from a background thread
events = sentry_inbox.client.get("/events").json()
print(broken.status_code, "- events received:", len(events))

# %%
event = events[-1]
error = event["exception"]["values"][-1]
frame = error["stacktrace"]["frames"][-1]
print(f"{error['type']}: {error['value']}")
print(f"raised in {frame['function']}() line {frame['lineno']}; locals: {sorted(frame['vars'])}")
print("tags:", event["tags"], "release:", event["release"], "env:", event["environment"])
print("request id in the logs too:", broken.headers["x-request-id"] == event["tags"]["request_id"])

# %% [markdown]
# **What to notice.** There are two failed stock requests so far (this one and section 2's),
# and two events. The stock's middleware catches the exception, logs it, hands it to
# `sentry_sdk.capture_exception` and answers 500 itself; the SDK's FastAPI integration has
# already put the request's details on the scope, and the middleware the request id as a tag,
# so an issue in Sentry leads to the log lines of the same request. `send_default_pii=False`
# keeps cookies and IP addresses out; local variables are sent, so a variable holding a
# password would be too: Sentry's server scrubs known names, and `before_send` is where you
# scrub the rest.

# %% [markdown]
# ## 6. Metrics: counting every request
#
# Logs and traces describe single requests; most questions are about all of them: how many per
# second, what fraction failed, how slow the slowest 1% are. A **metric** is a number kept in
# memory and read every few seconds, whatever the traffic. `prometheus_client` offers four
# types:
#
# | type | what it is | the shop uses it for |
# |---|---|---|
# | `Counter` | only goes up (reset to 0 at restart) | requests answered, by status |
# | `Gauge` | goes up and down | requests in progress, queue length, memory |
# | `Histogram` | counts observations into buckets, plus their sum and count | request durations |
# | `Summary` | quantiles computed in the process | rarely: they cannot be added across processes |
#
# Each service serves its metrics at `/metrics` in Prometheus's text format, the
# **exposition**:

# %%
exposition = front.client.get("/metrics").text
for line in exposition.splitlines():
    counter = line.startswith(("# TYPE http_req", "http_requests_total"))
    bucket = line.startswith("http_request_duration_seconds_bucket") and 'le="0.05"' in line
    if counter or (bucket and "/items/" in line):
        print(line)

# %% [markdown]
# **What to notice.** The counter's samples end in `_total`; its labels are the method, the
# **route template** `/items/{item}` and the status. A histogram is a set of counters, one per
# bucket (`le`: "less than or equal"), which Prometheus can add up across every instance of a
# service, then turn into a quantile. (`_created` series, the time each series was created,
# also appear in the full text.)
#
# ### The label-cardinality trap
# Every distinct combination of label values is a separate **series**, stored and indexed by
# Prometheus for weeks. Labelling by route template gives a handful; labelling by user id or
# raw path gives one per user and URL. The same requests, counted both ways:

# %%
requests, users = pick(20_000, 4_000), pick(2_000, 500)
for found in metrics.count_series(requests, users):
    print(
        f"labels {found.labels}: {found.series:>6} series, "
        f"exposition {found.exposition_bytes:>8,} bytes"
    )

# %% [markdown]
# **What to notice.** Two series against thousands, for the same traffic and the same
# questions about it. Each series costs Prometheus memory (a few kilobytes for its index and
# samples) on every scrape, for every instance; a label whose values grow with users or URLs
# takes a Prometheus server down. Per-user questions belong in logs and traces, where one more
# user costs one more line. The graded set's first part checks exactly this.

# %% [markdown]
# ## 7. Prometheus scrapes, PromQL answers
#
# Prometheus **pulls**: every second here (every 15 to 60 s in production) it reads each
# target's `/metrics` and stores the samples with a time stamp, adding the labels `job` and
# `instance`. It has been running since the setup (it finds its targets about five seconds
# after it starts, then scrapes them):

# %%
prom.wait_for_scrapes(1)  # at most a few seconds, the first time
for target in prom.targets():
    print(target["labels"]["job"], target["scrapeUrl"], target["health"])

# %% [markdown]
# Now steady traffic: the notebook asks the shop for items, one request after another, while
# 1% of stock requests fail.

# %%
stock_app.state.error_every = 100
traffic_start = time.time()
steady = metrics.drive(front.client, seconds=pick(30, 6))
print(len(steady), "requests,", sum(a.status >= 500 for a in steady), "answered 5xx")

# %% [markdown]
# PromQL works on series. `http_requests_total` is a counter, whose raw value (everything
# since the start) means little; `rate(...[5s])` is its increase per second over the last 5 s,
# which copes with restarts (a drop to 0 counts as a reset). `sum by (job)` adds the series of
# each job. The p99 latency comes from the histogram: `histogram_quantile(0.99, ...)` over the
# buckets' rates, summed by `le`.

# %%
prom.wait_for_scrapes(1)
rate = prom.query("sum by (job) (rate(http_requests_total[5s]))")
print({r["metric"]["job"]: round(float(r["value"][1]), 1) for r in rate}, "requests/s")
p99 = prom.query(metrics.PANELS["p99 latency"][1])
print({r["metric"]["job"]: round(float(r["value"][1]), 1) for r in p99}, "ms, p99 by PromQL")

# %% [markdown]
# Does the histogram's p99 agree with the latencies the client timed? Over the same span of
# time, the whole steady phase, `increase` instead of `rate`:

# %%
window = f"{int(time.time() - traffic_start) + 1}s"
by_promql = prom.query(
    "1000 * histogram_quantile(0.99, sum by (le) "
    f'(increase(http_request_duration_seconds_bucket{{job="shop"}}[{window}])))'
)
timed = sorted(a.seconds for a in steady)
print(
    f"shop p99 over the steady phase: {float(by_promql[0]['value'][1]):.1f} ms by PromQL, "
    f"{timed[int(0.99 * (len(timed) - 1))] * 1000:.1f} ms timed by the client"
)

# %% [markdown]
# **What to notice.** They agree roughly, not exactly. The client's time includes the network
# and the client itself; `histogram_quantile` only knows which bucket each request fell in
# (the slow ones, 4% of them, all land between 100 and 250 ms), so it interpolates linearly
# inside that bucket, and its answer is no more precise than the buckets; and with a few
# hundred requests, a 99th percentile rests on the few slowest. Choose bucket bounds near the
# latencies your SLO names.

# %% [markdown]
# ## 8. SLOs, error budgets and a burn-rate alert
#
# An **SLI** is a measured ratio ("the fraction of requests answered without a 5xx"); an
# **SLO** is its target over a period ("99% over 30 days"); the **error budget** is what the
# target allows to fail.

# %%
for target in (0.99, 0.999, 0.9999):
    budget = slo.error_budget(target)
    print(
        f"SLO {target:.2%}: {budget.allowed_ratio:.2%} of requests may fail, "
        f"{budget.allowed_minutes:7.1f} minutes of full outage in 30 days"
    )

# %% [markdown]
# Alerting on "the error ratio is above 1%" pages for every short blip. Alerting on the
# **burn rate**, the error ratio divided by the allowed one, asks instead "at this pace, how
# fast does the budget go?" A burn rate of 14.4 sustained for one hour spends 2% of a 30-day
# budget:

# %%
print(f"1 hour at burn rate 14.4 spends {slo.budget_spent(14.4, hours=1):.0%} of the budget")
print(f"the budget lasts {30 * 24 / 14.4:.0f} hours at that pace")

# %% [markdown]
# The SRE workbook's alert pages when the burn rate is above 14.4 over **1 hour and** over
# **5 minutes**: the long window makes it significant, the short one makes the alert stop soon
# after the errors stop. Here both windows are shrunk from hours to seconds (12 s and 3 s, the
# same 12:1 ratio), so that the rule fires while we watch. This is the rule file Prometheus
# has been evaluating every second since the setup:

# %%
print(RULES)

# %% [markdown]
# The `or vector(0)` matters: while no request has failed, no series with a `5..` status
# exists, the division has nothing to divide, and the ratio would be *missing* rather than 0.
# Now an incident: half of the stock requests fail, and the notebook keeps sending traffic
# until Prometheus reports the alert as firing.

# %%
stock_app.state.error_every = 2
incident_start = time.time()
fired = None
while fired is None and time.time() - incident_start < 60:
    metrics.drive(front.client, seconds=1)
    firing = [a for a in prom.alerts() if a["state"] == "firing"]
    fired = time.time() if firing else None
stock_app.state.error_every = 0
print(f"firing after {fired - incident_start:.1f} s of errors:", firing[0]["labels"])
print(firing[0]["annotations"]["summary"])

# %%
calm_start = time.time()  # the errors have stopped: traffic goes on until the alert ends
while any(a["state"] == "firing" for a in prom.alerts()) and time.time() - calm_start < 60:
    metrics.drive(front.client, seconds=1)
long_burn = prom.query(f"job:error_ratio:rate_long{{job='shop'}} / {1 - SLO:g}")
print(
    f"resolved after {time.time() - calm_start:.1f} s without errors; burn rate over the "
    f"long window then: {float(long_burn[0]['value'][1]):.1f}"
)
metrics.drive(front.client, seconds=pick(10, 2))
traffic_end = time.time()
print("alerts now:", [(a["labels"]["alertname"], a["state"]) for a in prom.alerts()])

# %%
burn = {
    f"{name} window": metrics.series_of(
        prom.query_range(
            f"job:error_ratio:rate_{name}{{job='shop'}} / {1 - SLO:g}",
            traffic_start,
            traffic_end,
            1,
        )
    )["shop"]
    for name in ("long", "short")
}
fig, ax = plots.plot_burn_rate(burn, traffic_start, threshold=14.4, fired_at=fired)

# %% [markdown]
# **What to notice.** During steady traffic the long window's burn rate hovers around 1 (1%
# errors against a 1% budget: the budget would last exactly the period), while the short one
# jumps at each rare error: alone, it would page for blips. When half the stock calls fail, the
# short window jumps first; the alert waits for the long one too, a few seconds later. After
# the errors stop, the short window falls at once, and since the alert needs both, it stops
# firing without waiting for the long window to recover.

# %% [markdown]
# ## 9. The dashboard Grafana would show
#
# Grafana is the web application that draws these queries as panels, refreshed every few
# seconds. It cannot run here (Debian does not package it, and its own package repository is
# out of reach), so the notebook draws what its standard "RED" dashboard (Rate, Errors,
# Duration) for these services would show, from the same PromQL over Prometheus's HTTP API:

# %%
panels = metrics.dashboard(prom, traffic_start, traffic_end, step=1)
fig, axes = plots.plot_dashboard(panels, traffic_start)

# %% [markdown]
# **What to notice.** The error ratio of both services rises together during the incident
# (each failed stock call becomes a 502 at the shop) and falls when it ends. The p99 is several
# times the p50: the stock's slow queries, which the shop's requests wait for. Latency rises
# during the incident too: a failing request is not cheaper here, since the stock formats a
# traceback for the log and builds an event for Sentry before it answers. Grafana would send
# exactly these queries; what it adds is the refresh, the zoom, and alerts of its own.

# %%
stack.close()
print("everything stopped; log folder removed:", not folder.exists())

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Unbounded labels.** A user id, an email, a raw URL path, a full error message as a label:
# one series each. Use route templates and status codes; put the rest in logs and traces.
#
# **Averages hide the tail.** A mean latency of 20 ms can hide 1% of requests at two seconds.
# Alert on quantiles from histograms, and never average quantiles (p99 of two services is not
# the mean of their p99s; sum the buckets, then take `histogram_quantile`).
#
# **`rate` needs two samples.** The range in `rate(x[w])` must span at least two scrapes
# (four is safer), or the query returns nothing. With a 15 s scrape interval, `[1m]` is the
# shortest sensible window.
#
# **Summaries do not add up.** A `Summary`'s quantiles are computed in each process; the p99
# of ten instances cannot be made from ten p99s. Histograms can be summed.
#
# **Logs in a hot loop.** Every log line costs formatting, a write and storage downstream. Log
# per request, not per iteration; sample or drop debug lines in production.
#
# **Context that leaks.** `structlog.contextvars` keeps values for the rest of the task: clear
# them at the start of each request (the middleware does), or a request inherits the id of the
# one before.
#
# **Sentry in tests and notebooks.** `sentry_sdk.init` patches libraries for the whole process
# and sends events from a background thread; flush before reading, and close the client when
# done (`shop.stop_sentry`).

# %% [markdown]
# ## Summary
#
# - Structured logs are JSON records with named fields; structlog and the standard library
#   share one pipeline; redaction works on field names; a correlation id bound in context
#   variables ties together every line of one request across services.
# - ELK indexes such records from every machine; here the same filters and counts ran on one
#   JSON-lines file.
# - Metrics count everything: counters for events, gauges for levels, histograms for
#   durations; label by route template and status, never by user or raw path.
# - Prometheus pulls `/metrics`; PromQL's `rate` and `histogram_quantile` turn counters and
#   buckets into rates and p99s; Grafana draws those queries.
# - OpenTelemetry spans, linked by `traceparent`, show where one request's time went across
#   services; the Sentry SDK turns exceptions into grouped, tagged events.
# - An SLO's error budget is `1 - SLO`; the burn rate is the error ratio over the budget; page
#   when it is above 14.4 over a long and a short window.
#
# | the notes name | what runs here |
# |---|---|
# | Sentry (errors) | the real `sentry-sdk` and its transport, to a Sentry receiver on loopback |
# | ELK (logs) | JSON lines from structlog and `logging`, searched with `logs.search` |
# | Prometheus (metrics) | Debian's Prometheus: scrapes, PromQL, a burn-rate alert |
# | Grafana (dashboards) | the same PromQL panels, drawn with matplotlib |
#
# Measured above: a handful of series by route template against thousands by user and path
# (section 6), both p99s of section 7, and the seconds of errors before the alert fired
# (section 8); the numbers change from run to run, the shapes do not.
#
# **Graded exercises:** [exercises/ps19_observability.ipynb](exercises/ps19_observability.ipynb):
# instrument a service with the right metric types and labels (checked on the exposition text
# it produces), write a structlog processor that shapes and redacts a log record, and compute
# an SLO burn rate from counter samples, with the multi-window paging decision.
