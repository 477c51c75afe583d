# %% [markdown]
# # 20 · API versioning: changing an API without breaking its clients
#
# A web API is a promise to programs you do not control: a mobile app installed two years ago,
# a partner's nightly job, a script nobody remembers writing. They keep sending the requests
# and reading the responses they were written for, long after the server has changed. API
# versioning is how a server changes anyway: it serves old and new versions side by side, keeps
# the old ones' promises, says in the response when an old version will end, and catches a
# broken promise before a client does. Everything here runs a real FastAPI app under uvicorn on
# this machine's loopback interface and talks to it over real HTTP.
#
# **Learning objectives.** By the end you can:
# - **serve** two versions of a resource from one FastAPI app, named by the URL
#   (`/v1/users`), by a media type (`Accept: application/vnd.shop.v2+json`) or by a header
#   (`API-Version: 2`), and **compare** what each costs and hides;
# - **tell** backward-compatible changes (an added optional field, a new operation) from
#   breaking ones (a removed or renamed field, a new required input), and **explain** why a
#   tolerant reader survives additions that break a strict one;
# - **render** one stored record for two versions from one handler, a renamed field included;
# - **announce** a version's end with the `Deprecation` (RFC 9745) and `Sunset` (RFC 8594)
#   headers and answer `410 Gone` after it;
# - **catch** breaking changes before release: run an old client against the new server as a
#   contract test, and compare the OpenAPI documents of two releases.
#
# **Prerequisites:** HTTP requests and status codes; FastAPI routes and pydantic models at the
# level of the FastAPI tutorial; `with` blocks
# ([10 · Context managers](10_context_managers.ipynb)).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import json
import time
import warnings
from datetime import UTC, datetime, timedelta

import fastapi
import httpx
import uvicorn
from pydantic import ValidationError

from advpy.lessons.api_versioning import shop
from advpy.lessons.api_versioning.clients import ServerDeprecationWarning, V1Client, v1_contract
from advpy.lessons.api_versioning.measure import measure_styles, plot_latencies
from advpy.lessons.api_versioning.openapi import describe_api, obvious_breaks
from advpy.lessons.context import machine_summary, pick
from advpy.services import serve_app

print(machine_summary())
print(f"FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}, httpx {httpx.__version__}")

# %% [markdown]
# ## 1. Two versions in the URL
#
# The shop stores users with a given name and a family name. Its first release, 1.0, served
# them as v1, with a single `name`. Release 2.0 adds v2, which splits the name and lets `email`
# be `null`, and keeps serving v1 **from the same stored records**: one handler loads the user,
# and `shop.render` turns it into the version asked for. `serve_app` runs the app with uvicorn
# in a thread of this notebook, on 127.0.0.1 and a port the system picks:

# %%
started = time.perf_counter()
shop_app = shop.make_shop("2.0")
api = serve_app(shop_app)
print(f"release 2.0 listening on {api.url} after {(time.perf_counter() - started) * 1000:.0f} ms")

# %%
for path in ("/v1/users/1", "/v2/users/1"):
    response = api.client.get(path)
    print(path, response.status_code, response.json())

# %% [markdown]
# The handler behind both routes is three lines; the difference between the versions is all in
# `render`:

# %%
stored = shop.SEED_USERS[1]  # Grace Hopper, who has no email on file
print("v1:", shop.render(stored, 1, "2.0"))
print("v2:", shop.render(stored, 2, "2.0"))

# %% [markdown]
# **What to notice.** v1 still says `"name": "Ada Lovelace"` although nothing named `name` is
# stored any more, and Grace's missing email is `""` in v1 (v1 promised a string) but `null` in
# v2. A version is a **representation** of the data, not a copy of it: one store, one handler,
# one renderer per version. The URL prefix is the most visible way to name a version: it shows
# in logs, in a browser, in a proxy's routing rules, and each version has its own operations in
# the OpenAPI document (section 6).

# %% [markdown]
# ## 2. The same URL, the version in a header
#
# The alternative keeps one URL per resource, `/users/1`, and lets the request name the version
# in a header: a **vendor media type** in `Accept` (HTTP's own content negotiation: "I want
# this representation"), or a custom header such as `API-Version`. A request that names none
# gets v1, the version that clients which never said one were written for:

# %%
asks = {
    "no header": {},
    "Accept: application/vnd.shop.v2+json": {"Accept": "application/vnd.shop.v2+json"},
    "API-Version: 2": {"API-Version": "2"},
}
for label, headers in asks.items():
    response = api.client.get("/users/1", headers=headers)
    print(f"{label:>38}: {response.headers['content-type']:<30} {sorted(response.json())}")

# %% [markdown]
# The response names its version in `Content-Type` and says `Vary: Accept, API-Version`: a
# cache between client and server must keep one copy per value of those headers, or it would
# hand a v2 body to a v1 client. A version the server does not have is refused:

# %%
response = api.client.get("/users/1", headers={"Accept": "application/vnd.shop.v3+json"})
print("Vary:", api.client.get("/users/1").headers["vary"])
print("v3 asked for:", response.status_code, response.json())
response = api.client.get("/users/1", headers={"API-Version": "two"})
print("API-Version: two:", response.status_code, response.json())

# %% [markdown]
# **What to notice.** `406 Not Acceptable` is the status HTTP defines for "I cannot produce any
# representation you accept"; a malformed header is the client's mistake, `400`. This app's
# reading of `Accept` is deliberately simple (it takes the first vendor type it finds); a real
# `Accept` can list several types with weights (`q=0.5`), and a request can name a version in
# two places that disagree. The graded set's Part A reads all of it exactly.
#
# ### Try it
# Ask for `/v2/users/1` with the header `API-Version: 1`. Which version do you get, and why?
# What should a server do with a request like that?
# (Answer: [tryit/20 § 1](../solutions/tryit/20_api_versioning.md#1-two-places-one-request).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. Compatible and breaking changes
#
# A change is **backward compatible** when every client of the old version still works, and
# **breaking** otherwise. Which changes are which depends on the direction data flows: a client
# **reads** responses (the server may add, never take away) and **sends** requests (the server
# may accept more, never demand more).
#
# ### 3.1 An added field, and two kinds of reader
#
# Release 2.0 added `created_at` to v1's responses. The old v1 client can read responses in two
# ways: a **tolerant reader** takes the fields it knows and ignores the rest; a **strict
# reader** validates the body against the model it was written with, refusing unknown fields
# (pydantic's `extra="forbid"`):

# %%
for strict in (False, True):
    client = V1Client(api.client, strict=strict)
    try:
        with warnings.catch_warnings(record=True):
            print(f"strict={strict}: read", client.get_user(1))
    except ValidationError as error:
        problem = error.errors()[0]
        print(f"strict={strict}: ValidationError: {problem['loc'][0]!r}: {problem['msg']}")

# %% [markdown]
# **What to notice.** The same additive change is harmless to one client and fatal to the
# other. Adding an optional response field is compatible only if clients are tolerant readers,
# which is why API guidelines (Google's AIP-180, Zalando's, Microsoft's) tell clients to ignore
# unknown fields and servers to assume some clients will not. "Be conservative in what you
# send, be liberal in what you accept" (Postel) is the same advice.
#
# ### 3.2 A renamed field, served to both versions
#
# Renaming `name` to `given_name` plus `family_name` would break every v1 client that reads
# `name`. So v2 is a new version, and v1 keeps its `name`, computed from the same record. A
# user created through v2 is visible through v1, and the other way round:

# %%
made = api.client.post("/v2/users", json={"given_name": "Edsger", "family_name": "Dijkstra"})
print("created via v2:", made.status_code, made.json())
print("read via v1:   ", api.client.get(f"/v1/users/{made.json()['id']}").json())
made = api.client.post("/v1/users", json={"name": "Barbara Liskov", "email": "bl@example.com"})
print("created via v1:", made.status_code, made.json())
print("read via v2:   ", api.client.get(f"/v2/users/{made.json()['id']}").json())

# %% [markdown]
# ### 3.3 The request side: a new required field
#
# v2's `POST` requires `given_name`. An old client that sends v1's body to it is refused with
# `422`, which is exactly why the requirement lives in v2 and not in v1:

# %%
old_body = {"name": "Tim Berners-Lee", "email": "tbl@example.com"}
response = api.client.post("/v2/users", json=old_body)
print("v1's body to v2:", response.status_code, response.json()["detail"][0]["msg"])
print("v1's body to v1:", api.client.post("/v1/users", json=old_body).status_code)

# %% [markdown]
# **What to notice.** The rules are symmetrical. In a response, adding is safe and removing or
# renaming breaks; in a request, accepting more is safe (a new *optional* field, a wider type)
# and demanding more breaks (a new *required* field, a narrower type, fewer allowed values).
# The graded set's Part B turns this into exact rules, enums and types included.
#
# ### Try it
# Suppose v1's `email` became optional in a response (sometimes missing). Breaking or not? And
# if `email` became optional in v1's `POST` body?
# (Answer: [tryit/20 § 2](../solutions/tryit/20_api_versioning.md#2-optional-in-which-direction).)

# %%
# Your experiment here.

# %% [markdown]
# ## 4. Deprecation and Sunset
#
# An old version cannot live forever, and its clients must learn that it is ending from the
# responses they already get. Two standard headers say so on every v1 response in release 2.0:
#
# - `Deprecation` (RFC 9745, 2025): the date from which the version is deprecated, as a
#   structured-field date, `@` and the Unix time in seconds. It may be in the future.
# - `Sunset` (RFC 8594): when the version stops answering, as an HTTP date in GMT.
#
# A `Link` with the relation `successor-version` names the same resource in the new version.

# %%
response = api.client.get("/v1/users/1")
for name in ("Deprecation", "Sunset", "Link"):
    print(f"{name}: {response.headers[name]}")
moment = datetime.fromtimestamp(int(response.headers["Deprecation"][1:]), UTC)
print("the Deprecation date, read back:", moment.isoformat())

# %% [markdown]
# The old client turns the header into a warning, once, so that its developers hear about it in
# their logs and tests long before the sunset:

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    client = V1Client(api.client)
    client.get_user(1)
    client.get_user(2)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")

# %% [markdown]
# At the sunset, v1 stops answering with data and answers `410 Gone`: the resource existed
# and is gone on purpose (a `404` would suggest a typo). The app's clock is a function in
# `app.state.now`, so the notebook can move it past the sunset instead of waiting a year:

# %%
shop_app.state.now = lambda: shop.V1_SUNSET + timedelta(seconds=1)
after = api.client.get("/v1/users/1")
print("v1 after the sunset:", after.status_code, after.json(), "| Sunset:", after.headers["sunset"])
print("v2 after the sunset:", api.client.get("/v2/users/1").status_code)
shop_app.state.now = lambda: datetime.now(UTC)

# %% [markdown]
# **What to notice.** Deprecating changes nothing in behaviour: it is information. The sunset
# is the change, and clients that read the headers had the whole time between the two dates to
# move. RFC 9745 also says a `Sunset` should not be earlier than the `Deprecation` date, and a
# `Link` with `rel="deprecation"` may point to a page that explains the migration.
#
# ## 5. The old client as a contract test
#
# What v1's clients rely on can be written down as a test and run against every new release
# before it ships: a **consumer-driven contract test** (tools such as Pact do this across
# teams). `v1_contract` is the old client's: read a user, create one and read it back, a 404
# for a missing user, and email always a string. Three releases, each on its own server:


# %%
def contract_report(release):
    with serve_app(shop.make_shop(release)) as server:
        return v1_contract(server.client)


for release in ("1.0", "2.0", "2.0-careless"):
    checks = contract_report(release)
    kept = sum(check.kept for check in checks)
    print(f"release {release:<13}: {kept} of {len(checks)} promises kept")
    for check in checks:
        if not check.kept:
            print(f"    broken: {check.promise} -> {check.detail}")

# %% [markdown]
# **What to notice.** 2.0 keeps all of v1's promises: it added v2, a field, headers and a new
# route, and changed none of what v1 clients read. The careless release renamed v1's `name` to
# `full_name` "because v2 calls it that", and the two promises that read a name broke. No test
# of the server's own catches this: the server is self-consistent. Only a test written from the
# client's side does.

# %% [markdown]
# ## 6. Breaking changes, found in the OpenAPI documents
#
# FastAPI generates an OpenAPI document from the routes and models (`app.openapi()`, served at
# `/openapi.json`). Two releases' documents can be compared before anything runs. First,
# `describe_api` flattens a document into what matters for compatibility: per operation, the
# request and response fields, each with its type, whether it is required, and its allowed
# values:

# %%
documents = {"2.0": api.client.get("/openapi.json").json()}  # what the running server serves
for release in ("1.0", "2.0-careless"):
    documents[release] = shop.make_shop(release).openapi()  # the same, without a server
described = {release: describe_api(document) for release, document in documents.items()}
print(json.dumps(described["1.0"]["GET /v1/users/{user_id}"]["response"]["name"]))
print("operations in 1.0:", sorted(described["1.0"]))

# %%
print("new in 2.0:", sorted(described["2.0"].keys() - described["1.0"].keys()))
for release in ("2.0", "2.0-careless"):
    breaks = obvious_breaks(described["1.0"], described[release])
    print(f"1.0 -> {release}: {len(breaks)} breaking change(s)")
    for line in breaks:
        print("   ", line)

# %% [markdown]
# `obvious_breaks` checks only the three most common breaking changes: a removed operation, a
# removed response field, a new required request field. It found the careless rename (as a
# removed field: in a schema, a rename *is* a removal plus an addition) without starting a
# server. In CI, a check like this runs on every pull request against the last release's
# document (tools: `oasdiff`, `openapi-diff`); the graded set's Part B writes the complete
# rules.
#
# Header versioning has a price here. The OpenAPI document describes one operation per method
# and path, so `/users/{user_id}`, which answers v1 or v2 depending on a header, has no
# response schema at all, and no diff can check it:

# %%
negotiated = described["2.0"]["GET /users/{user_id}"]
print("GET /users/{user_id}: request fields", sorted(negotiated["request"]))
print("GET /users/{user_id}: response fields", negotiated["response"])

# %% [markdown]
# ### Try it
# Add an `enum` to the picture: if v1's responses had a field `status` with the values
# `"active"` and `"blocked"`, is adding `"deleted"` breaking? What if `status` were a field of
# a request instead?
# (Answer: [tryit/20 § 3](../solutions/tryit/20_api_versioning.md#3-a-new-enum-value).)

# %%
# Your experiment here.

# %% [markdown]
# ## 7. What each way of naming a version costs
#
# Is one of the three styles slower? Each request below goes through uvicorn and FastAPI on
# loopback; the three styles are interleaved in rounds, so that a busy moment of the machine
# falls on all of them alike:

# %%
latencies = measure_styles(api.client, requests=pick(600, 60))
for record in latencies:
    print(
        f"{record.style:>26}: median {record.median * 1e6:6.0f} µs, "
        f"90th percentile {record.p90 * 1e6:6.0f} µs ({record.requests} requests)"
    )
spread = max(r.median for r in latencies) / min(r.median for r in latencies)
print(f"slowest median / fastest median: {spread:.2f}")

# %%
fig, ax = plot_latencies(latencies)

# %% [markdown]
# **What to notice.** On a quiet machine the three curves lie on top of each other: the medians
# came out within 15% of each other when this lesson was written (a ratio of 1.13), and which
# style is ahead changes from run to run. On a busy machine the spread grows with the load, not
# with the style: run the cell again and the order changes. Reading one header more or one
# path segment less is nothing next to parsing HTTP and JSON. Choose a style for
# what it does to clients, caches, routing and documentation, not for speed. The usual choice
# for public APIs is the URL (visible, cacheable, one OpenAPI operation per version); header or
# media-type versioning keeps URLs stable and suits APIs whose clients are programs that set
# headers anyway.

# %%
api.stop()
print("server stopped:", not api.running)

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Defaulting to the latest version.** A request without a version must get the version that
# clients which never name one were written for (here v1). A server that answers "the latest"
# breaks all of them on the day v3 ships.
#
# **Forgetting `Vary`.** With header or media-type versioning, a cache that does not know the
# response depends on `Accept` or `API-Version` stores one body per URL and serves it to every
# client, whatever version it asked for.
#
# **Changes no schema shows.** A price that changes from euros to cents, a date that changes
# time zone, a list that changes order: the OpenAPI documents are identical and every schema
# diff says "compatible". Only tests that check values (section 5) catch a change of meaning.
#
# **Versions of what?** `/v2/...` versions the whole API at once; a new version for one
# changed resource means new URLs for all the others. Stripe avoids this with dated versions
# (`Stripe-Version: 2024-06-20`) pinned per account; GitHub's REST API uses the header
# `X-GitHub-Api-Version`, also with dates. Whatever the scheme, never reuse a version number
# for something different.
#
# **Older `Deprecation` headers.** Drafts of the `Deprecation` header used an HTTP date or the
# value `true`, and some servers still send them; RFC 9745 (March 2025) settled on the
# structured-field date `@<seconds>`. A client that parses the header should accept what its
# servers actually send.
#
# **Response models filter.** FastAPI's `response_model` drops fields the model does not
# declare, so a field added to the stored record does not leak into an old version by
# accident. Returning a `JSONResponse` (as the negotiated route does) skips that filter: its
# renderer alone decides what goes out.

# %% [markdown]
# ## Summary
#
# - One app can serve several versions: by URL prefix (`/v1/users`), by vendor media type in
#   `Accept`, or by a header such as `API-Version`; the cost per request is the same, and what
#   differs is visibility, caching (`Vary`) and what the OpenAPI document can describe.
# - A version is a representation of shared data: one handler, one renderer per version, so a
#   renamed field is served under its old name to old clients.
# - Responses may gain fields (for tolerant readers) but not lose or rename them; requests may
#   accept more but not demand more. A strict reader breaks on any addition.
# - `Deprecation` (`@` Unix seconds, RFC 9745), `Sunset` (HTTP date, RFC 8594) and a
#   `successor-version` link announce the end; after the sunset, `410 Gone`.
# - An old client's contract test run against a new release, and a diff of two releases'
#   OpenAPI documents, catch breaking changes before clients do.
#
# **Graded exercises:** [exercises/ps20_api_versioning.ipynb](exercises/ps20_api_versioning.ipynb):
# `negotiate_version` reads the version from URL, `Accept` (with weights) and `API-Version`,
# with the right error status; `classify_changes` marks each difference between two API
# descriptions breaking or not; `render_user` renders one record for v1 and v2 with the
# deprecation headers and `410 Gone` after the sunset.
