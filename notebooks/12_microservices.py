# %% [markdown]
# # 12 · From a monolith to microservices
#
# A monolith is one program with one database: a call between two of its parts is a function
# call, it fails only if the whole program fails, and a change ships in one deploy. Splitting it
# into services lets teams deploy, scale and fail apart, and in exchange every call between the
# parts becomes a network request that can be slow, can fail, and has to find its target. This
# lesson splits a small shop the careful way, one route at a time behind a real nginx gateway
# under a steady load, then deals with what the network adds: finding instances that are
# healthy, choosing a protocol between services, following one request across them, and
# surviving a service that is slow or gone. Every server here is real and listens on this
# machine's loopback interface.
#
# **Learning objectives.** By the end you can:
# - **decompose** a monolith by domain, following which data each part owns;
# - **strangle** it: route one path prefix to a new service through a gateway, and switch the
#   route while requests flow, with none dropped (measured);
# - **discover** instances through a registry that checks their health, and **balance** calls
#   over the healthy ones on the client side;
# - **compare** REST (JSON over HTTP/1.1) and gRPC (protobuf over HTTP/2) between services:
#   latency distribution, throughput and message size, measured;
# - **protect** a caller with timeouts, retries within a budget and a circuit breaker, and
#   **follow** one request through several services by its correlation id.
#
# **Prerequisites:** FastAPI and HTTP as in [20 · API versioning](20_api_versioning.ipynb);
# threads ([01 · The GIL](01_gil.ipynb)); `async def` at the level of
# [03 · Generators and async](03_generators_async.ipynb).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import time
from collections import Counter

import fastapi
import grpc
import httpx
import uvicorn

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.microservices import discovery, resilience, rpc, shop
from advpy.lessons.microservices.load import SteadyLoad, plot_switch, summarize
from advpy.services import nginx_gateway, running_services, serve_app

print(machine_summary())
print(f"FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}, grpcio {grpc.__version__}")

# %% [markdown]
# ## 1. One shop, three domains
#
# The shop is one FastAPI app with three parts: users, the catalogue and orders. To split it,
# ask which part **owns** which data and which business words it speaks, not which code looks
# alike: the orders part owns orders and only *reads* prices, which the catalogue owns. That
# makes orders a good first service to cut out (**domain-based decomposition**; domain-driven
# design calls each such part a *bounded context*). The monolith's routes, by domain:

# %%
for domain, routes in shop.DOMAINS.items():
    print(f"{domain:>9}: {', '.join(routes)}")

# %% [markdown]
# Inside the monolith, pricing an order is a function call. In the orders service it becomes an
# HTTP request to the catalogue, with everything that can go wrong with one. Start the monolith,
# with a log every service writes a line to per request (section 3 reads it):

# %%
trace = shop.TraceLog()
monolith = serve_app(shop.make_monolith(trace))
order = {"user_id": 1, "lines": [{"product_id": 2, "quantity": 3}]}
made = monolith.client.post("/orders", json=order)
print(made.status_code, made.json(), "served by", made.headers["x-served-by"])

# %% [markdown]
# **What to notice.** Nothing here changes for the shop's users when it is split: the same paths,
# the same answers. The split is worth doing when the parts must change, scale or fail
# independently (a team per domain, a catalogue read far more often than orders are written);
# for one small team, a well-structured monolith is usually the better system.
#
# ## 2. The strangler: a gateway in front, one route at a time
#
# Rewriting a monolith in one go means a long freeze and a risky day. The **strangler pattern**
# (named after the strangler fig, which grows around a tree until it replaces it) does it route
# by route: put a gateway in front of the monolith, build one new service, send that service's
# paths to it, and repeat until nothing is left of the old program. The clients only ever know
# the gateway's address.
#
# The notes name Kong and Traefik as API gateways. Both are reverse proxies with routing,
# authentication, rate limits and plugins on top: Kong is built on nginx (OpenResty) and is
# configured through its own admin API; Traefik reads its routes from Docker, Kubernetes or
# files and reloads them live. Neither is installed here; **nginx**, which does the routing part
# the same way, is. First, everything goes to the monolith:

# %%
orders_service = serve_app(shop.make_orders_service(monolith.url, trace))
gateway = nginx_gateway({"/": monolith})
print("gateway on", gateway.url)
for line in gateway.config_path.read_text().splitlines():  # the routing part of nginx.conf
    if any(word in line for word in ("upstream", "server 127", "location /", "proxy_pass")):
        print(line)

# %% [markdown]
# The gateway's `reload` writes the new routes, checks them with `nginx -t`, and sends the
# master process `SIGHUP`. The master starts new workers with the new routes and tells the old
# ones to stop accepting, finish what they are serving, and exit; the listening socket belongs
# to the master and never closes, so a request is never refused. That is the claim to test:
# two threads send `GET /orders/1` and `GET /users/1` through the gateway as fast as they can,
# each request on a new connection, while the route for `/orders` moves to the new service:

# %%
phase = pick(2.0, 0.6)
with SteadyLoad(gateway.url, ["/orders/1", "/users/1"]) as load:
    time.sleep(phase)
    began = load.elapsed()
    gateway.reload({"/orders": orders_service, "/": monolith})
    switch = (began, load.elapsed())
    time.sleep(phase)
    answers = load.stop()
counts = summarize(answers, switch)
reload_ms = 1000 * (switch[1] - switch[0])
print(f"{len(answers)} requests in {answers[-1].at:.1f} s; the reload took {reload_ms:.0f} ms")
for window in ("before", "during", "after"):
    print(f"{window:>7}: {dict(sorted(counts[window].items()))}")
print("dropped:", sum(counts["dropped"].values()), dict(counts["dropped"]))

# %%
fig, ax = plot_switch(answers, switch)

# %% [markdown]
# **What to notice.** Zero requests dropped, and no request answered by the wrong service: before
# the reload every `/orders/1` came from the monolith, after it every one from the new service,
# and `/users/1` never moved. While the reload ran (the grey band) both kinds of worker served
# side by side, old workers finishing with the old routes and new workers starting with the new
# ones, so for a few milliseconds both services answered `/orders/1`: during a switch two
# versions of one path are live at once, and they must agree on the data (lesson 13 moves the
# data itself; here both services start from the same orders).
#
# Rolling back is the same reload with the old table, just as safe. Each later step of the
# strangler is one more line in the table, until `/` itself points somewhere new.
#
# ### Try it
# The route is `/orders`, not `/orders/`. Reload with `{"/orders/": orders_service, "/":
# monolith}` and `POST /orders` through the gateway. What comes back, and why? What would
# `/orders` route for a path `/orders-archive/7`?
# (Answer: [tryit/12 § 1](../solutions/tryit/12_microservices.md#1-a-prefix-and-a-slash).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. One id across services
#
# A request that passes through the gateway, the orders service and the catalogue leaves a log
# line in each. Without a shared key those lines cannot be put together again. A **correlation
# id** is that key: the gateway gives each request one (nginx's `$request_id`, unless the caller
# sent an `X-Request-ID`), every service logs it, and every service **passes it on** in the
# requests it makes. The orders service does that explicitly when it asks the catalogue for a
# price:

# %%
made = gateway.client.post("/orders", json=order)
request_id = made.headers["x-request-id"]
print(made.status_code, "served by", made.headers["x-served-by"], "| X-Request-ID:", request_id)
for line in trace.lines(request_id):
    print(f"  {line.service:>15}  {line.request}")

# %% [markdown]
# **What to notice.** One id, two services, two log lines: the order was answered by the new
# service, which made its own request to the monolith's catalogue, and both logged the same
# id. A caller that sends its own id keeps it
# (useful when the browser or another system started the request):

# %%
made = gateway.client.post("/orders", json=order, headers={"X-Request-ID": "checkout-42"})
print([(line.service, line.request) for line in trace.lines("checkout-42")])

# %% [markdown]
# Distributed tracing (OpenTelemetry, lesson 19) extends the idea: the id becomes a *trace id*
# in the standard `traceparent` header, and each hop also records a *span* with its start and
# duration, so the tree of calls and where the time went can be drawn.
#
# ## 4. Finding services: a registry with health checks
#
# The gateway's table names fixed addresses. In a system where instances come and go (scaled
# up, moved, crashed), services find each other through a **registry**: each instance
# registers its address, the registry checks that it is healthy, and callers ask it for the
# healthy instances of a service by name.
#
# - **Consul** (HashiCorp) keeps a catalogue of services replicated by Raft (lesson 22) and runs
#   health checks itself (an HTTP `GET` every few seconds, a TCP connect, a script, or a TTL the
#   service must refresh); it answers over HTTP and over DNS (`orders.service.consul`).
# - **Eureka** (Netflix) is a Java registry where instances send heartbeats every 30 s and are
#   dropped after missing them for 90 s; clients cache the list and balance over it themselves.
#
# Neither can be installed here. The registry below is a few dozen lines of FastAPI with the
# essential part of both: registration over HTTP and an active HTTP health check every
# `interval` seconds, from which it answers with the passing instances only. Three instances of
# the catalogue register with it:

# %%
registry = serve_app(discovery.make_registry(interval=0.2, timeout=0.5))
catalogue_apps = {name: shop.make_catalogue_instance(name) for name in ("cat-a", "cat-b", "cat-c")}
instances = {name: serve_app(app) for name, app in catalogue_apps.items()}
for instance in instances.values():
    registry.client.post("/instances", json={"service": "catalogue", "url": instance.url})
waited = discovery.wait_until(registry.client, "catalogue", healthy=3)
print(f"3 instances passing after {waited * 1000:.0f} ms")

# %% [markdown]
# A **client-side balancer** asks the registry once, keeps the list, and sends each request to
# the next instance in turn (server-side balancing, as in nginx above, puts a proxy in between
# instead):

# %%
catalogue = discovery.DiscoveryClient(registry.client, "catalogue")
catalogue.refresh()


def spread(calls=30):
    """Which instance answered each of ``calls`` requests, counted."""
    served = Counter(catalogue.get("/products/1").headers["x-served-by"] for _ in range(calls))
    return dict(sorted(served.items()))


print("healthy:", len(catalogue.urls), "| 30 calls went to", spread())

# %% [markdown]
# Now `cat-b` reports itself unhealthy (its `/health` answers 503, as a service does while its
# database is unreachable), and `cat-c` is stopped outright. The client still holds the old
# list, so until it refreshes it keeps sending to both:

# %%
started = time.perf_counter()
catalogue_apps["cat-b"].state.healthy = False
instances["cat-c"].stop()
print("stale list:", spread(), "| moved on from an unreachable instance:", catalogue.unreachable)
discovery.wait_until(registry.client, "catalogue", healthy=1)
noticed = time.perf_counter() - started
print(f"the registry lists 1 passing instance {noticed * 1000:.0f} ms after the failures")
catalogue.refresh()
print("refreshed:", spread(), "| unreachable:", catalogue.unreachable)

# %% [markdown]
# **What to notice.** Health checks see two different failures: `cat-b` still answers requests
# (and did, from the stale list) but says it should not get any; `cat-c` refuses connections,
# which the client noticed on its own and moved on to the next instance. Between a failure and
# the next check plus the next refresh, the list is **stale**: that window (here about one
# check interval) is why a client must still handle an unreachable instance itself, with a
# timeout and a try on another instance. Checking more often narrows the window and adds load
# on every instance.
#
# ### Try it
# Make `cat-b` healthy again (`catalogue_apps["cat-b"].state.healthy = True`). How long until
# the registry lists it, and when does the client send it requests again?
# (Answer: [tryit/12 § 2](../solutions/tryit/12_microservices.md#2-back-in-the-pool).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. REST or gRPC between services
#
# Between services, **REST** usually means JSON over HTTP/1.1: readable, easy to call from any
# language and from `curl`, and schema-free unless an OpenAPI document is kept. **gRPC** means
# protobuf messages over HTTP/2: the service and its messages are declared in a `.proto` file,
# a compiler generates the client and server code, messages are binary and typed, and one
# HTTP/2 connection carries many calls at once (it also streams, in either direction). The
# catalogue's `.proto`:

# %%
print(rpc.PROTO)

# %% [markdown]
# `grpcio-tools` ships `protoc`; the lesson compiles the `.proto` when it runs, into a
# temporary folder that is deleted once the two generated modules are loaded (a project would
# usually generate them at build time instead). The second module holds the client stub and
# the server's base class:

# %%
generated = rpc.compile_proto()
print([name for name in dir(generated.services) if name.startswith(("Catalogue", "add_"))])
print("one product:", rpc.message_sizes(), "bytes of body")

# %% [markdown]
# Both versions of the catalogue run in threads of this process: the REST one under uvicorn
# (an `async def` handler, so no thread-pool hop), the gRPC one in grpcio's server. One client
# of each keeps its connection open, and the calls of the two protocols are interleaved so that
# a busy moment of the machine falls on both:

# %%
rest_catalogue = serve_app(rpc.make_rest_catalogue())
grpc_catalogue = rpc.GrpcCatalogue()
callers = rpc.Callers(rest_catalogue.url, grpc_catalogue.target)
latencies = rpc.measure_latency(callers, calls=pick(3000, 300))
for record in latencies:
    median, p99 = record.median * 1e6, record.p99 * 1e6
    print(f"{record.protocol:>24}: median {median:5.0f} µs, 99th percentile {p99:6.0f} µs")
print(f"REST median / gRPC median: {latencies[0].median / latencies[1].median:.1f}")

# %%
fig, ax = rpc.plot_latency(latencies)

# %% [markdown]
# Throughput: four threads call as fast as they can over the one client of each protocol
# (httpx's pool of HTTP/1.1 connections; gRPC's single HTTP/2 connection carrying all calls):

# %%
rates = rpc.measure_throughput(callers, calls=pick(4000, 400), threads=4)
for record in rates:
    print(f"{record.protocol:>24}: {record.per_second:6.0f} calls/s ({record.calls} calls)")
print(f"gRPC / REST calls per second: {rates[1].per_second / rates[0].per_second:.1f}")

# %%
fig, ax = rpc.plot_throughput(rates)

# %% [markdown]
# **What to notice.** On this machine gRPC answered faster and sustained more calls per second,
# with a body a third the size of the JSON one. Read the numbers for what they are: they
# compare two whole stacks (grpcio's C core against uvicorn, h11 and FastAPI's validation in
# Python), not only two wire formats, and the services do no work at all. A service that spends
# 5 ms in its database makes a few hundred microseconds of protocol irrelevant. The stronger
# reasons to choose gRPC are the contract (a `.proto` that both sides compile, typed messages),
# streaming, and deadlines that propagate; the reasons to choose REST are reach (browsers,
# `curl`, any HTTP tool, caches) and that every team already knows it. Many systems use REST at
# the edge and gRPC inside.
#
# ### Try it
# Ask both catalogues for product 99, which does not exist. What does each caller see, and how
# does a client tell "not found" from "the service is broken" in each protocol?
# (Answer: [tryit/12 § 3](../solutions/tryit/12_microservices.md#3-not-found-in-two-protocols).)

# %%
# Your experiment here.

# %%
callers.close()
grpc_catalogue.stop()
rest_catalogue.stop()

# %% [markdown]
# ## 6. When a service is slow or gone
#
# A caller that waits forever for a slow service becomes slow itself, and so does everything
# waiting on *it*: failures cascade up a chain of services. Three tools contain them, shown here
# against a pricing service whose delay and status the notebook sets while it runs.
#
# ### 6.1 Timeouts
# Every call across the network needs a deadline. The service now takes longer to answer than
# the caller is prepared to wait:

# %%
pricing_app = resilience.make_flaky_service()
pricing = serve_app(pricing_app)
http = httpx.Client(base_url=pricing.url)


def price(timeout=1.0):
    response = http.get("/price", timeout=timeout)
    response.raise_for_status()
    return response.json()


delay = pricing_app.state.delay = pick(1.0, 0.4)
started = time.perf_counter()
try:
    price(timeout=0.1)
except httpx.TimeoutException as error:
    waited = time.perf_counter() - started
    print(f"{type(error).__name__} after {waited * 1000:.0f} ms; the answer takes {delay:.1f} s")

# %% [markdown]
# ### 6.2 Retries, and a budget for them
#
# A retry rescues a call that failed by bad luck (a dropped connection, one overloaded
# instance). Against a service that fails because it is overloaded, every retry is more load:
# with three attempts per call, an outage triples the traffic on the service least able to take
# it (a *retry storm*). A **retry budget** caps retries as a share of calls: each call earns a
# tenth of a token, each retry spends a whole one. The service now answers `503` to everything;
# count what it receives:

# %%
pricing_app.state.delay, pricing_app.state.status = 0.0, 503
calls = pick(100, 30)
for label, budget in [("no budget", None), ("budget 10%", resilience.RetryBudget(0.1, reserve=3))]:
    pricing_app.state.received = 0
    outcomes = resilience.timed_calls(
        calls, lambda budget=budget: resilience.call_with_retries(price, 3, budget)
    )
    failed, received = sum(not o.ok for o in outcomes), pricing_app.state.received
    print(f"3 attempts, {label:<10}: {calls} calls, {failed} failed, the service received")
    print(f"    {received} requests, {received / calls:.2f} per call")

# %% [markdown]
# **What to notice.** Every call failed either way; without a budget the service took three
# times the requests for nothing. With the budget, the first few calls retried (the reserve of 3
# tokens), then about one call in ten. The pauses between attempts grow and are random ("full
# jitter") so that many callers do not retry in lockstep. Only retry what is safe to repeat: a
# `GET`, or a `POST` the server deduplicates by an idempotency key (lesson 17).
#
# ### 6.3 A circuit breaker
#
# When a service keeps failing, a **circuit breaker** stops calling it for a while: after
# `threshold` failures in a row it *opens*, and calls fail at once without touching the network;
# after `reset_timeout` it lets one trial call through (*half-open*); success *closes* it again.
# The service is slow again (the caller gives each call 200 ms), then recovers:

# %%
def price_within_200ms():
    return price(timeout=0.2)


pricing_app.state.delay, pricing_app.state.status = pick(1.0, 0.6), 200
pricing_app.state.received = 0
breaker = resilience.CircuitBreaker(threshold=3, reset_timeout=pick(1.0, 0.3))
slow = resilience.timed_calls(10, price_within_200ms, breaker)
print(f"10 calls while slow, the service received {pricing_app.state.received} of them")
pricing_app.state.delay = 0.0  # the service recovers
time.sleep(breaker.reset_timeout)
recovered = resilience.timed_calls(5, price_within_200ms, breaker)
for number, outcome in enumerate(slow + recovered, 1):
    what = outcome.error or "answered"
    print(f"call {number:>2}: {outcome.seconds * 1000:8.3f} ms  {what:<13} breaker {outcome.state}")
print("changes:", [(old, new) for _, old, new in breaker.changes])

# %%
fig, ax = resilience.plot_calls(slow + recovered)

# %% [markdown]
# **What to notice.** The first three calls each cost the caller the whole timeout; the next
# seven cost microseconds and never reached the service, which received only the first three:
# that gives it room to recover instead of queueing requests nobody waits for. After the reset
# timeout the single trial call succeeded and the breaker closed. A fast failure is something
# a caller can act on: answer from a cache, show the page without prices, or return an error at
# once.
#
# A dead service fails differently: nothing listens, so the connection is refused at once,
# without waiting for any timeout. The breaker opens all the same:

# %%
pricing.stop()
dead = resilience.timed_calls(5, price, resilience.CircuitBreaker(threshold=3, reset_timeout=60))
print([(f"{o.seconds * 1000:.2f} ms", o.error, o.state) for o in dead])

# %% [markdown]
# ### Try it
# A breaker shared by all calls to a service opens when one of its instances is bad. With the
# three catalogue instances of section 4, what would you key the breaker by, and what should
# the balancer do with an instance whose breaker is open?
# (Answer: [tryit/12 § 4](../solutions/tryit/12_microservices.md#4-one-breaker-per-what).)

# %%
# Your experiment here.

# %%
http.close()
catalogue.close()
for server in reversed(running_services()):
    server.stop()
print("still running:", running_services())

# %% [markdown]
# ## Pitfalls and under the hood
#
# **A distributed monolith.** Services that must be deployed together, share one database, or
# call each other synchronously on every request have all the costs of microservices and none
# of the independence. Split by data ownership; a service reads another's data only through
# its API.
#
# **Prefixes and slashes.** nginx matches `location` prefixes character by character: `/orders`
# also matches `/orders-archive`, and a `location /orders/` answers a bare `/orders` with a
# `301` redirect to `/orders/` (which turns a `POST` into trouble). Match path segments, and
# test the routing table with the paths clients really send (the graded set's Part A).
#
# **Keep-alive across a reload.** The load above opened a new connection per request. A client
# that keeps connections open can see one closed by an old worker between two of its requests;
# such a request never reached nginx, and HTTP clients retry it only if it is idempotent.
# nginx's graceful reload is safe; the client still needs a retry for that case.
#
# **Timeouts that add up.** A chain gateway -> orders -> catalogue, each with a 2 s timeout and
# 3 attempts, can keep the user waiting for far longer than any one timeout. Give the whole
# request a deadline and pass what is left of it on (gRPC does this with its deadlines), and
# retry at one layer only.
#
# **Health checks that lie.** A `/health` that returns 200 while the database is down keeps a
# broken instance in rotation; one that checks every dependency takes all instances out when a
# shared dependency blips. Report what makes *this* instance unable to serve.
#
# **gRPC and generated code.** The generated modules must match the installed `grpcio` and
# `protobuf` (they check the versions when imported); field numbers in a `.proto` are the
# contract, and reusing or renumbering one breaks old clients silently.

# %% [markdown]
# ## Summary
#
# - Split a monolith by domain and data ownership; a call inside becomes a network request.
# - The strangler pattern moves one route at a time behind a gateway; nginx's reload switched
#   `/orders` to the new service under a steady load with zero requests dropped.
# - A correlation id (`X-Request-ID`) set by the gateway and passed on by every service ties one
#   request's log lines together.
# - Discovery: instances register, the registry checks their health, clients balance over the
#   passing ones and still handle an instance that failed since the last refresh.
# - gRPC (protobuf, HTTP/2) was faster and smaller than REST (JSON, HTTP/1.1) here; choose for
#   contracts, streaming and reach, which matter more than microseconds.
# - Timeouts bound the wait, a retry budget keeps retries from multiplying an outage, and a
#   circuit breaker fails fast while a service recovers.
#
# **Graded exercises:** [exercises/ps12_microservices.ipynb](exercises/ps12_microservices.ipynb):
# `strangler_route` picks the service for a path from a routing table by whole path segments;
# `CircuitBreaker` follows an exact state machine on a clock you inject; `Balancer` rotates over
# instances and skips the unhealthy ones.
