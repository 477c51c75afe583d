# %% [markdown]
# # 14 · Caching strategies: Redis, Memcached, invalidation and stampedes
#
# A cache keeps the answer to an expensive question where it is cheap to ask again. In a web
# backend the expensive question is usually a database query, and the cache a key-value server
# that every app process shares: Redis or Memcached. A cache makes reads fast and takes load off
# the database; in exchange it can serve stale data, it can fall over all at once when a popular
# entry expires, and it is full sooner or later and must choose what to forget. This lesson runs
# a real Redis, a real Memcached and a real (SQLite) database on this machine and measures each
# of these effects.
#
# **Learning objectives.** By the end you can:
# - **measure** what a cache hit, a miss and a round trip cost, for Redis and Memcached, and
#   **use** pipelining and multi-key reads to pay for one round trip instead of many;
# - **implement** cache-aside, read-through, write-through and write-behind, and **compare**
#   their hit ratio, latency, staleness and risk on one workload;
# - **invalidate** with time to live, versioned keys and pub/sub messages between processes,
#   and **explain** what `functools.lru_cache` cannot do across processes;
# - **reproduce** a cache stampede on a hot key's expiry and **fix** it with a lock or with
#   early refresh;
# - **choose** an eviction policy for `maxmemory`, LRU or LFU, from what the workload does.
#
# **Prerequisites:** `functools.lru_cache` ([05 · Decorators](05_decorators.ipynb)), threads and
# locks ([09 · Thread safety](09_thread_safety.ipynb)), Redis as a store
# ([11 · Authentication](11_auth.ipynb)).

# %% [markdown]
# ## Setup
#
# Three real servers start here, on 127.0.0.1 and free ports, and stop at the end (or when the
# kernel stops): Redis, Memcached, and the shop's database, an SQLite file in a temporary folder
# with 500 products and their reviews.

# %%
# %matplotlib inline
import json
import statistics
import time

import pymemcache
import redis
from pymemcache.exceptions import MemcacheServerError

from advpy.lessons.caching.database import ShopDatabase
from advpy.lessons.caching.eviction import measure_eviction, plot_eviction
from advpy.lessons.caching.latency import measure_latencies, plot_latencies
from advpy.lessons.caching.processes import AppProcess, invalidation_delays
from advpy.lessons.caching.stampede import MODES, measure_stampede, plot_stampede, summary_line
from advpy.lessons.caching.strategies import (
    STRATEGIES,
    WriteBehind,
    make_workload,
    plot_hit_ratio,
    plot_read_latency,
    run_workload,
)
from advpy.lessons.context import machine_summary, pick
from advpy.lessons.timing import best_time, load_note
from advpy.services import memcached_server, redis_server

print(machine_summary())
print(load_note())
cache = redis_server()
memcached = memcached_server()
r = cache.connect(decode_responses=True)
version = r.info("server")["redis_version"]
print(f"Redis {version} on port {cache.port}, redis-py {redis.__version__}")
print(f"Memcached {memcached.client.version().decode()} on port {memcached.port}, "
      f"pymemcache {pymemcache.__version__}")
reviews = pick(200_000, 30_000)
db = ShopDatabase(products=500, reviews=reviews)
print(f"shop database: {db.products} products, {reviews:,} reviews in {db.path.name}")

# %% [markdown]
# ## 1. What a cache saves
#
# A product page needs the product and a summary of its reviews. The reviews table has no index
# on `product_id`, so the summary reads the whole table: a real query, slow for a real reason.
# Cached in Redis, the same page is one `GET` of a few hundred bytes of JSON:

# %%
page = db.page(7)
print(page)
r.set("page:7", json.dumps(page))
query = best_time(5, db.page, 7)
hit = best_time(50, lambda: json.loads(r.get("page:7")))
print(f"the query: {query * 1e3:.2f} ms; a cache hit: {hit * 1e3:.3f} ms; ratio {query / hit:.0f}x")

# %% [markdown]
# **What to notice.** Even on one machine, where Redis is a loopback round trip away, a hit is
# far cheaper than the query. The ratio is what a cache buys per hit; the **hit ratio** (the
# share of reads the cache answers) says how many reads get it. Both matter: a fast cache that
# answers a third of the reads leaves two thirds of the load on the database.
#
# ## 2. Redis and Memcached side by side
#
# | | Redis | Memcached |
# |---|---|---|
# | values | strings, hashes, lists, sets, sorted sets, streams, counters... | byte strings |
# | expiry | per key (`EX`, `PX`, `EXPIRE`) | per key (an expiry time on `set`) |
# | when full | a policy you choose (`maxmemory-policy`) | LRU, per size class of items |
# | beyond caching | pub/sub, Lua scripts, transactions, persistence, replication | none |
# | threads | one thread runs commands (I/O threads optional) | multi-threaded |
#
# Both speak a simple protocol over TCP. First the time of single operations, then of 100 keys
# read in one round trip: a Redis **pipeline** (many commands sent at once, answers read at
# once), Redis's own `MGET`, and Memcached's multi-key `get`:

# %%
latencies = measure_latencies(r, memcached.client, repeats=pick(5000, 500))
for rec in latencies:
    print(f"{rec.server:>9} {rec.operation:<22} best {rec.best * 1e6:5.1f} µs per key, "
          f"median {rec.median * 1e6:6.1f} µs, 90th percentile {rec.p90 * 1e6:7.1f} µs")

# %%
fig, ax = plot_latencies(latencies)

# %%
single = {rec.server: rec.best for rec in latencies if rec.operation == "GET"}
batched = {
    rec.server: min(x.best for x in latencies if x.server == rec.server) for rec in latencies
}
for server in ("Redis", "Memcached"):
    print(f"{server}: one key per round trip costs {single[server] / batched[server]:.1f}x "
          "more per key than the best batched read")

# %% [markdown]
# **What to notice.** The best times say what an operation costs; the medians and percentiles
# add what the machine adds, and on a busy machine (see the load average above) every round
# trip may wait for a free core, for the server and again for the client. On loopback a round
# trip is tens of microseconds, and much of the time of one `GET` is the client library's own
# Python code; the two servers are in the same range. Batching pays: many keys in one round
# trip cost a fraction per key. Between machines a
# round trip is 0.1-1 ms, and the gain of batching grows with it. (The `SET` above waits for
# Memcached's answer; see the pitfalls for pymemcache's default, which does not.)
#
# What Memcached cannot do is everything that is not a byte string. Redis's types let the
# server do the work, atomically, without a read-modify-write round trip from the app:

# %%
r.hset("product:7", mapping={"name": "teapot", "price_cents": 2500, "stock": 3})
r.hincrby("product:7", "stock", -1)                      # one field, atomically
r.zincrby("best-sellers", 5, "teapot")
r.zincrby("best-sellers", 9, "kettle")
r.zincrby("best-sellers", 2, "mug")
print(r.hgetall("product:7"))
print(r.zrevrange("best-sellers", 0, 1, withscores=True))  # the top two, sorted by the server

# %%
memcached.client.set("product:7", json.dumps({"name": "teapot", "stock": 3}))
print(memcached.client.get("product:7"))  # bytes: to change the stock, read, edit, write back
print(memcached.client.incr("visits", 1), memcached.client.add("visits", "0"),
      memcached.client.incr("visits", 1))

# %% [markdown]
# One difference is in the client, not the server. pymemcache's `set` does not wait for the
# server's answer by default (`default_noreply=True`); the course's `memcached_server` client
# waits. A value over Memcached's item size limit (1 MB) shows what that means:

# %%
fire_and_forget = memcached.connect(default_noreply=True)  # pymemcache's own default
print("set without waiting for the answer:", fire_and_forget.set("big", b"x" * 2**21))
try:
    memcached.client.set("big", b"x" * 2**21)
except MemcacheServerError as error:
    print("set that waits for the answer:", error)
print("stored?", memcached.client.get("big"))
fire_and_forget.close()

# %% [markdown]
# Memcached has counters (`incr` on a number stored as text; on a missing key it does nothing
# and answers `None`, so `add`, which stores only if the key is absent, creates it first), and
# not much more; its strength is a simple, multi-threaded memory cache. Redis is the usual
# choice when the cache must also rank, count, queue or notify, as in the rest of this lesson.
#
# ### Try it
# Time 100 `SET`s to Redis one by one and then in one pipeline (`r.pipeline(transaction=False)`),
# with `best_time`. How many times faster is the pipeline per key? What do you expect between
# two machines 0.5 ms apart?
# (Answer: [tryit/14 § 1](../solutions/tryit/14_caching.md#1-pipelined-writes).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. Four strategies, one workload
#
# Where the cache sits in the code is the **strategy**:
#
# - **cache-aside** (lazy loading): the app asks the cache; on a miss it queries the database
#   and stores the answer with a time to live. On a write it updates the database and deletes
#   the entry (invalidation), so the next read loads the new value.
# - **read-through**: the same, but the cache layer is given the loader and the app only ever
#   asks the cache. Redis cannot call your database, so this layer is a library in the app
#   (`LoadingCache` here); CDNs and some database caches do it in the server.
# - **write-through**: a write updates the database, then stores the new value in the cache.
# - **write-behind** (write-back): a write updates the cache only and queues the change; a
#   background task writes queued changes to the database in batches.
#
# A sixth variant shows why invalidation matters: **cache-aside, TTL only**, which never
# deletes on write and waits for entries to expire. The workload: reads and writes (10%) of
# products whose popularity falls off like 1/rank, as in most shops; each strategy starts with
# an empty cache. A read is **stale** when it returns a price other than the last one written.

# %%
workload = make_workload(pick(3000, 300), db.products, write_share=0.1)
runs = []
for strategy in STRATEGIES.values():
    r.flushdb()
    runs.append(run_workload(strategy(r, db, ttl=300), workload, db))
print(f"{len(workload)} operations, {sum(op.kind == 'write' for op in workload)} of them writes")
for run in runs:
    reads, writes = run.mean_latency("read") * 1e3, run.mean_latency("write") * 1e3
    print(f"{run.strategy:>21}: hit ratio {run.hit_ratio:.2f}, {run.stale_reads:3d} stale reads, "
          f"{run.db_reads:4d} queries + {run.db_writes:3d} write transactions, "
          f"read {reads:.2f} ms, write {writes:.2f} ms")

# %%
fig, ax = plot_hit_ratio(runs)

# %%
fig, ax = plot_read_latency(runs)

# %% [markdown]
# **What to notice.**
# - Every strategy starts cold: the hit ratio climbs as the popular products are loaded, and
#   the time of a read falls with it.
# - Read-through has the same hits and queries as cache-aside (its line lies on cache-aside's):
#   it is the same algorithm with the loading moved into the cache layer. What it buys is that
#   no app code can forget it.
# - Write-through keeps a written product cached, so its hit ratio is higher than cache-aside's,
#   which turns every write into a future miss. Write-behind's reads are the same as
#   write-through's (the lines coincide).
# - A write costs a database commit (TTL only), a commit and a cache round trip (cache-aside,
#   write-through), or cache round trips only (write-behind). Which of the two is dearer depends
#   on the machine: SQLite commits inside this process, while every Redis command waits for
#   another process, and on a busy machine for a free core (see the load average above).
# - Write-behind makes the fewest write transactions: changes are batched, and a product
#   written twice before a flush is written once. Its price is shown below.
# - TTL only has a high hit ratio *and* stale reads: a hit ratio says nothing about whether the
#   answers are right.
#
# Write-behind's price is durability: the cache holds writes the database does not have yet.
# A process that dies between two flushes loses them:

# %%
r.flushdb()
behind = WriteBehind(r, db, ttl=300, interval=3600)  # a flush due in an hour
for product_id in (1, 2, 3):
    behind.read(product_id)  # the page is cached...
    behind.write(product_id, 1)  # ...and the new price goes to the cache and the queue
print("queued, not in the database:", behind.pending)
print("the database still says:", [db.price(p) for p in (1, 2, 3)])
behind.pending.clear()  # the process crashed: its queue is gone
behind.close()
print("after the crash, the database says:", [db.price(p) for p in (1, 2, 3)],
      "and the cache says:", [json.loads(r.get(f"page:{p}"))["price_cents"] for p in (1, 2, 3)])

# %% [markdown]
# Real write-behind systems therefore keep the queue somewhere durable (a Redis stream with
# persistence, a message broker, a write-ahead log) and accept that the database lags.
#
# ### Try it
# Run the workload again with `write_share=0.5`. Which strategy gains, which loses, and why
# does cache-aside's hit ratio fall the most?
# (Answer: [tryit/14 § 2](../solutions/tryit/14_caching.md#2-a-write-heavy-workload).)

# %%
# Your experiment here.

# %% [markdown]
# ## 4. TTLs and invalidation
#
# ### 4.1 Time to live
#
# Every cached entry should expire: a time to live bounds how long a value can be stale when an
# invalidation is missed, and lets unused entries leave. Redis counts it per key:

# %%
r.set("page:7", json.dumps(db.page(7)), ex=60)
print("TTL:", r.ttl("page:7"), "s;", "PTTL:", r.pttl("page:7"), "ms")
r.set("page:7", "overwritten")  # a plain SET removes the time to live...
print("after a plain SET the TTL is", r.ttl("page:7"), "(-1: no expiry)")
r.set("page:7", "kept", keepttl=True)  # ...unless it says KEEPTTL
print("TTL of a missing key:", r.ttl("page:404"), "(-2)")

# %% [markdown]
# ### 4.2 Versioned keys
#
# Deleting one key is easy; deleting "every cached page of the catalogue" is not (`KEYS` and
# `SCAN` walk the whole keyspace). **Versioned keys** put a version number into every key and
# keep the current version in one key of its own. Invalidating everything is one `INCR`: new
# reads build new keys, and the old ones are never read again and expire with their TTL.

# %%
def catalogue_key(product_id):
    version = r.get("catalogue:version") or 0
    return f"catalogue:v{version}:page:{product_id}"


r.set(catalogue_key(7), json.dumps(db.page(7)), ex=300)
print("cached under", catalogue_key(7), "->", r.exists(catalogue_key(7)))
r.incr("catalogue:version")  # the whole catalogue changed: one command
print("now looked up under", catalogue_key(7), "->", r.exists(catalogue_key(7)))

# %% [markdown]
# The cost is one more read per lookup (the version; it can itself be cached for a second in
# the app) and memory held by dead entries until they expire.
#
# ### 4.3 Invalidation between processes, over pub/sub
#
# An app runs as several processes (gunicorn workers, containers), and each can keep a
# dictionary of hot values in front of Redis, a **near cache**: no round trip at all. A write
# in one process must then reach the others' dictionaries. Redis **pub/sub** carries it: the
# writer publishes the key on a channel, and every process listening drops its copy.
#
# Three app processes start below, each a real separate Python process: A and B listen on the
# channel, C does not (it stands for a process whose subscription was lost).

# %%
started = time.perf_counter()
a = AppProcess("A", cache.url, str(db.path))
b = AppProcess("B", cache.url, str(db.path))
c = AppProcess("C", cache.url, str(db.path), listen=False)
print(f"3 app processes, pids {a.process.pid}, {b.process.pid}, {c.process.pid}, "
      f"ready after {(time.perf_counter() - started) * 1e3:.0f} ms")

# %%
r.delete("price:42")
for process, note in ((a, "first read"), (b, "after A"), (b, "again"), (c, "after A")):
    print(f"{process.name}, {note:<10} ->", process.call("get", 42))

# %%
a.call("set_price", 42, 999)
b.call("sync")  # returns once B has handled every message published so far
for process in (a, b, c):
    print(f"{process.name} after A's write ->", process.call("get", 42))

# %% [markdown]
# **What to notice.** B's first read came from Redis, filled by A: the shared cache serves
# every process. After A's write, A and B read the new price, and C still serves the old one
# from its own dictionary, with no end in sight: pub/sub delivers a message
# to the subscribers connected *at that moment*, once, and a process that was not listening
# never hears of it. A near cache therefore also needs a short TTL of its own, and a process
# that reconnects must drop everything it holds.
#
# How long does the message take? The writer notes the moment it publishes, the reader the
# moment its listener receives, on the same system-wide clock:

# %%
delays = invalidation_delays(a, b, list(range(100, 100 + pick(50, 10))))
print(f"{len(delays)} invalidations: median {statistics.median(delays) * 1e3:.2f} ms, "
      f"slowest {max(delays) * 1e3:.2f} ms from PUBLISH to the other process")

# %% [markdown]
# ### 4.4 What `lru_cache` cannot do
#
# `functools.lru_cache` ([lesson 05](05_decorators.ipynb)) is a near cache too, and each of the
# processes has one in front of the same price query. It is private to its process, so every
# process pays its own misses, and nothing outside can invalidate it:

# %%
print("A:", a.call("get_lru", 42), "| B:", b.call("get_lru", 42), "| A:", a.call("get_lru", 42))
b.call("set_price", 42, 1111)
a.call("sync")
print("after B's write, A's lru_cache says", a.call("get_lru", 42),
      "and A's near cache says", a.call("get", 42))

# %%
for process in (a, b, c):
    process.stop()
print("app processes stopped:", [p.process.exitcode for p in (a, b, c)])

# %% [markdown]
# **What to notice.** `lru_cache` is the right tool for pure functions of their arguments
# (the result never changes), inside one process. For data that other processes change, the
# cache must be shared (Redis) or invalidated from outside (pub/sub), and it needs a TTL.
#
# ### Try it
# The notes this course started from say: "invalidate the cache via write-through or pub/sub".
# Give a case where write-through alone leaves a stale value somewhere, and a case where pub/sub
# alone does.
# (Answer: [tryit/14 § 3](../solutions/tryit/14_caching.md#3-write-through-or-pubsub).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. The stampede
#
# A hot product is read by every request. Its page expires; until some request has put it back,
# every request misses, and each runs the slow query at the same moment, on the database that
# the cache was protecting: a **cache stampede** (or dog-pile). Worker threads stand for an app
# server's request handlers below, each with its own Redis connection, reading the hot product
# for a while; its page lives a fraction of a second, so that it expires several times. Four
# ways to read it:
#
# - **no protection**: plain cache-aside;
# - **lock**: on a miss, only the request that takes a lock in Redis
#   (`SET lock:key token NX PX 2000`) runs the query; the others poll the cache until the page
#   is back. The lock expires by itself if its holder dies;
# - **early refresh**: each entry records its logical expiry and how long its query took
#   (`delta`); a request refreshes it *before* it expires with a probability that rises as the
#   expiry nears (refresh when `now - delta * ln(random()) >= expiry`, the "XFetch" rule). Redis
#   keeps the key a little longer than the logical expiry, so nobody misses;
# - **early refresh + lock**: a request that decides to refresh early must also take the lock;
#   the others go on serving the entry, which is still valid.

# %%
threads, seconds, ttl = pick(16, 8), pick(3.0, 0.8), pick(0.5, 0.2)
print(f"{threads} threads for {seconds:g} s; the page lives {ttl:g} s; {load_note()}")
stampedes = [
    measure_stampede(lambda: cache.connect(decode_responses=True), db, mode,
                     threads=threads, seconds=seconds, ttl=ttl)
    for mode in MODES
]
for run in stampedes:
    print(summary_line(run))

# %%
fig, ax = plot_stampede(stampedes)

# %% [markdown]
# **What to notice.** Without protection, every expiry is a burst of identical queries, one per
# thread that arrived while the first query ran: the steps in the red line. With the lock there
# is one query per expiry, and the waiting requests pay for it in latency. Early refresh on its
# own is not enough under this load: with thousands of requests per second, several of them
# draw an "early" number in the same millisecond and refresh together. Combined with the lock,
# one request refreshes shortly before the expiry and nobody waits for the database. (It may
# refresh a little more often than the TTL: that is the price of refreshing early.)
#
# The graded set's Part A writes the lock version against a real Redis, with every edge the
# one-liner above skips: a lock that is not yours, a holder that dies, a value of `0`.
#
# ## 6. When the cache is full: eviction under `maxmemory`
#
# A cache server is given a memory limit, and what happens at the limit is a policy. Redis's
# default is `noeviction`: writes fail. A second Redis with 4 MB shows it:

# %%
small = redis_server(settings={"maxmemory": "4mb"})
s = small.connect(decode_responses=True)
print("policy:", s.config_get("maxmemory-policy"))
try:
    for number in range(10_000):
        s.set(f"page:{number}", "v" * 1000)
except redis.exceptions.OutOfMemoryError as error:
    print(f"write {number} refused: {error}")

# %% [markdown]
# A cache wants eviction instead. `allkeys-lru` evicts the keys used least recently,
# `allkeys-lfu` the keys used least often (both among all keys; the `volatile-` variants only
# among keys with a TTL). The workload that tells them apart: hot products read again and again,
# while a batch job caches thousands of products once each (a **scan**), and the app puts back
# any hot page that was evicted:

# %%
evictions = [
    measure_eviction(s, policy, hot_keys=pick(1000, 400), scan_keys=pick(10_000, 4000))
    for policy in ("allkeys-lru", "allkeys-lfu")
]
for run in evictions:
    print(f"{run.policy}: hot-key hit ratio {run.hit_ratio:.2f} during the scan, "
          f"{run.evicted} keys evicted, {run.hot_kept_at_end} of {run.hot_keys} hot keys "
          f"still cached at the end ({run.keys_at_end} keys fit)")

# %%
fig, ax = plot_eviction(evictions)

# %% [markdown]
# **What to notice.** Under LRU the scan's keys are the most recent, so the hot keys that were
# not read for a while are evicted, and their next reads miss. Under LFU each hot key's counter
# is well above a new key's, so the scan's keys, used once, are evicted first and the hot keys
# stay. LRU is better when what is popular changes quickly (LFU's counters remember the past
# until they decay, `lfu-decay-time`); LFU is better when popularity is stable and scans happen.
# Memcached has no policy setting: it evicts the least recently used items within each size
# class of items, with its LRU split into hot, warm and cold segments.

# %%
s.close()
small.stop()
r.close()
cache.stop()
memcached.stop()
db.close()
print("servers stopped:", not cache.running and not memcached.running and not small.running,
      "| database folder removed:", not db.folder.exists())

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Fire-and-forget writes.** pymemcache's `set` does not wait for Memcached's answer by default
# (`default_noreply=True`): it returns `True` whether or not the item was stored (section 2).
# A cache write that may be lost is often acceptable; one that reports a success it did not
# have is a debugging trap.
#
# **Caching `None`.** "Not found" is an answer too. If a miss on a missing product is not cached
# (a *negative* entry, with a short TTL), every request for it reaches the database, and a bot
# that asks for random ids bypasses the cache entirely. Falsy values (`0`, `""`, `[]`) must be
# told apart from a miss by whether the key exists, never by `if value:`.
#
# **A plain SET forgets the TTL.** Overwriting a key with `SET` removes its expiry (section 4.1;
# `SET ... KEEPTTL`, since Redis 6.0, keeps it); a write-through that forgets `EX` leaves
# entries that never expire.
#
# **Race between a slow fill and a write.** A reader misses, queries, and is slow; meanwhile a
# writer updates the database and the cache. The reader then stores the old value over the new
# one, and it stays until it expires. `SET ... NX` for fills and version numbers compared
# atomically for writes (a Lua script) close it: the graded set's Part B.
#
# **Locks that are not yours.** A lock with an expiry can expire while its holder still works,
# and another request takes it. Deleting "the lock" at the end then deletes someone else's. Keep
# a random token in the lock and delete it only if it still holds yours, in one atomic step
# (a Lua script: `GET` then `DEL` from Python is two steps).
#
# **Pub/sub is at most once.** A subscriber that is disconnected when a message is published
# never gets it (section 4.3). Redis Streams or keyspace notifications with a reconnect that
# drops the near cache are the usual repairs.
#
# **Thundering herds at start-up.** A cold cache after a deploy or a flush is a stampede on
# every key at once (section 3's first buckets). Warm the cache, or let traffic in gradually.

# %% [markdown]
# ## Summary
#
# - A hit costs a round trip to the cache; a miss costs the query too. Batching (pipelines,
#   `MGET`, multi-key `get`) pays one round trip for many keys. Memcached stores bytes; Redis
#   also stores hashes, sorted sets and counters, and has pub/sub and scripts.
# - Cache-aside and read-through load on a miss; write-through stores on write and keeps
#   written keys hot; write-behind makes writes cheap and lets the database lag, losing queued
#   writes on a crash. The hit ratio alone says nothing about staleness.
# - Invalidate by TTL (always, as a bound), by deleting or overwriting on write, by versioned
#   keys for whole groups, and by pub/sub for near caches in other processes; `lru_cache` is
#   private to its process and cannot be invalidated from outside.
# - A hot key's expiry causes a stampede of identical queries; a Redis lock makes it one query,
#   and early refresh with a lock makes it one query that nobody waits for.
# - At `maxmemory`, Redis refuses writes by default (`noeviction`); `allkeys-lru` suits shifting
#   popularity, `allkeys-lfu` resists scans.
#
# **Graded exercises:** [exercises/ps14_caching.ipynb](exercises/ps14_caching.ipynb):
# `get_product` (cache-aside with a stampede lock, against a real Redis, the database reads
# counted under concurrent requests), `write_product` (write-through that never stores an
# older version over a newer one), and `NearCache` (a per-process cache invalidated over
# pub/sub).
