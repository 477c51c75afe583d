# %% [markdown]
# # ps19 · Observability: metrics with the right labels, log records, burn rates (22 points)
#
# Three pieces of the instrumentation from [19 · Observability](../19_observability.ipynb),
# written as plain functions so that every rule can be checked exactly:
#
# - **Part A** · `exposition(requests)`: count a batch of requests with `prometheus_client`,
#   with the right metric types and labels, and return the text Prometheus would scrape
#   (8 points);
# - **Part B** · `shape_record(logger, method_name, event_dict)`: a structlog processor that
#   sets the level and redacts secrets at any depth (6 points);
# - **Part C** · `burn_rate(samples, now, window, slo)` and `should_page(...)`: the burn rate
#   of an error budget from counter samples, resets included, and the multi-window paging
#   decision (8 points).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the answers use and defines the constants the contracts
# name.
import math

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

#: Part A: the upper bounds (seconds) of the latency histogram's buckets (+Inf is implicit).
BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0)
#: Part A: the route label of a request that matched no route.
UNMATCHED = "unmatched"
#: Part B: the names of fields that hold secrets, and what their values become.
SECRET_NAMES = ("password", "token", "authorization", "api_key", "secret", "cookie")
REDACTED = "[REDACTED]"

# %% [markdown]
# ## Part A · `exposition`: the right metric types and labels
#
# A service has answered a batch of requests, each described by a dict:
#
# ```python
# {"method": "GET", "path": "/users/42/orders", "route": "/users/{user_id}/orders",
#  "status": 200, "seconds": 0.031, "user_id": "u42"}
# ```
#
# `path` is the URL as requested, `route` the template of the route that answered it (`None`
# when no route matched: a 404), `status` the HTTP status code (an int), `seconds` how long
# the answer took, `user_id` who asked (a string). Write `exposition(requests)`: record the
# batch with `prometheus_client` and return the exposition text, as `/metrics` would serve it.
#
# ```python
# text = exposition([{"method": "GET", "path": "/users/42/orders",
#                     "route": "/users/{user_id}/orders", "status": 200,
#                     "seconds": 0.031, "user_id": "u42"}])
# # '# HELP shop_requests_total ...\n# TYPE shop_requests_total counter\n'
# # 'shop_requests_total{method="GET",route="/users/{user_id}/orders",status="200"} 1.0\n...'
# ```
#
# The exact contract, which the hidden tests check (by parsing the text with
# `prometheus_client.parser.text_string_to_metric_families`) and nothing beyond it:
#
# - **Return** the text (a `str`) of `generate_latest(registry)` for a **new**
#   `CollectorRegistry` made by this call: calling `exposition` twice gives the same text
#   twice, never counts added up across calls (and never an error for a duplicate metric).
# - **`shop_requests`**, a **counter** (its samples are `shop_requests_total`) with exactly the
#   labels `method`, `route`, `status`, incremented by 1 per request. `method` is the request's
#   method in upper case (`"get"` counts as `"GET"`); `route` is the route template, or
#   `UNMATCHED` when `route` is `None`; `status` is the status code as a decimal string
#   (`"404"`).
# - **`shop_request_duration_seconds`**, a **histogram** with exactly the labels `method` and
#   `route` (as above) and the buckets `BUCKETS`, observing each request's `seconds`.
# - **`shop_active_users`**, a **gauge** without labels: how many distinct `user_id` values the
#   batch holds (0 for an empty batch).
# - The label-cardinality trap: the user id and the raw path are **never** label values. The
#   three metrics are declared (with a help text) even for an empty batch.
#
# A request whose values are odd is still counted as given: the contract has no other rules.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `Counter("shop_requests", "help text", ["method", "route", "status"], registry=registry)`:
# `prometheus_client` adds `_total` to a counter's samples. Every metric takes
# `registry=registry`; without it, it lands in the process-wide default registry.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `counter.labels(method, route, status).inc()` and `histogram.labels(method, route)
# .observe(seconds)`; `Histogram(..., buckets=BUCKETS)`. A set of the user ids gives the
# gauge's value: `gauge.set(len(users))`. `generate_latest(registry)` returns bytes.
# </details>


# %% nbgrader="solution" grade_id="exposition_answer"
def exposition(requests):
    """Count `requests` (a list of dicts) in a new registry with the counter
    `shop_requests`, the histogram `shop_request_duration_seconds` and the gauge
    `shop_active_users`, and return the registry's exposition text."""
    ### BEGIN SOLUTION
    registry = CollectorRegistry()
    answered = Counter(
        "shop_requests",
        "HTTP requests answered, by method, route template and status code.",
        ["method", "route", "status"],
        registry=registry,
    )
    duration = Histogram(
        "shop_request_duration_seconds",
        "Time to answer an HTTP request, by method and route template.",
        ["method", "route"],
        buckets=BUCKETS,
        registry=registry,
    )
    users = Gauge("shop_active_users", "Distinct users in the batch.", registry=registry)
    seen = set()
    for request in requests:
        method = request["method"].upper()
        route = UNMATCHED if request["route"] is None else request["route"]
        answered.labels(method, route, str(request["status"])).inc()
        duration.labels(method, route).observe(request["seconds"])
        seen.add(request["user_id"])
    users.set(len(seen))
    return generate_latest(registry).decode()
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(
    exposition(
        [
            {
                "method": "GET",
                "path": "/users/42/orders",
                "route": "/users/{user_id}/orders",
                "status": 200,
                "seconds": 0.031,
                "user_id": "u42",
            }
        ]
    )
)

# %% [markdown]
# ### Check A1 · metric names and types (3 points)

# %% nbgrader="tests" grade_id="exposition_tests_types" points=3
"""exposition returns exposition text with the counter shop_requests, the histogram
shop_request_duration_seconds and the gauge shop_active_users, each with a help text, from a
new registry on every call."""
from prometheus_client.parser import text_string_to_metric_families

from advpy.checks import expect, expect_same, expect_type


def _families(text):
    return {f.name: f for f in text_string_to_metric_families(text)}


def _request(
    method="GET", path="/items/7", route="/items/{item}", status=200, seconds=0.02, user="u1"
):
    return {
        "method": method,
        "path": path,
        "route": route,
        "status": status,
        "seconds": seconds,
        "user_id": user,
    }


_text = exposition([_request()])
expect_type(_text, str, "exposition must return the text as a str (decode generate_latest's bytes)")
_found = _families(_text)
expect_same(
    {name: _found[name].type for name in _found if not name.endswith("_created")},
    {
        "shop_requests": "counter",
        "shop_request_duration_seconds": "histogram",
        "shop_active_users": "gauge",
    },
    "the metric families and their types",
    show=True,
)
### BEGIN HIDDEN TESTS
for _name in ("shop_requests", "shop_request_duration_seconds", "shop_active_users"):
    expect(bool(_found[_name].documentation.strip()), "every metric needs a help text")
_empty = _families(exposition([]))
expect_same(
    {name: _empty[name].type for name in _empty if not name.endswith("_created")},
    {
        "shop_requests": "counter",
        "shop_request_duration_seconds": "histogram",
        "shop_active_users": "gauge",
    },
    "the three metrics must be declared even for an empty batch",
)
_batch = [_request(user=f"u{n % 3}", status=200 + (n % 2) * 300) for n in range(7)]
_first, _second = exposition(_batch), exposition(_batch)
expect_same(
    [
        s.value
        for f in text_string_to_metric_families(_first)
        for s in f.samples
        if "created" not in s.name
    ],
    [
        s.value
        for f in text_string_to_metric_families(_second)
        for s in f.samples
        if "created" not in s.name
    ],
    "two calls with the same batch must give the same values: use a new CollectorRegistry per call",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · labels, and the label-cardinality trap (3 points)

# %% nbgrader="tests" grade_id="exposition_tests_labels" points=3
"""The counter is labelled by method, route template and status, the histogram by method and
route, the gauge by nothing; never by user id or raw path; odd routes and methods are
normalised as the contract says."""
_found = _families(exposition([_request(user="u-9", path="/items/7")]))
_counter = [s for s in _found["shop_requests"].samples if s.name == "shop_requests_total"]
expect_same(
    [s.labels for s in _counter],
    [{"method": "GET", "route": "/items/{item}", "status": "200"}],
    "the counter's one sample and its labels",
    show=True,
)
### BEGIN HIDDEN TESTS
_batch = [
    _request(method="get", route=None, path="/nowhere/1", status=404, user="a"),
    _request(method="Post", route="/orders", path="/orders", status=201, user="b"),
    _request(route="/items/{item}", path="/items/99", status=500, user="c"),
]
_found = _families(exposition(_batch))
_counter = [s.labels for s in _found["shop_requests"].samples if s.name == "shop_requests_total"]
expect_same(
    sorted(tuple(sorted(labels.items())) for labels in _counter),
    sorted(
        [
            (("method", "GET"), ("route", UNMATCHED), ("status", "404")),
            (("method", "POST"), ("route", "/orders"), ("status", "201")),
            (("method", "GET"), ("route", "/items/{item}"), ("status", "500")),
        ]
    ),
    "counter labels: the method in upper case, the route template (UNMATCHED when there is "
    "none, never the path) and the status as a string",
)
_buckets = [
    s.labels for s in _found["shop_request_duration_seconds"].samples if s.name.endswith("_bucket")
]
expect(
    all(set(labels) == {"method", "route", "le"} for labels in _buckets),
    "the histogram must be labelled by method and route only (le is the bucket's own label)",
)
expect(
    {labels["route"] for labels in _buckets} == {UNMATCHED, "/orders", "/items/{item}"},
    "the histogram's route label must be the route template, or UNMATCHED",
)
_gauge = _found["shop_active_users"].samples
expect(
    [s.labels for s in _gauge] == [{}],
    "the gauge has no labels: one sample for the whole service",
)
_values = {v for f in _found.values() for s in f.samples for v in s.labels.values()}
expect(
    not _values & {"a", "b", "c", "/nowhere/1", "/items/99"},
    "no label may hold a user id or a raw path: one series per user or URL is the cardinality trap",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · the values (2 points)

# %% nbgrader="tests" grade_id="exposition_tests_values" points=2
"""Each request is counted once, its duration falls in the right buckets, and the gauge counts
distinct users."""
_found = _families(exposition([_request(user="u1"), _request(user="u1", seconds=0.3)]))
_samples = {
    (s.name, s.labels.get("le")): s.value for s in _found["shop_request_duration_seconds"].samples
}
expect_same(
    _samples[("shop_request_duration_seconds_count", None)], 2.0, "the histogram's count", show=True
)
expect_same(
    _found["shop_active_users"].samples[0].value, 1.0, "distinct users (u1 twice)", show=True
)
### BEGIN HIDDEN TESTS
_batch = [
    _request(seconds=0.005, user="x"),
    _request(seconds=0.01, user="y"),
    _request(seconds=0.07, user="x"),
    _request(seconds=0.5, user="z"),
    _request(seconds=2.0, user="y"),
    _request(seconds=0.02, status=503, user="w"),
]
_found = _families(exposition(_batch))
_samples = {
    (s.name, s.labels.get("le"), s.labels.get("status")): s.value
    for f in _found.values()
    for s in f.samples
}
_bucket = "shop_request_duration_seconds_bucket"
expect(
    [_samples[(_bucket, le, None)] for le in ("0.01", "0.05", "0.1", "0.5", "1.0", "+Inf")]
    == [2.0, 3.0, 4.0, 5.0, 5.0, 6.0],
    "the histogram must use exactly BUCKETS and observe each request's seconds (an observation "
    "equal to a bound falls in that bucket)",
)
expect(
    {le for (name, le, _status) in _samples if name == _bucket}
    == {"0.01", "0.05", "0.1", "0.5", "1.0", "+Inf"},
    "the histogram's buckets must be exactly BUCKETS (and +Inf), not the library's defaults",
)
expect(
    math.isclose(_samples[("shop_request_duration_seconds_sum", None, None)], 2.605),
    "the histogram's sum must be the total of the seconds observed",
)
expect(
    _samples[("shop_requests_total", None, "200")] == 5.0
    and _samples[("shop_requests_total", None, "503")] == 1.0,
    "the counter must count each request once, under its own status",
)
expect(_samples[("shop_active_users", None, None)] == 4.0, "the gauge must count distinct user ids")
expect(
    _families(exposition([]))["shop_active_users"].samples[0].value == 0.0,
    "an empty batch has no users: the gauge is 0",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `shape_record`: a structlog processor that sets the level and redacts
#
# A structlog **processor** is called with the logger, the name of the method called
# (`"info"`, `"warning"`...) and the event dict (the record so far), and returns the event
# dict the next processor gets. Write `shape_record(logger, method_name, event_dict)`:
#
# ```python
# shape_record(None, "warn", {"event": "login", "user": "ada", "password": "hunter2"})
# # {'event': 'login', 'user': 'ada', 'password': '[REDACTED]', 'level': 'warning'}
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Return a new dict**; the `event_dict` given (and the dicts and lists inside it) must not
#   be changed. `logger` is not used (it may be `None`).
# - **`level`**: the returned dict's `"level"` is `method_name` in lower case, with two aliases
#   mapped as structlog's own `add_log_level` does: `"warn"` → `"warning"` and
#   `"exception"` → `"error"`. It replaces any `"level"` the event dict already had.
# - **Secret names.** A key is a secret when it is a string and, after lower-casing it and
#   turning `-` into `_`, it is one of `SECRET_NAMES` **or ends with `_` followed by one of
#   them** (`"Authorization"`, `"X-Api-Key"`, `"db_password"`, `"refresh_token"` are secrets;
#   `"tokens_used"`, `"password_hint_shown"`, `"secretary"` are not).
# - **Redaction.** The value of a secret key becomes exactly `REDACTED`, whatever it was (a
#   dict, a list, `None`, `0` and `""` included). Redaction applies at **any depth**: inside
#   dict values and inside the items of lists (a list of dicts, a list of lists...); a secret
#   key's whole value is replaced, without looking inside. All other keys and values come back
#   unchanged (non-string keys are never secrets).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Write a helper `is_secret(key)` first, then a recursive `clean(value)` that rebuilds dicts
# and lists and returns anything else as it is.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `key.lower().replace("-", "_")`; then `name == s or name.endswith("_" + s)` for `s` in
# `SECRET_NAMES`. Building new dicts and lists (`{k: clean(v) for k, v in d.items()}`) leaves
# the originals unchanged.
# </details>


# %% nbgrader="solution" grade_id="shape_record_answer"
def shape_record(logger, method_name, event_dict):
    """A structlog processor: a new event dict with "level" set from method_name and every
    secret's value, at any depth, replaced by REDACTED."""

    ### BEGIN SOLUTION
    def is_secret(key):
        if not isinstance(key, str):
            return False
        name = key.lower().replace("-", "_")
        return any(name == s or name.endswith("_" + s) for s in SECRET_NAMES)

    def clean(value):
        if isinstance(value, dict):
            return {k: REDACTED if is_secret(k) else clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    shaped = clean(event_dict)
    level = method_name.lower()
    shaped["level"] = {"warn": "warning", "exception": "error"}.get(level, level)
    return shaped
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
shape_record(None, "warn", {"event": "login", "user": "ada", "password": "hunter2"})

# %% [markdown]
# ### Check B1 · the level (2 points)

# %% nbgrader="tests" grade_id="shape_record_tests_level" points=2
"""shape_record sets "level" from the method name, in lower case, with warn -> warning and
exception -> error, over any level already there, and keeps the other fields."""
expect_same(
    shape_record(None, "info", {"event": "paid", "order": 7}),
    {"event": "paid", "order": 7, "level": "info"},
    'shape_record(None, "info", {"event": "paid", "order": 7})',
    show=True,
)
expect_same(
    shape_record(None, "warn", {"event": "x"})["level"], "warning", "warn is warning", show=True
)
### BEGIN HIDDEN TESTS
for _method, _level in [
    ("exception", "error"),
    ("ERROR", "error"),
    ("Warning", "warning"),
    ("WARN", "warning"),
    ("critical", "critical"),
    ("debug", "debug"),
    ("msg", "msg"),
]:
    expect(
        shape_record(None, _method, {"event": "e"}) == {"event": "e", "level": _level},
        "level must be the method name in lower case, with warn -> warning and exception -> error",
    )
expect(
    shape_record("a logger", "info", {"event": "e", "level": "debug"})
    == {"event": "e", "level": "info"},
    "the method name decides the level, over a level already in the event dict",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · redaction by name (2 points)

# %% nbgrader="tests" grade_id="shape_record_tests_names" points=2
"""A key is a secret when, lower-cased with - as _, it is a secret name or ends with _ and one;
its value becomes REDACTED whatever it was, and the event dict given is not changed."""
expect_same(
    shape_record(None, "info", {"event": "login", "user": "ada", "password": "hunter2"}),
    {"event": "login", "user": "ada", "password": REDACTED, "level": "info"},
    "the password is redacted",
    show=True,
)
### BEGIN HIDDEN TESTS
_secret_keys = [
    "Authorization",
    "X-Api-Key",
    "db_password",
    "refresh_token",
    "COOKIE",
    "client-secret",
    "token",
    "API_KEY",
]
_plain_keys = [
    "tokens_used",
    "password_hint_shown",
    "secretary",
    "user",
    "passwords",
    "cookie_count",
    "xtoken",
]
_record = {key: f"value-{n}" for n, key in enumerate(_secret_keys + _plain_keys)}
_shaped = shape_record(None, "info", _record)
expect(
    all(_shaped[key] == REDACTED for key in _secret_keys),
    "every key whose name is a secret name, or ends with _ and one (any case, - as _), is redacted",
)
expect(
    all(_shaped[key] == _record[key] for key in _plain_keys),
    "only secret names are redacted: a name that merely contains one (tokens_used) is not",
)
for _value in [None, 0, "", False, [], {}, {"nested": "x"}, ["a", "b"], 12.5]:
    expect(
        shape_record(None, "info", {"password": _value})["password"] == REDACTED,
        "a secret's value becomes REDACTED whatever it is, an empty or false value included",
    )
_given = {"event": "e", "token": "t", "headers": {"Cookie": "c"}, "items": [{"secret": 1}]}
shape_record(None, "info", _given)
expect(
    _given == {"event": "e", "token": "t", "headers": {"Cookie": "c"}, "items": [{"secret": 1}]},
    "the event dict given, and what is inside it, must not be changed: build a new one",
)
expect(
    shape_record(None, "info", {1: "one", "event": "e"})
    == {1: "one", "event": "e", "level": "info"},
    "non-string keys are never secrets and come back unchanged",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · redaction at any depth (2 points)

# %% nbgrader="tests" grade_id="shape_record_tests_nested" points=2
"""Secrets inside nested dicts and inside lists (of dicts, of lists) are redacted too; a secret
key's whole value is replaced; everything else is kept."""
expect_same(
    shape_record(
        None, "info", {"event": "call", "headers": {"Authorization": "Bearer x", "Accept": "*/*"}}
    ),
    {"event": "call", "headers": {"Authorization": REDACTED, "Accept": "*/*"}, "level": "info"},
    "a secret inside a nested dict",
    show=True,
)
### BEGIN HIDDEN TESTS
_deep = {
    "event": "batch",
    "calls": [
        {"url": "/a", "headers": {"X-Api-Key": "k1", "Accept": "json"}},
        [{"password": "p"}, "plain", 3],
        "text",
    ],
    "auth": {"token": {"value": "t", "expires": 3600}, "scheme": "bearer"},
    "level2": {"level3": {"level4": {"secret": "s", "keep": [1, 2, {"cookie": "c"}]}}},
}
expect_same(
    shape_record(None, "info", _deep),
    {
        "event": "batch",
        "calls": [
            {"url": "/a", "headers": {"X-Api-Key": REDACTED, "Accept": "json"}},
            [{"password": REDACTED}, "plain", 3],
            "text",
        ],
        "auth": {"token": REDACTED, "scheme": "bearer"},
        "level2": {
            "level3": {"level4": {"secret": REDACTED, "keep": [1, 2, {"cookie": REDACTED}]}}
        },
        "level": "info",
    },
    "secrets must be redacted at any depth, in dicts and in lists of dicts and lists",
)
expect(
    shape_record(None, "info", {"users": [], "meta": {}})["users"] == []
    and shape_record(None, "info", {"users": [], "meta": {}})["meta"] == {},
    "empty lists and dicts come back as they were",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `burn_rate` and `should_page`: an error budget's burn rate from counters
#
# Prometheus scrapes two **counters** of a service every few seconds: requests answered, and
# requests answered with a 5xx. A counter only goes up, except when the service restarts: then
# it starts again from 0 (a **reset**). `samples` is a list of scrapes, in increasing time
# order, each a tuple `(t, total, errors)`: the time in seconds and both counters' values then.
#
# Write `burn_rate(samples, now, window, slo)`, the burn rate over the `window` seconds that
# end at `now`, and `should_page(samples, now, slo, factor=14.4, long=3600, short=300)`, the
# multi-window decision of the lesson:
#
# ```python
# samples = [(0, 1000, 0), (60, 2000, 20), (120, 3000, 40)]
# burn_rate(samples, now=120, window=120, slo=0.99)   # (40 / 2000) / 0.01 = 2.0
# ```
#
# The exact contract, which the hidden tests check (values to a relative tolerance of 1e-9)
# and nothing beyond it:
#
# - **The window** holds the samples with `now - window <= t <= now` (both ends included).
# - **A counter's increase** over the window is the sum, over each pair of consecutive samples
#   in it, of `later - earlier`, except when `later < earlier` (a reset): then the pair adds
#   `later` (the counter restarted from 0 and counted `later` since). `total` and `errors` are
#   two counters: each has its own increase (and may reset on its own).
# - **The burn rate** is `(errors increase / total increase) / (1 - slo)`, a `float`.
# - It is `float("nan")` (not an error) when the window holds fewer than 2 samples, or when the
#   total increase is 0 (no traffic: the ratio is unknown, not zero).
# - `slo` must satisfy `0 < slo < 1`; otherwise raise `ValueError` (before looking at the
#   samples).
# - **`should_page`** returns `True` when the burn rate over the `long` window **and** the
#   burn rate over the `short` window (both ending at `now`) are each **strictly greater**
#   than `factor`, else `False` (a NaN is never greater). It raises `ValueError` for a bad
#   `slo` as `burn_rate` does. It returns a `bool`.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Filter the window first, then write `increase(values)` for one list of counter values; call
# it once for the totals and once for the errors.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `for earlier, later in zip(values, values[1:])`: add `later - earlier` if `later >= earlier`,
# else `later`. `math.nan` is NaN, and `math.nan > 14.4` is `False`.
# </details>


# %% nbgrader="solution" grade_id="burn_rate_answer"
def burn_rate(samples, now, window, slo):
    """The error budget's burn rate over the `window` seconds ending at `now`, from counter
    samples (t, total, errors); NaN without two samples or without traffic."""
    ### BEGIN SOLUTION
    if not 0 < slo < 1:
        raise ValueError(f"the SLO must be between 0 and 1, not {slo!r}")
    inside = [s for s in samples if now - window <= s[0] <= now]
    if len(inside) < 2:
        return math.nan

    def increase(values):
        return sum(b - a if b >= a else b for a, b in zip(values, values[1:], strict=False))

    total = increase([s[1] for s in inside])
    if total == 0:
        return math.nan
    errors = increase([s[2] for s in inside])
    return float(errors / total / (1 - slo))
    ### END SOLUTION


def should_page(samples, now, slo, factor=14.4, long=3600, short=300):
    """True when the burn rate is above `factor` over both the long and the short window."""
    ### BEGIN SOLUTION
    over_long = burn_rate(samples, now, long, slo)
    over_short = burn_rate(samples, now, short, slo)
    return bool(over_long > factor and over_short > factor)
    ### END SOLUTION


# %%
# Scratch cell: try your functions here. They are not graded.
burn_rate([(0, 1000, 0), (60, 2000, 20), (120, 3000, 40)], now=120, window=120, slo=0.99)

# %% [markdown]
# ### Check C1 · the burn rate over a window (3 points)

# %% nbgrader="tests" grade_id="burn_rate_tests_window" points=3
"""burn_rate divides the errors' increase by the requests' increase over the window (both ends
included) and by the allowed ratio 1 - slo, and raises ValueError for an SLO outside (0, 1)."""
from advpy.checks import expect_raises

_samples = [(0, 1000, 0), (60, 2000, 20), (120, 3000, 40)]
_value = burn_rate(_samples, now=120, window=120, slo=0.99)
expect_type(_value, float, "burn_rate returns a float")
expect(
    math.isclose(_value, 2.0, rel_tol=1e-9),
    f"burn_rate(..., now=120, window=120, slo=0.99) is 2.0, not {_value!r}",
)
expect_raises(
    lambda: burn_rate(_samples, 120, 120, 1.0),
    ValueError,
    "an SLO of 1.0 leaves no budget: ValueError",
)
### BEGIN HIDDEN TESTS
_series = [(t, 100 * t, (t // 10) ** 2) for t in range(0, 301, 10)]


def _expected(series, now, window, slo):
    inside = [s for s in series if now - window <= s[0] <= now]
    return (inside[-1][2] - inside[0][2]) / (inside[-1][1] - inside[0][1]) / (1 - slo)


for _now, _window, _slo in [
    (300, 300, 0.99),
    (300, 60, 0.999),
    (200, 50, 0.9),
    (150, 30, 0.95),
    (305, 15, 0.99),
]:
    _got = burn_rate(_series, _now, _window, _slo)
    expect(
        isinstance(_got, float)
        and math.isclose(_got, _expected(_series, _now, _window, _slo), rel_tol=1e-9),
        "the burn rate over a window must use only the samples with now - window <= t <= now",
    )
expect(
    math.isclose(burn_rate(_series, 100, 20, 0.99), (100 - 64) / 2000 / 0.01, rel_tol=1e-9),
    "a sample exactly at now - window belongs to the window",
)
expect(
    math.isclose(burn_rate([(0, 0, 0), (10, 7, 7)], 10, 10, 0.5), 2.0, rel_tol=1e-9),
    "every request failing with a 50% SLO burns at 2",
)
expect(
    burn_rate([(0, 10, 3), (10, 20, 3)], 10, 10, 0.99) == 0.0,
    "no new errors in the window means a burn rate of 0.0, even when errors happened before",
)
for _slo in (0, 1, -0.5, 1.5, 99.9):
    expect_raises(
        lambda _slo=_slo: burn_rate(_samples, 120, 120, _slo),
        ValueError,
        "an SLO outside 0 < slo < 1 must raise ValueError",
    )
expect_raises(
    lambda: burn_rate([], 120, 120, 0),
    ValueError,
    "a bad SLO raises ValueError even without samples",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · resets and empty windows (3 points)

# %% nbgrader="tests" grade_id="burn_rate_tests_resets" points=3
"""A counter that drops has restarted from 0: the pair adds the later value; fewer than two
samples in the window, or no traffic in it, give NaN."""
_restart = [(0, 1000, 10), (60, 1500, 20), (120, 400, 8)]
expect(
    math.isclose(burn_rate(_restart, 120, 120, 0.99), (10 + 8) / (500 + 400) / 0.01, rel_tol=1e-9),
    "a restart: the counters fell to 0 and counted 400 and 8 since",
)
expect(math.isnan(burn_rate([(0, 5, 0)], 0, 60, 0.99)), "one sample is not enough: NaN")
### BEGIN HIDDEN TESTS
expect(
    math.isclose(
        burn_rate([(0, 100, 5), (10, 200, 2), (20, 300, 4)], 20, 20, 0.9),
        (2 + 2) / 200 / 0.1,
        rel_tol=1e-9,
    ),
    "the error counter can reset on its own: its increase counts the later value at the drop",
)
expect(
    math.isclose(burn_rate([(0, 50, 1), (10, 0, 0), (20, 40, 2)], 20, 20, 0.99), 5.0, rel_tol=1e-9),
    "a counter that restarts and reads 0 adds 0 for that pair",
)
expect(
    math.isclose(
        burn_rate([(0, 90, 9), (10, 100, 10), (20, 30, 3), (30, 60, 6)], 30, 30, 0.99),
        10.0,
        rel_tol=1e-9,
    ),
    "an increase adds every pair: before the reset, at it, and after it",
)
for _samples, _now, _window, _why in [
    ([], 100, 100, "no samples at all"),
    ([(0, 10, 1), (100, 20, 2)], 50, 40, "no sample inside the window"),
    ([(0, 10, 1), (60, 20, 2), (120, 30, 3)], 120, 59, "only one sample inside the window"),
    ([(0, 10, 1), (60, 10, 1), (120, 10, 1)], 120, 120, "no traffic: the total did not move"),
    ([(0, 10, 0), (60, 10, 0)], 60, 60, "no traffic and no errors"),
]:
    _got = burn_rate(_samples, _now, _window, 0.99)
    expect(isinstance(_got, float) and math.isnan(_got), f"the burn rate must be NaN with {_why}")
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · the paging decision (2 points)

# %% nbgrader="tests" grade_id="burn_rate_tests_paging" points=2
"""should_page is True only when the burn rate is strictly above the factor over both the long
and the short window; NaN never pages; a bad SLO raises ValueError."""
_hour = [(t, 10 * t, t // 2) for t in range(0, 3601, 60)]  # 5% errors all hour: burn rate 5
expect_same(
    should_page(_hour, 3600, 0.99), False, "a burn rate of 5 does not page at 14.4", show=True
)
expect_same(
    should_page(_hour, 3600, 0.99, factor=4), True, "a burn rate of 5 pages at 4", show=True
)
### BEGIN HIDDEN TESTS
_spike = [(t, 1000 * t, (t // 60) ** 3 if t > 3000 else 0) for t in range(0, 3601, 60)]
_long, _short = burn_rate(_spike, 3600, 3600, 0.99), burn_rate(_spike, 3600, 300, 0.99)
expect(_short > _long, "(the test's own data: the short window burns faster)")
expect(
    should_page(_spike, 3600, 0.99, factor=(_long + _short) / 2) is False,
    "above the factor over the short window only: no page",
)
expect(
    should_page(_spike, 3600, 0.99, factor=_long * 0.99) is True,
    "above the factor over both windows: page",
)
_old = [(t, 10 * t, t * 5 if t < 600 else 3000) for t in range(0, 3601, 60)]
expect(
    should_page(_old, 3600, 0.99, factor=1) is False,
    "errors long past: the short window is calm, no page",
)
expect(
    should_page(_hour, 3600, 0.5, factor=0.1) is False,
    "a burn rate equal to the factor does not page: strictly greater",
)
expect(should_page([(0, 1, 1)], 3600, 0.99) is False, "NaN (not enough samples) never pages")
expect(
    should_page(_hour, 3600, 0.99, factor=4, long=7200, short=60) is True,
    "the windows given are used",
)
expect(
    should_page(_hour, 3600, 0.99, factor=4, long=3600, short=30) is False,
    "a short window holding one sample gives NaN: no page, however the long window burns",
)
expect(
    should_page(_hour, 3600, 0.99, factor=4, long=30, short=300) is False,
    "a long window holding one sample gives NaN: no page, however the short window burns",
)
expect(
    should_page(_hour, 3600, 0.99, factor=4, long=30, short=30) is False,
    "windows holding one sample give NaN: no page",
)
# The default windows: a sample exactly at now - 3600 or now - 300 is in the window.
_edge_long_out = [(0, 0, 0), (1, 100000, 0), (3300, 100100, 100), (3600, 100200, 200)]
_edge_long_in = [(-1, 0, 0), (0, 100000, 0), (3300, 100100, 100), (3600, 100200, 200)]
_edge_short_in = [(0, 0, 0), (3300, 1000, 500), (3301, 1100, 600), (3600, 1100, 600)]
_edge_short_out = [
    (0, 0, 0),
    (3299, 100000, 100000),
    (3300, 110000, 100000),
    (3600, 110100, 100100),
]
expect(
    should_page(_edge_long_out, 3600, 0.99) is False
    and should_page(_edge_long_in, 3600, 0.99) is True,
    "by default the long window is 3600 s, both ends included",
)
expect(
    should_page(_edge_short_in, 3600, 0.99) is True
    and should_page(_edge_short_out, 3600, 0.99) is True,
    "by default the short window is 300 s, both ends included",
)
# A factor equal to one window's own burn rate: that window does not count as above it.
_fading = [(t, 100 * t, 10 * t if t <= 3000 else 30000 + (t - 3000)) for t in range(0, 3601, 60)]
expect(
    should_page(_spike, 3600, 0.99, factor=burn_rate(_spike, 3600, 3600, 0.99)) is False,
    "a long-window burn rate equal to the factor is not above it: no page",
)
expect(
    should_page(_fading, 3600, 0.99, factor=burn_rate(_fading, 3600, 300, 0.99)) is False,
    "a short-window burn rate equal to the factor is not above it: no page",
)
_result = should_page(_hour, 3600, 0.99, factor=4)
expect(type(_result) is bool, "should_page returns a bool")
expect_raises(
    lambda: should_page(_hour, 3600, 1.0), ValueError, "should_page raises ValueError for a bad SLO"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Done
#
# Restart the kernel, run every cell, and press **Validate**. In the lesson, `exposition`'s
# metrics are what Prometheus scraped from the shop, `shape_record` is the processor in the
# JSON log pipeline, and the burn rate is what the alerting rule computed in PromQL.
