# %% [markdown]
# # 15 · Rate limiting: buckets, windows, shared counters, 429
#
# Every public API limits how often a client may call it: to keep one noisy client from
# starving the others, to cap what a leaked key or a buggy retry loop can cost, and to shed load
# before the database falls over. A rate limiter answers one question per request, "let it
# through or not?", and the answers differ in what they allow in a burst, how much they remember
# and whether several app processes agree. This lesson replays one bursty trace through the five
# classic algorithms, keeps counters in a real Redis shared by several processes (where the
# obvious code quietly fails), and serves a real FastAPI app under uvicorn that answers
# `429 Too Many Requests` with the headers a well-behaved client reads.
#
# **Learning objectives.** By the end you can:
# - **compare** the token bucket, leaky bucket, fixed window, sliding log and sliding window
#   counter on the same traffic: what each lets through in a burst and what it stores;
# - **explain** why a GET-then-SET counter in Redis loses its limit under concurrency, and
#   **make** it atomic with `MULTI`/`EXEC` or a Lua script;
# - **measure** how many requests each shared limiter lets through when several processes hit
#   it at once;
# - **answer** a rejected request with `429`, `Retry-After` and `RateLimit-*` headers, from a
#   FastAPI middleware and a decorator, per user or for everyone;
# - **choose** where the counters live when an app runs as several processes.
#
# **Prerequisites:** HTTP status codes and headers; FastAPI routes
# ([20 · API versioning](20_api_versioning.ipynb) serves apps the same way); races and atomic
# updates ([09 · Thread safety](09_thread_safety.ipynb)).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import os
import time

import fastapi
import redis
import uvicorn

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.rate_limiting.algorithms import SlidingLog, SlidingWindowCounter, make_limiters
from advpy.lessons.rate_limiting.app import make_app
from advpy.lessons.rate_limiting.load import measure_accuracy, plot_accuracy
from advpy.lessons.rate_limiting.shared import SHARED_LIMITERS, lua_sliding_window
from advpy.lessons.rate_limiting.traffic import bursty_traffic, plot_replays, replay
from advpy.lessons.timing import load_note
from advpy.services import redis_server, serve_app

print(machine_summary())
print(f"redis-py {redis.__version__}, FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}")

# %% [markdown]
# ## 1. Five limiters, one bursty trace
#
# Each limiter here allows **10 requests per second** on average, and decides each request
# from the time it arrives (`allow(now)`), so a recorded trace can be replayed exactly:
#
# - **Token bucket**: a bucket holds up to 10 tokens and gains 10 per second; a request takes
#   one or is rejected. A full bucket lets a burst of 10 through at once. The graded set
#   [ps36 · token bucket](exercises/ps36_token_bucket.ipynb) builds one that is thread-safe.
# - **Leaky bucket** (as a queue): requests wait in a queue of at most 10 and leave it at 10 per
#   second; a request that finds the queue full is rejected. What reaches the app is smooth.
# - **Fixed window**: count requests per calendar second (`[5.0, 6.0)`, `[6.0, 7.0)`...);
#   reject once the count reaches 10; the count starts again at each boundary.
# - **Sliding log**: keep the time of every request allowed in the last second; allow a new one
#   while fewer than 10 are in the log. Exact, and it stores up to 10 timestamps per client.
# - **Sliding window counter**: two counters, this second's and the previous one's; weigh the
#   previous one by how much of it the last second still covers. Two numbers per client.
#
# The trace: a background of about 4 requests per second, 24 requests in the 0.2 s around
# t = 5.0 (a window boundary), 15 at once at t = 9.3, and 20 per second from t = 13 to 16.

# %%
arrivals = bursty_traffic(seed=15)
limiters = make_limiters(limit=10, window=1.0)
replays = [replay(name, limiter, arrivals) for name, limiter in limiters.items()]
print(f"{len(arrivals)} requests in {arrivals[-1]:.1f} s")
for record in replays:
    print(
        f"{record.name:>22}: {sum(record.allowed):3} allowed, {record.rejected:3} rejected, "
        f"at most {record.busiest(1.0):2} reached the app in any 1 s"
    )

# %%
fig, axes = plot_replays(replays, limit=10, window=1.0)

# %% [markdown]
# **What to notice.**
# - The **fixed window** let 20 requests through in the 0.2 s around t = 5.0: 10 just before
#   the boundary and 10 just after, twice the limit within one second. Every fixed window has
#   this edge; a client that knows where the boundaries are can use it on purpose.
# - The **token bucket** lets the burst at t = 9.3 through at once (its 10 stored tokens) plus
#   what refilled: up to 19 in one second here. That is its point: it allows bursts of a chosen
#   size and holds the average rate.
# - The **leaky bucket** hands the app at most one request every 0.1 s (its busiest second
#   holds 11 because it catches both ends of a run of releases 0.1 s apart). It accepted the
#   requests at 9.3 and released them over the next second: clients wait instead of being
#   rejected.
# - The **sliding log** is exact: never more than 10 in any second. The **sliding window
#   counter** estimates it with two numbers and here overshot to 12, because it assumes the
#   previous second's requests were spread evenly over it, and these came in a burst.
#
# What each keeps in memory, per client, after the trace:

# %%
log, counter = limiters["sliding log"], limiters["sliding window counter"]
assert isinstance(log, SlidingLog) and isinstance(counter, SlidingWindowCounter)
busy = SlidingLog(limit=1000, window=1.0)
for i in range(1500):
    busy.allow(i / 1500)
print(f"sliding log now holds {len(log._log)} timestamps; at a limit of 1000, {len(busy._log)}")
counts = (counter._previous, counter._current)
print("sliding window counter holds 2 counts, whatever the limit:", *counts)

# %% [markdown]
# **A note on the source sketch.** The usual first token bucket reads `time.time()`, adds
# `elapsed * rate` tokens and takes one. Two things go wrong in production: `time.time()` is
# the wall clock, which NTP can move backwards (negative elapsed time, so tokens disappear)
# or forwards (a free refill), so use `time.monotonic()` in one process; and two threads can
# both see `tokens >= 1` and both take the last token, so the update needs a lock (ps36 tests
# exactly that). Across processes neither fix helps: the bucket must live in one shared store,
# which is the next section.
#
# ### Try it
# Move the burst at 4.9-5.1 s to 5.3-5.5 s (edit `bursty_traffic` arguments or build your own
# list of times) and replay. Which limiters change their "at most in any 1 s", and why?
# (Answer: [tryit/15 § 1](../solutions/tryit/15_rate_limiting.md#1-a-burst-away-from-the-boundary).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. Counters in Redis, shared by every process
#
# An app served by four uvicorn workers on two machines has four independent memories. A limit
# counted in each process's memory is four limits. The counters must live in one place that
# every process reaches: a Redis server. This one is real, on loopback:

# %%
cache = redis_server()
client = cache.connect(decode_responses=True)
print("Redis", client.info("server")["redis_version"], "at", cache.url)

# %% [markdown]
# ### 2.1 The naive counter: GET, decide, SET
#
# The obvious code reads the count, compares it with the limit and writes the count plus one.
# Alone it is correct. With two app processes, each request takes two round trips, and between
# them the other process can read the same old count. Played step by step, with two
# connections standing for two processes, the limit 5 and 4 requests already counted:

# %%
first, second = cache.connect(), cache.connect()
client.set("naive", 4)
seen_first = int(first.get("naive"))  # process 1 reads 4: one left
seen_second = int(second.get("naive"))  # process 2 reads 4 too, before 1 writes
first.set("naive", seen_first + 1)  # both allow their request and write 5
second.set("naive", seen_second + 1)
print(f"both saw {seen_first} < 5 and allowed a request: 6 allowed,", end=" ")
print("counter says", client.get("naive"))

# %% [markdown]
# ### 2.2 Atomic: `MULTI`/`EXEC`, or a Lua script
#
# Two ways make the read-decide-write one step. `INCR` increments and returns the new value in
# one command, so a `MULTI`/`EXEC` transaction of `INCR` and `PEXPIRE` (the counter must
# expire, or every window leaves a key behind forever) tells each request its own place: the
# 6th `INCR` returns 6 and is rejected, however the processes interleave. A **Lua script** goes
# further: Redis runs the whole script before any other command, so it can read, compute and
# write anything. The sliding window counter needs that, since it reads two counters and
# decides before it writes:

# %%
print(SHARED_LIMITERS["MULTI: INCR + PEXPIRE"].__doc__)
TIMES_MS = (0, 10, 20, 30, 1500, 1600, 1900)
decisions = [lua_sliding_window(client, "ada", 3, 1000, now) for now in TIMES_MS]
for now, decision in zip(TIMES_MS, decisions, strict=True):
    print(f"t = {now:4} ms: allowed={decision.allowed!s:5} remaining={decision.remaining}")
print("keys:", sorted(client.keys("ada:*")), "expire in (ms):", client.pttl("ada:1"))

# %% [markdown]
# **What to notice.** The callers pass the time (`now_ms`), so every process must agree on the
# clock; a real deployment reads it from the servers' synchronised clocks or from Redis
# (`TIME`). The limit is 3 per second. At 1500 ms half of the previous window's 3 requests
# still count (1.5), so one more fits (1.5 + 1 = 2.5); at 1600 ms they count 1.2, and
# 1.2 + 1 + 1 = 3.2 is over the limit; at 1900 ms they count 0.3 and a request fits again. The
# old requests fade out gradually instead of all at once. The counters expire after
# two windows: the previous window's counter is needed for one window more.

# %% [markdown]
# ## 3. Measured: each shared limiter under load from several processes
#
# Now the race for real. Worker processes (spawned, each with its own Redis connection) wait at
# a barrier, then each sends its requests for the same key in the same window as fast as it
# can. A limiter that holds its limit lets exactly `limit` through:

# %%
LOAD = {"limit": pick(100, 50), "processes": pick(4, 2), "requests_each": pick(100, 60)}
print(load_note())
started = time.perf_counter()
accuracy = measure_accuracy(cache.url, **LOAD)
print(f"{LOAD['processes']} processes x {LOAD['requests_each']} requests, limit {LOAD['limit']}, "
      f"measured in {time.perf_counter() - started:.1f} s")
for record in accuracy:
    print(f"{record.limiter:>27}: {record.allowed:3} let through ({record.excess:+d} over the "
          f"limit), by process {record.per_process}")

# %%
fig, ax = plot_accuracy(accuracy)

# %% [markdown]
# **What to notice.** The naive counter let through far more than the limit: every pair of
# processes that read the same count both wrote "count + 1", and one write was lost. How much
# more depends on how the processes interleave, so the number changes from run to run; it is
# never safely at the limit. The three atomic limiters let through exactly the limit on every
# run, whatever the interleaving, and their shares by process are uneven but add up.

# %% [markdown]
# ## 4. The answer a client can act on: 429 and its headers
#
# A rejected request gets **`429 Too Many Requests`** (RFC 6585), and the response says when to
# come back: **`Retry-After`** (RFC 9110) in whole seconds, rounded **up** (a client told `0`
# when 300 ms are left comes back too early and is rejected again). The `RateLimit-Limit`,
# `RateLimit-Remaining` and `RateLimit-Reset` headers, from the IETF's draft on rate limit
# headers, go on *every* answer so a client can slow down before it is rejected. GitHub sends
# similar `X-RateLimit-*` headers (its `X-RateLimit-Reset` is a Unix time, not a number of
# seconds). (Recent drafts fold them into two structured fields,
# `RateLimit-Policy` and `RateLimit`; the three separate names are what most servers send
# today.)
#
# The app below has a **middleware** that limits every request, 3 per hour per user (the
# `X-User` header, else the client's address), and a **decorator** that gives `/search` a
# stricter limit of its own, 2 per hour. Both keep their counters in the Redis above:

# %%
client.flushdb()
api = serve_app(make_app(limit=3, window_s=3600, url=cache.url), ready_path="/ready")
SHOWN = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after")


def show(response):
    """The status and the rate limit headers of one answer."""
    headers = {name: response.headers[name] for name in SHOWN if name in response.headers}
    print(response.status_code, headers)


for _ in range(4):
    show(api.client.get("/hello", headers={"X-User": "ada"}))

# %% [markdown]
# Per user: Ada is out of requests, Bob is not. The decorated `/search` has a limit of its own
# (2); its 429 carries that limit, which the middleware does not overwrite:

# %%
show(api.client.get("/hello", headers={"X-User": "bob"}))
for _ in range(3):
    show(api.client.get("/search?q=rate", headers={"X-User": "carol"}))

# %% [markdown]
# **What to notice.** `Retry-After` equals `RateLimit-Reset` here because a fixed window frees
# its whole quota at its end; a sliding window frees it gradually, and the two differ (the
# graded set computes both). `RateLimit-Remaining` is 0 on the last allowed request already.
# Carol's third search was rejected by the decorator although the middleware still had room
# for her: the stricter of two limits decides.
#
# A **global** limit counts everyone's requests together, the way a service protects a shared
# resource (a database, a paid upstream API) rather than sharing it fairly:

# %%
api.stop()
client.flushdb()
everyone = make_app(limit=3, window_s=3600, url=cache.url, scope="global")
with serve_app(everyone, ready_path="/ready") as shared:
    for user in ("ada", "bob", "carol", "dave"):
        print(user, end=": ")
        show(shared.client.get("/hello", headers={"X-User": user}))

# %% [markdown]
# ### Try it
# Real services usually combine both: a per-user limit for fairness and a global one for
# protection. Where would you put the global check, before or after the per-user one, and
# which `Retry-After` should a request rejected by both carry?
# (Answer: [tryit/15 § 2](../solutions/tryit/15_rate_limiting.md#2-two-limits-on-one-request).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Several app processes: where the counters live
#
# The same app now runs as two uvicorn **processes** (as a production server runs several
# workers), each a separate interpreter, configured through the environment. First with
# counters in each process's memory, then in the shared Redis. Requests from one user
# alternate between the two, as a load balancer would send them; the limit is 4:

# %%
client.flushdb()
APP = "advpy.lessons.rate_limiting.app:app_from_env"
for store in ("memory", cache.url):
    os.environ.update(RATE_LIMIT_URL=store, RATE_LIMIT_LIMIT="4", RATE_LIMIT_WINDOW="3600")
    with (
        serve_app(APP, mode="process", factory=True, ready_path="/ready") as one,
        serve_app(APP, mode="process", factory=True, ready_path="/ready") as two,
    ):
        codes = [s.client.get("/hello", headers={"X-User": "eve"}).status_code
                 for _ in range(4) for s in (one, two)]
    label = "memory of each process" if store == "memory" else "shared Redis"
    print(f"counters in {label:>23}: {codes.count(200)} of 8 allowed {codes}")
for name in ("RATE_LIMIT_URL", "RATE_LIMIT_LIMIT", "RATE_LIMIT_WINDOW"):
    del os.environ[name]

# %% [markdown]
# **What to notice.** In memory, each process gave Eve her own 4, so she got 8: the real limit
# is the limit times the number of processes, and it changes whenever the app scales. With the
# counters in Redis the two processes agree, and the fifth request is rejected whichever
# process receives it.

# %%
first.close()
second.close()
client.close()
cache.stop()
print("Redis stopped:", not cache.running)

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Counting in process memory.** As section 5 showed, an in-memory limiter in an app with N
# workers allows N times the limit. It is fine for one process, or as a cheap first line before
# the shared check.
#
# **GET then SET.** Any limiter that reads, decides in the app and writes back races with
# itself (section 3). Use one atomic command (`INCR`), a transaction, or a Lua script; with
# `WATCH`/`MULTI` the transaction fails and must be retried when another client changed a
# watched key.
#
# **Keys that never expire.** A counter per user per window is a new key every window; without
# `PEXPIRE` Redis fills up. Set the expiry in the same atomic step as the increment.
#
# **Clocks.** Processes on different machines disagree about the time by milliseconds or
# more, and `time.time()` can jump. Give every decision the same clock (Redis's `TIME` inside
# the script, or accept the skew and keep windows much longer than it).
#
# **Whose limit?** Behind a proxy or load balancer, every request comes from the proxy's
# address: limit by the user or API key, or by `X-Forwarded-For` only when the proxy in front
# is yours and sets it.
#
# **When Redis is down.** The limiter must choose: fail open (let requests through, protect
# availability) or fail closed (reject, protect the backend). Decide on purpose, and time out
# quickly either way, or the limiter becomes the outage.
#
# **Rounding.** `Retry-After` is whole seconds: round up. A 429 without it leaves clients to
# guess, and guessing clients retry at once, in step, making the overload worse; clients should
# also add random jitter to their waits.

# %% [markdown]
# ## Summary
#
# - Token bucket: bursts up to its capacity, then its refill rate. Leaky bucket: a queue that
#   delivers at a steady rate. Fixed window: simple, but up to twice the limit across a
#   boundary. Sliding log: exact, memory grows with the limit. Sliding window counter: two
#   counts, a close estimate.
# - Counters shared by several processes live in one store (Redis); GET-then-SET loses the
#   limit under concurrency, and `INCR` in `MULTI`/`EXEC` or a Lua script keeps it exactly, as
#   measured with several processes at once.
# - A rejected request gets `429` with `Retry-After` in whole seconds rounded up; every answer
#   carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`. A middleware limits
#   every route, a decorator adds a stricter limit to one; keys decide per user or global.
# - An app in several processes needs shared counters, or its limit multiplies.
#
# **Graded exercises:** [exercises/ps15_rate_limiting.ipynb](exercises/ps15_rate_limiting.ipynb):
# `decide`, the sliding window counter's exact verdict with its `remaining` and `retry_after_ms`;
# `limit_response`, the status and the exact headers of an answer; and `allow`, the sliding
# window counter over a real Redis that holds its limit when many clients call it at once.
