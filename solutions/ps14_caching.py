# %% [markdown]
# # ps14 · Caching: stampede-proof reads, safe write-through, pub/sub invalidation (22 points)
#
# Three pieces of a product cache in front of a slow database, each from
# [14 · Caching strategies](../14_caching.ipynb), on a real Redis server that the setup cell
# starts on this machine:
#
# - **Part A** · `get_product(r, db, product_id, ttl, wait)`: cache-aside that sends **one**
#   request to the database when many requests miss the same key at once (9 points);
# - **Part B** · `write_product(r, db, product_id, value, ttl)`: write-through that never leaves
#   an older value in the cache than the database holds, even when two writers race (6 points);
# - **Part C** · `NearCache(redis_url, channel)`: a cache inside each app process, in front of
#   Redis, whose entries other processes invalidate over Redis pub/sub (7 points).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check. The tests call your functions from many
# threads at once, as a web server's workers would.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it starts a real Redis server for this notebook (it stops with the
# kernel) and defines the slow database of Parts A and B.
import json
import socket
import sqlite3
import threading
import time
import uuid

import redis

from advpy.services import redis_server

SERVER = redis_server()
REDIS_URL = SERVER.url  # "redis://127.0.0.1:PORT/0"


def connect():
    """A new Redis client for this notebook's server; replies are decoded to str."""
    return redis.Redis.from_url(REDIS_URL, decode_responses=True)


class SlowDatabase:
    """The products table of a shop, in SQLite, with a version number per product that
    every write increases. Each read takes `delay` seconds more, as a busy database would.

    read(product_id)          -> (version, value); (0, None) for a product that does not exist
    write(product_id, value)  -> the new version (1 for a new product); raises ValueError when
                                 value is None (a product's value is any JSON value but null)
    reads, writes             how many reads and writes it has served

    Values are stored as JSON, so what you read is a copy. It is safe to use from many
    threads at once. `after_read` and `after_write`, when set to a function, are called with
    the product id after the database has answered and before read or write returns: the
    tests use them to hold a call at a chosen point."""

    def __init__(self, delay=0.05):
        self.delay = delay
        self.reads = 0
        self.writes = 0
        self.after_read = None
        self.after_write = None
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE TABLE products (id INTEGER PRIMARY KEY, version INTEGER, value TEXT)"
        )

    def read(self, product_id):
        with self._lock:
            self.reads += 1
            row = self._db.execute(
                "SELECT version, value FROM products WHERE id = ?", (product_id,)
            ).fetchone()
        time.sleep(self.delay)
        if self.after_read is not None:
            self.after_read(product_id)
        return (0, None) if row is None else (row[0], json.loads(row[1]))

    def write(self, product_id, value):
        if value is None:
            raise ValueError("a product's value cannot be None")
        text = json.dumps(value)
        with self._lock:
            row = self._db.execute(
                "SELECT version FROM products WHERE id = ?", (product_id,)
            ).fetchone()
            version = 1 if row is None else row[0] + 1
            self._db.execute(
                "INSERT OR REPLACE INTO products VALUES (?, ?, ?)", (product_id, version, text)
            )
            self.writes += 1
        if self.after_write is not None:
            self.after_write(product_id)
        return version


def entry(version, value):
    """The text a cache entry holds in Redis: JSON of {"version": ..., "value": ...}."""
    return json.dumps({"version": version, "value": value})


# %% [markdown]
# ## Part A · `get_product`: cache-aside, one database read per miss
#
# Every product lives in Redis under the key `product:<id>` (`product:42`), as the JSON text of
# `{"version": <int>, "value": <the product's value>}`: the setup cell's `entry(version, value)`
# makes it. When a popular product's entry expires, every request that arrives before it is
# back misses at once, and each would query the database: the **stampede** of the lesson.
#
# Write `get_product(r, db, product_id, ttl, wait=2.0)`, where `r` is a Redis client with
# `decode_responses=True` (like `connect()`), `db` a `SlowDatabase`, `ttl` a whole number of
# seconds and `wait` a number of seconds. It returns the product's value:
#
# 1. **Hit.** If `product:<id>` holds an entry, return its `"value"`, without reading `db`. A
#    cached value can be anything JSON holds, `0`, `""`, `[]`, `false` and `null` included:
#    they are hits like any other.
# 2. **Miss, lock won.** Otherwise try to take the lock `lock:product:<id>` with
#    `SET lock:product:<id> <token> NX PX <wait in milliseconds>`, where the token is a random
#    string of your own (`uuid.uuid4().hex`). If you got it: `version, value = db.read(id)`, store
#    `entry(version, value)` under `product:<id>` with a time to live of `ttl` seconds (`EX`) and
#    **only if the key is still absent** (`NX`: a write-through of Part B may have stored a newer
#    entry while the database was read; keep that one), then delete the lock **only if it still
#    holds your token** (it may have expired and been taken by someone else), and return the
#    value read. A product that does not exist is cached too, as `entry(0, None)`, and `None`
#    returned: a request for a missing product must not reach the database every time.
# 3. **Miss, lock lost.** Someone else is reading the database. Check the cache again every
#    10 ms or so; as soon as the entry appears, return its value. If `wait` seconds pass with no
#    entry, read `db` yourself, store the entry as in step 2 (`NX`, `EX ttl`), never touch the
#    lock (it is not yours), and return the value read.
# 4. **Errors.** If `db.read` raises, delete your lock (as in step 2: only with your token) and
#    let that exception propagate, so that the next request can try again at once. Nothing is
#    cached then.
#
# The hidden tests check exactly this: a hit reads nothing; falsy values and missing products
# are cached and served as hits; the key, the JSON entry and the time to live; 12 to 20
# concurrent requests for a cold product read the database once and all get the value; no lock
# is left behind; a lock held by someone else is waited for, never deleted, and its holder's
# entry is returned as soon as it appears, or the database read after `wait`; an entry stored
# while the database was read is kept; a failing read propagates and leaves no lock.


# %% nbgrader="solution" grade_id="get_product_answer"
def get_product(r, db, product_id, ttl, wait=2.0):
    """Cache-aside read of product_id with stampede protection (see the contract above)."""
    ### BEGIN SOLUTION
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    lock = f"lock:{key}"
    token = uuid.uuid4().hex
    if r.set(lock, token, nx=True, px=max(1, int(wait * 1000))):
        try:
            version, value = db.read(product_id)
            r.set(key, entry(version, value), nx=True, ex=ttl)
            return value
        finally:  # delete the lock only while it holds our token, in one atomic step
            release = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end"
            r.eval(release, 1, lock, token)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.01)
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)["value"]
    version, value = db.read(product_id)
    r.set(key, entry(version, value), nx=True, ex=ttl)
    return value
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
_r, _db = connect(), SlowDatabase(delay=0.2)
_db.write(1, {"name": "teapot", "price": 25})
print(get_product(_r, _db, 1, ttl=60), "database reads:", _db.reads)
print(get_product(_r, _db, 1, ttl=60), "database reads:", _db.reads)
_r.delete("product:1")
_r.close()

# %% [markdown]
# ### Check A1 · hits, misses and what is stored (3 points)

# %% nbgrader="tests" grade_id="get_product_tests_hits" points=3
"""get_product reads the database on a miss only, stores the JSON entry under product:<id> with
the time to live asked for, serves the next call from the cache, and leaves no lock behind."""
from advpy.checks import beside, expect, expect_same


def miss_then_hit(url, product_id):
    """Runs where your code runs: a new database holding one product, a first get_product (a
    miss), then a second (a hit), on the Redis at `url`; what each call returned, the database's
    reads after each, and what Redis held."""
    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0.01)
    db.write(product_id, {"name": "kettle", "price": 30})
    seen = {"miss": get_product(r, db, product_id, 60), "reads after the miss": db.reads}
    seen["entry after the miss"] = r.get(f"product:{product_id}")
    seen["ttl after the miss"] = r.ttl(f"product:{product_id}")
    seen["hit"] = get_product(r, db, product_id, 60)
    seen["reads after the hit"] = db.reads
    seen["lock left"] = r.exists(f"lock:product:{product_id}")
    r.close()
    return seen


_pid = 1000 + uuid.uuid4().int % 10**6
seen = beside(miss_then_hit, REDIS_URL, _pid)
expect_same(seen["miss"], {"name": "kettle", "price": 30}, "a miss returns the value")
expect_same(seen["reads after the miss"], 1, "a miss reads the database once", show=True)
expect_same(
    json.loads(seen["entry after the miss"] or "null"),
    {"version": 1, "value": {"name": "kettle", "price": 30}},
    "after a miss, product:<id> holds the JSON entry {'version': ..., 'value': ...}",
)
expect(0 < seen["ttl after the miss"] <= 60, "the entry must expire after ttl seconds (EX ttl)")
expect_same(seen["hit"], {"name": "kettle", "price": 30}, "a hit")
expect_same(seen["reads after the hit"], 1, "a hit must not read the database", show=True)
expect_same(seen["lock left"], 0, "the lock must be deleted after the miss")
### BEGIN HIDDEN TESTS


def _observed(url, product_id, falsy_values):
    # Runs where the answer runs: an entry already in Redis, falsy values, a missing product,
    # two times to live, what a miss leaves in Redis, and a hit after the database changed;
    # what was returned, read and stored, in that order.
    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0.01)
    db.write(product_id, {"name": "kettle", "price": 30})
    r.set(f"product:{product_id}", entry(7, "from the cache"))
    seen = {"cached": get_product(r, db, product_id, 60), "reads of the cached": db.reads}
    seen["falsy"] = []
    for value in falsy_values:
        other = 2_000_000 + uuid.uuid4().int % 10**6
        db.write(other, value)
        before = db.reads
        got = [get_product(r, db, other, 60) for _ in range(3)]
        seen["falsy"].append((got, db.reads - before))
    missing = 3_000_000 + uuid.uuid4().int % 10**6
    before = db.reads
    seen["missing"] = [get_product(r, db, missing, 60), get_product(r, db, missing, 60)]
    seen["reads of the missing"] = db.reads - before
    seen["entry of the missing"] = r.get(f"product:{missing}")
    short = 4_000_000 + uuid.uuid4().int % 10**6
    db.write(short, "x")
    get_product(r, db, short, 7)
    seen["pttl of ttl 7"] = r.pttl(f"product:{short}")
    long = 5_000_000 + uuid.uuid4().int % 10**6
    db.write(long, "y")
    get_product(r, db, long, 86400)
    seen["ttl of ttl 86400"] = r.ttl(f"product:{long}")
    seen["long"] = long
    seen["keys of long"] = r.keys(f"*{long}*")
    db.write(long, "z")
    seen["long after the database changed"] = get_product(r, db, long, 60)
    r.close()
    return seen


_falsy = [0, "", [], False, {}, 0.0]
_seen = beside(_observed, REDIS_URL, _pid, _falsy)
expect_same(
    _seen["cached"], "from the cache", "a hit returns the entry's value as it is in Redis"
)
expect_same(_seen["reads of the cached"], 0, "a hit must not read the database")
for _value, (_got, _reads) in zip(_falsy, _seen["falsy"], strict=True):
    expect_same(_got, [_value] * 3, "a falsy value is a value")
    expect_same(_reads, 1, "a cached falsy value (0, '', [], False, {}) must be a hit")
expect_same(_seen["missing"], [None, None], "a missing product gives None")
expect_same(
    _seen["reads of the missing"], 1, "a missing product must be cached too (entry(0, None))"
)
expect_same(
    json.loads(_seen["entry of the missing"] or "[]"),
    {"version": 0, "value": None},
    "a missing product is cached as the entry of version 0 and value None",
)
expect(3000 < _seen["pttl of ttl 7"] <= 7000, "the time to live is the ttl, in seconds")
expect(86390 < _seen["ttl of ttl 86400"] <= 86400, "the time to live must be the ttl given")
expect_same(
    sorted(_seen["keys of long"]),
    [f"product:{_seen['long']}"],
    "after a miss, only product:<id> remains: no lock, no other key",
)
expect_same(
    _seen["long after the database changed"],
    "y",
    "until it expires, the cached value is served",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · a stampede reads the database once (3 points)

# %% nbgrader="tests" grade_id="get_product_tests_stampede" points=3
"""Twelve requests for the same cold product at the same instant: the database is read once,
every request gets the value, and no lock is left."""
from advpy.checks import beside, expect_same


def stampede(url):
    """Runs where your code runs: twelve threads, started at once, call get_product for the
    same cold product (one Redis client for all; the database's read takes 0.2 s); what they
    got (None if some had not returned after 30 s), the database's reads and the lock left."""
    from advpy.checks import run_together

    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0.2)
    product_id = 6_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "hot")
    try:
        got = run_together(
            [lambda: get_product(r, db, product_id, 60, 5.0) for _ in range(12)], timeout=30
        )
    except AssertionError:  # a request still running after 30 s
        got = None
    seen = {"got": got, "reads": db.reads, "lock left": r.exists(f"lock:product:{product_id}")}
    r.close()
    return seen


seen = beside(stampede, REDIS_URL)
expect_same(seen["got"], ["hot"] * 12, "every concurrent request must get the value")
expect_same(seen["reads"], 1, "twelve concurrent misses must read the database once", show=True)
expect_same(seen["lock left"], 0, "no lock may be left behind")
### BEGIN HIDDEN TESTS


def _observed(url):
    # Runs where the answer runs: twenty requests at once on twenty connections for a cold
    # product whose value is falsy, then twelve at once for a product that does not exist.
    from advpy.checks import run_together

    r = redis.Redis.from_url(url, decode_responses=True)
    clients = [redis.Redis.from_url(url, decode_responses=True) for _ in range(20)]
    db = SlowDatabase(delay=0.3)
    product_id = 7_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, 0)
    seen = {}
    try:
        seen["falsy"] = run_together(
            [lambda c=c: get_product(c, db, product_id, 30, 5.0) for c in clients], timeout=20
        )
    except AssertionError:  # a request still running after 20 s
        seen["falsy"] = None
    seen["reads of the falsy"] = db.reads
    seen["lock left"] = r.exists(f"lock:product:{product_id}")
    missing = 8_000_000 + uuid.uuid4().int % 10**6
    try:
        seen["missing"] = run_together(
            [lambda: get_product(r, db, missing, 30, 5.0) for _ in range(12)], timeout=30
        )
    except AssertionError:  # a request still running after 30 s
        seen["missing"] = None
    seen["reads in all"] = db.reads
    for client in clients:
        client.close()
    r.close()
    return seen


_seen = beside(_observed, REDIS_URL)
expect_same(
    _seen["falsy"], [0] * 20, "every concurrent request must get the value, even a falsy one"
)
expect_same(
    _seen["reads of the falsy"],
    1,
    "twenty concurrent misses on separate connections must read once",
)
expect_same(_seen["lock left"], 0, "no lock may be left behind")
expect_same(_seen["missing"], [None] * 12, "a missing product gives None to every request")
expect_same(
    _seen["reads in all"],
    2,
    "concurrent requests for a missing product must read the database once",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · someone else's lock, an entry stored meanwhile, a failing read (3 points)

# %% nbgrader="tests" grade_id="get_product_tests_edges" points=3
"""A lock held by someone else is waited for and never deleted; the holder's entry is returned
as soon as it appears; after `wait` seconds the database is read."""
from advpy.checks import beside, expect, expect_same


def lock_held_by_someone_else(url):
    """Runs where your code runs: a database holding a product whose lock someone else holds
    (for 10 s) without ever storing an entry. Returns the request, which the test times: it
    calls get_product(..., wait=0.3) and gives what it returned (if it did within 10 s), the
    database's reads and the lock's value after."""
    from advpy.checks import call_with_timeout

    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0.01)
    product_id = 9_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "fresh")
    r.set(f"lock:product:{product_id}", "someone-else", px=10_000)

    def request():
        try:
            got = call_with_timeout(
                lambda: get_product(r, db, product_id, 60, wait=0.3), timeout=10
            )
        except AssertionError:  # still running after 10 s
            got = "no answer after 10 s"
        seen = {"got": got, "reads": db.reads, "lock": r.get(f"lock:product:{product_id}")}
        r.close()
        return seen

    return request


request = beside(lock_held_by_someone_else, REDIS_URL)
_started = time.monotonic()
seen = request()
_waited = time.monotonic() - _started
expect_same(
    seen["got"], "fresh", "after waiting `wait` seconds for the lock's holder, read the database"
)
expect(_waited >= 0.25, "a request that lost the lock must wait first")
expect_same(seen["reads"], 1, "the database is read once, after the wait")
expect_same(seen["lock"], "someone-else", "never delete someone else's lock")
### BEGIN HIDDEN TESTS


def _observed(url):
    # Runs where the answer runs: the waiting request's polling, a holder that stores its
    # entry while a request waits, an entry stored while the database is read, a failing
    # read, a lock taken over by the next holder, the lock's expiry; what each gave.
    from advpy.checks import call_with_timeout

    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0.01)
    seen = {}
    # A lock held by someone else: the cache is polled, not read in a busy loop.
    product_id = 15_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "polled")
    r.set(f"lock:product:{product_id}", "someone-else", px=10_000)
    r.config_resetstat()
    try:
        seen["polled"] = call_with_timeout(
            lambda: get_product(r, db, product_id, 60, wait=0.3), timeout=10
        )
    except AssertionError:  # still running after 10 s
        seen["polled"] = "no answer after 10 s"
    seen["gets while polling"] = r.info("commandstats").get("cmdstat_get", {}).get("calls", 0)
    seen["ttl after the wait"] = r.ttl(f"product:{product_id}")
    # The holder stores its entry while the request waits.
    product_id = 10_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "mine")
    r.set(f"lock:product:{product_id}", "holder", px=10_000)
    filler = threading.Timer(
        0.15, lambda: r.set(f"product:{product_id}", entry(3, "the holder's"))
    )
    filler.start()
    before = db.reads
    try:
        seen["holder's"] = call_with_timeout(
            lambda: get_product(r, db, product_id, 60, wait=5.0), timeout=10
        )
    except AssertionError:  # still running after 10 s
        seen["holder's"] = "no answer after 10 s"
    seen["reads while the holder read"] = db.reads - before
    filler.join()
    # A write-through stores a newer entry while the database is being read.
    product_id = 11_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "old")
    db.after_read = lambda read_id: r.set(f"product:{read_id}", entry(9, "newer"))
    seen["read while a newer entry was stored"] = get_product(r, db, product_id, 60)
    db.after_read = None
    seen["entry stored while reading"] = r.get(f"product:{product_id}")
    # The database fails.
    product_id = 12_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "after the outage")

    def outage(read_id):
        raise ConnectionError("the database is down")

    db.after_read = outage
    try:
        get_product(r, db, product_id, 60)
        seen["outage raised"] = False
    except ConnectionError:
        seen["outage raised"] = True
    seen["lock after the outage"] = r.exists(f"lock:product:{product_id}")
    seen["entry after the outage"] = r.exists(f"product:{product_id}")
    db.after_read = None
    try:
        seen["after the outage"] = call_with_timeout(
            lambda: get_product(r, db, product_id, 60, wait=8.0), timeout=6
        )
    except AssertionError:  # still running after 6 s
        seen["after the outage"] = "no answer after 6 s"
    # The lock expires under its holder and the next holder takes it.
    product_id = 13_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "slow")
    db.after_read = lambda read_id: r.set(f"lock:product:{read_id}", "next-holder")
    seen["read while the lock was taken over"] = get_product(r, db, product_id, 60)
    db.after_read = None
    seen["lock taken over"] = r.get(f"lock:product:{product_id}")
    # The lock's time to live, read while the database is read.
    product_id = 14_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "v")
    lock_pttls = []
    db.after_read = lambda read_id: lock_pttls.append(r.pttl(f"lock:product:{read_id}"))
    get_product(r, db, product_id, 60, wait=3.0)
    db.after_read = None
    seen["lock pttls"] = lock_pttls
    r.close()
    return seen


_seen = beside(_observed, REDIS_URL)
expect_same(
    _seen["polled"],
    "polled",
    "a request that lost the lock must read the database after `wait` seconds",
)
expect(
    _seen["gets while polling"] <= 100,
    "while waiting for the lock's holder, check the cache every 10 ms or so, not in a busy loop",
)
expect(
    0 < _seen["ttl after the wait"] <= 60, "an entry read after the wait is stored with EX ttl"
)
expect_same(
    _seen["holder's"],
    "the holder's",
    "a request that lost the lock must return the entry as soon as the holder stores it",
)
expect_same(
    _seen["reads while the holder read"],
    0,
    "a request that lost the lock must not read the database",
)
expect_same(_seen["read while a newer entry was stored"], "old", "the value read is returned")
expect_same(
    json.loads(_seen["entry stored while reading"] or "null"),
    {"version": 9, "value": "newer"},
    "an entry stored while the database was read must be kept (SET ... NX)",
)
expect(_seen["outage raised"], "an error of db.read must propagate to the caller")
expect_same(_seen["lock after the outage"], 0, "a failing read must release the lock")
expect_same(_seen["entry after the outage"], 0, "a failing read must cache nothing")
expect_same(
    _seen["after the outage"],
    "after the outage",
    "after a failed read, the next request must read the database at once",
)
expect_same(_seen["read while the lock was taken over"], "slow", "the value read is returned")
expect_same(
    _seen["lock taken over"],
    "next-holder",
    "delete the lock only while it still holds your token",
)
expect(
    len(_seen["lock pttls"]) == 1 and 2000 < _seen["lock pttls"][0] <= 3000,
    "the lock must expire after `wait` seconds (PX in milliseconds)",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `write_product`: write-through that never goes back in time
#
# A write-through updates the database and then the cache, so that the next read is a hit with
# the new value. Two writers of the same product can be interleaved: writer 1 writes version 5
# to the database, writer 2 writes version 6 and stores it in the cache, and only then does
# writer 1 store version 5 in the cache, where it stays until it expires: a **stale** value,
# although every write "went through". The version numbers tell which entry is newer.
#
# Write `write_product(r, db, product_id, value, ttl)`:
#
# 1. Write the database first: `version = db.write(product_id, value)`. If it raises, let the
#    exception propagate and leave the cache as it was.
# 2. Store `entry(version, value)` under `product:<id>` with a time to live of `ttl` seconds,
#    unless the cache already holds an entry whose version is **greater than or equal to**
#    `version` (leave that entry, and its time to live, as they are). Reading, comparing and
#    storing must be **one atomic step**: no other client may store in between. Use a Lua script
#    (`r.eval(script, 1, key, ...)`, where `cjson.decode` reads JSON) or `WATCH`/`MULTI`
#    (`r.pipeline()`, retrying on `redis.WatchError`).
# 3. Return `version`.
#
# The hidden tests check exactly this: the entry and its time to live after a write (over a
# cached older entry, a missing one, and falsy values); a failing write changes nothing; an
# entry of the same or a newer version is kept with its time to live; two writers held in the
# order above leave the newer entry; ten writers at once leave the database's last version.


# %% nbgrader="solution" grade_id="write_product_answer"
def write_product(r, db, product_id, value, ttl):
    """Write-through: the database first, then the cache unless it holds a newer version."""
    ### BEGIN SOLUTION
    version = db.write(product_id, value)
    store_if_newer = """
    local current = redis.call('GET', KEYS[1])
    if current and cjson.decode(current)['version'] >= tonumber(ARGV[1]) then
        return 0
    end
    redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
    return 1
    """
    r.eval(store_if_newer, 1, f"product:{product_id}", version, entry(version, value), ttl)
    return version
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
_r, _db = connect(), SlowDatabase()
print(write_product(_r, _db, 2, "blue teapot", ttl=60), _r.get("product:2"))
print(write_product(_r, _db, 2, "red teapot", ttl=60), _r.get("product:2"))
_r.delete("product:2")
_r.close()

# %% [markdown]
# ### Check B1 · the database first, then the cache (3 points)

# %% nbgrader="tests" grade_id="write_product_tests_through" points=3
"""write_product writes the database, stores the new entry with its time to live over an older
one, returns the version, and changes nothing when the database refuses the write."""
from advpy.checks import beside, expect, expect_same


def write_over_an_older_entry(url):
    """Runs where your code runs: a new database holding version 1 of a product, cached in the
    Redis at `url`; then write_product(r, db, product_id, "v2", 60). What it returned, and what
    the database and Redis held after."""
    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0)
    product_id = 20_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "v1")
    r.set(f"product:{product_id}", entry(1, "v1"))
    seen = {"returned": write_product(r, db, product_id, "v2", 60)}
    seen["database"] = db.read(product_id)
    seen["entry"] = r.get(f"product:{product_id}")
    seen["ttl"] = r.ttl(f"product:{product_id}")
    r.close()
    return seen


seen = beside(write_over_an_older_entry, REDIS_URL)
expect_same(seen["returned"], 2, "write_product returns the new version")
expect_same(seen["database"], (2, "v2"), "the database holds the new value")
expect_same(
    json.loads(seen["entry"] or "null"),
    {"version": 2, "value": "v2"},
    "after a write, the cache holds the new entry",
)
expect(0 < seen["ttl"] <= 60, "the new entry expires after ttl seconds")
### BEGIN HIDDEN TESTS


def _observed(url, values):
    # Runs where the answer runs: a new product's first write, writes of falsy and nested
    # values, and writes the database refuses; what was returned, raised and stored.
    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0)
    product_id = 21_000_000 + uuid.uuid4().int % 10**6
    seen = {"first": write_product(r, db, product_id, 0, 5)}
    seen["first entry"] = r.get(f"product:{product_id}")
    seen["first pttl"] = r.pttl(f"product:{product_id}")
    seen["writes"] = []
    for value in values:
        version = write_product(r, db, product_id, value, 3600)
        seen["writes"].append(
            (version, r.get(f"product:{product_id}"), r.ttl(f"product:{product_id}"))
        )
    seen["entry before the refused write"] = r.get(f"product:{product_id}")
    try:
        write_product(r, db, product_id, None, 60)
        seen["refused raised"] = False
    except ValueError:
        seen["refused raised"] = True
    seen["entry after the refused write"] = r.get(f"product:{product_id}")
    seen["ttl after the refused write"] = r.ttl(f"product:{product_id}")
    product_id = 22_000_000 + uuid.uuid4().int % 10**6
    try:
        write_product(r, db, product_id, None, 60)
        seen["refused new raised"] = False
    except ValueError:
        seen["refused new raised"] = True
    seen["entry of the refused new"] = r.exists(f"product:{product_id}")
    r.close()
    return seen


_values = ["", [], False, {"a": [1, 2]}]
_seen = beside(_observed, REDIS_URL, _values)
expect_same(_seen["first"], 1, "a new product's first version is 1")
expect_same(
    json.loads(_seen["first entry"] or "null"),
    {"version": 1, "value": 0},
    "a write stores its entry when the cache has none, falsy values included",
)
expect(2000 < _seen["first pttl"] <= 5000, "the time to live must be the ttl given")
for _value, (_version, _entry, _ttl) in zip(_values, _seen["writes"], strict=True):
    expect_same(
        json.loads(_entry or "null"),
        {"version": _version, "value": _value},
        "each write stores its own version and value",
    )
    expect(3590 < _ttl <= 3600, "each write sets the time to live again")
expect(_seen["refused raised"], "the database's ValueError must propagate")
expect_same(
    _seen["entry after the refused write"],
    _seen["entry before the refused write"],
    "a refused write must leave the cache unchanged",
)
expect(
    3580 < _seen["ttl after the refused write"] <= 3600,
    "a refused write must not touch the entry",
)
expect(_seen["refused new raised"], "the database's ValueError must propagate")
expect_same(_seen["entry of the refused new"], 0, "a refused write must not create an entry")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · racing writers leave the newest entry (3 points)

# %% nbgrader="tests" grade_id="write_product_tests_race" points=3
"""Writer 1 writes the database, writer 2 writes the database and the cache, then writer 1
reaches the cache: the cache must keep writer 2's newer entry."""
from advpy.checks import beside, expect, expect_same


def writers_held_in_order(url):
    """Runs where your code runs: writer 1 calls write_product and is held just after its
    database write until writer 2's write_product has returned; then writer 1 goes on to the
    cache. The versions each got (None if they had not returned after 20 s) and the entry
    Redis holds after."""
    from advpy.checks import run_together

    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0)
    product_id = 23_000_000 + uuid.uuid4().int % 10**6
    second_done = threading.Event()
    order = []

    def hold_first(written_id):
        if not order:
            order.append("first wrote the database")
            second_done.wait(10)

    def second():
        while not order:
            time.sleep(0.005)
        version = write_product(r, db, product_id, "second", 60)
        second_done.set()
        return version

    db.after_write = hold_first
    try:
        versions = run_together(
            [lambda: write_product(r, db, product_id, "first", 60), second], timeout=20
        )
    except AssertionError:  # a writer still running after 20 s
        versions = None
    seen = {"versions": versions, "entry": r.get(f"product:{product_id}")}
    r.close()
    return seen


seen = beside(writers_held_in_order, REDIS_URL)
expect_same(seen["versions"], [1, 2], "each writer gets the version its database write made")
expect_same(
    json.loads(seen["entry"] or "null"),
    {"version": 2, "value": "second"},
    "the cache must keep the newer entry when an older write reaches it last",
)
### BEGIN HIDDEN TESTS


def _observed(url):
    # Runs where the answer runs: writes over an entry of a newer and of the same version,
    # then three rounds of ten writers at once, interleaved line by line in the answer's code.
    from advpy.checks import run_together

    r = redis.Redis.from_url(url, decode_responses=True)
    db = SlowDatabase(delay=0)
    product_id = 24_000_000 + uuid.uuid4().int % 10**6
    db.write(product_id, "a")
    db.write(product_id, "b")
    r.set(f"product:{product_id}", entry(5, "newer elsewhere"), ex=500)
    seen = {"over a newer": write_product(r, db, product_id, "c", 60)}
    seen["newer entry"] = r.get(f"product:{product_id}")
    seen["newer ttl"] = r.ttl(f"product:{product_id}")
    r.set(f"product:{product_id}", entry(4, "same version"), ex=500)
    write_product(r, db, product_id, "d", 60)
    seen["same entry"] = r.get(f"product:{product_id}")
    seen["same ttl"] = r.ttl(f"product:{product_id}")
    product_id = 25_000_000 + uuid.uuid4().int % 10**6
    clients = [redis.Redis.from_url(url, decode_responses=True) for _ in range(10)]
    seen["rounds"] = []
    for _ in range(3):
        try:
            versions = run_together(
                [
                    lambda c=c, n=n: write_product(c, db, product_id, f"writer {n}", 60)
                    for n, c in enumerate(clients)
                ],
                timeout=20,
                interleave=write_product,
            )
        except AssertionError:  # a writer still running after 20 s
            versions = None
        cached = r.get(f"product:{product_id}")
        seen["rounds"].append((versions, cached, db.read(product_id)[1]))
    for client in clients:
        client.close()
    r.close()
    return seen


_seen = beside(_observed, REDIS_URL)
expect_same(_seen["over a newer"], 3, "the version written is returned")
expect_same(
    json.loads(_seen["newer entry"] or "null"),
    {"version": 5, "value": "newer elsewhere"},
    "an entry of a newer version must be kept",
)
expect(_seen["newer ttl"] > 400, "a newer entry must keep its time to live")
expect_same(
    json.loads(_seen["same entry"] or "null"),
    {"version": 4, "value": "same version"},
    "an entry of the same version must be kept",
)
expect(_seen["same ttl"] > 400, "an entry of the same version keeps its time to live")
for _round, (_versions, _entry, _value) in enumerate(_seen["rounds"]):
    expect_same(
        sorted(_versions) if _versions is not None else None,
        list(range(10 * _round + 1, 10 * _round + 11)),
        "every writer gets its own version",
    )
    _final = json.loads(_entry or "null")
    expect_same(
        (_final or {}).get("version"),
        10 * _round + 10,
        "after concurrent writes, the cache must hold the database's last version",
    )
    expect_same(_final["value"], _value, "the cached value must be the database's")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `NearCache`: a cache in each process, invalidated over pub/sub
#
# Asking Redis costs a network round trip; a dictionary in the app's own process costs almost
# nothing, but each process has its own, and a write in one process leaves the others' copies
# stale. The fix of the lesson: every write **publishes** the key on a Redis channel, and every
# process listens and drops its copy.
#
# Write a class `NearCache(redis_url, channel="invalidations")`, for keys and values that are
# `str`:
#
# - `__init__` opens its own Redis connection(s) to `redis_url` (`decode_responses=True`),
#   **subscribes to `channel` before it returns** (a message published right after the
#   constructor returns must not be missed), and listens in a background thread.
# - `get(key)`: the local copy if there is one; otherwise `GET` from Redis, keep a local copy if
#   Redis had the key, and return the value (`None` when Redis has no such key; `None` is not
#   kept, so a key created later is found).
# - `set(key, value)`: `SET` in Redis, drop the local copy of `key` if there is one (the next
#   `get` reads the new value back), then publish `key` on `channel`. Every subscriber receives
#   the message, this process included, which is harmless: it only drops a copy.
# - `delete(key)`: `DEL` in Redis, drop the local copy, publish `key` on `channel`.
# - Whenever a message arrives on `channel`, its data is a key: drop that key's local copy (if
#   any). A message for a key this process does not hold changes nothing.
# - `close()`: unsubscribe, stop the background thread, close the connections. After `close()`
#   returns, the thread has ended.
#
# The hidden tests check exactly this, with two `NearCache` objects standing for two app
# processes: local copies are served without asking Redis, and `None` is not kept; a `set` or a
# `delete` in one is seen by the other within a second; any message on the channel drops the
# copy, other channels do not; the subscription exists when the constructor returns;
# `close()` ends the subscription and the thread.


# %% nbgrader="solution" grade_id="near_cache_answer"
class NearCache:
    """A local copy of Redis keys, dropped when any process publishes the key on `channel`."""

    def __init__(self, redis_url, channel="invalidations"):
        """Connect to redis_url, subscribe to channel (done when this returns), and start the
        background thread that drops the local copy of every key published on channel."""
        ### BEGIN SOLUTION
        self.channel = channel
        self.redis = redis.Redis.from_url(redis_url, decode_responses=True)
        self.local = {}  # each single dict operation below is atomic in CPython: no lock needed
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(channel)
        self.pubsub.get_message(timeout=1.0)  # the confirmation: subscribed from here on
        self.stopping = threading.Event()

        def listen():
            while not self.stopping.is_set():
                message = self.pubsub.get_message(timeout=0.05)
                if message is not None and message["type"] == "message":
                    self.local.pop(message["data"], None)

        self.thread = threading.Thread(target=listen, daemon=True)
        self.thread.start()
        ### END SOLUTION

    def get(self, key):
        """The local copy of key, else Redis's value (kept locally unless it is None)."""
        ### BEGIN SOLUTION
        value = self.local.get(key)
        if value is None:
            value = self.redis.get(key)
            if value is not None:
                self.local[key] = value
        return value
        ### END SOLUTION

    def set(self, key, value):
        """SET key in Redis, drop the local copy, publish key on the channel."""
        ### BEGIN SOLUTION
        self.redis.set(key, value)
        self.local.pop(key, None)
        self.redis.publish(self.channel, key)
        ### END SOLUTION

    def delete(self, key):
        """DEL key in Redis, drop the local copy, publish key on the channel."""
        ### BEGIN SOLUTION
        self.redis.delete(key)
        self.local.pop(key, None)
        self.redis.publish(self.channel, key)
        ### END SOLUTION

    def close(self):
        """Unsubscribe, end the background thread (before returning), close the connections."""
        ### BEGIN SOLUTION
        self.stopping.set()
        self.thread.join()
        self.pubsub.unsubscribe()
        self.pubsub.close()
        self.redis.close()
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
_a, _b = NearCache(REDIS_URL, "scratch"), NearCache(REDIS_URL, "scratch")
_a.set("greeting", "hello")
print(_b.get("greeting"))
_a.set("greeting", "hi")
time.sleep(0.2)
print(_b.get("greeting"))
_a.close()
_b.close()

# %% [markdown]
# ### Check C1 · local copies (3 points)

# %% nbgrader="tests" grade_id="near_cache_tests_local" points=3
"""A NearCache serves its local copy without asking Redis again, and keeps no copy of a key
Redis does not have."""
from advpy.checks import expect_same

_r = connect()
_channel = f"inv-{uuid.uuid4().hex}"
_key = f"k-{uuid.uuid4().hex}"
_a, _b = NearCache(REDIS_URL, _channel), NearCache(REDIS_URL, _channel)
try:
    _a.set(_key, "one")
    expect_same(_r.get(_key), "one", "set() must store the value in Redis")
    expect_same(_b.get(_key), "one", "another NearCache reads the value from Redis")
    _r.set(_key, "changed behind its back")  # no message published
    expect_same(_b.get(_key), "one", "get() must serve the local copy without asking Redis")
    ### BEGIN HIDDEN TESTS
    _new = f"n-{uuid.uuid4().hex}"
    expect_same(_b.get(_new), None, "get() of a key Redis does not have returns None")
    _r.set(_new, "created later")
    expect_same(_b.get(_new), "created later", "None must not be kept as a local copy")
    _r.set(_new, "changed again")
    expect_same(_b.get(_new), "created later", "a value read from Redis is kept as a copy")
    _empty = f"e-{uuid.uuid4().hex}"
    _r.set(_empty, "")
    expect_same(_b.get(_empty), "", "an empty string is a value")
    _r.set(_empty, "not empty")
    expect_same(_b.get(_empty), "", "an empty string is kept as a local copy like any value")
    _a.delete(_key)
    expect_same(_r.exists(_key), 0, "delete() must delete the key in Redis")
    expect_same(_a.get(_key), None, "delete() must drop the local copy")
    ### END HIDDEN TESTS
finally:
    _a.close()
    _b.close()
    _r.close()

# %% [markdown]
# ### Check C2 · invalidation over pub/sub (4 points)

# %% nbgrader="tests" grade_id="near_cache_tests_invalidation" points=4
"""A set() in one NearCache is seen by the other within a second (its copy dropped by the
message), and close() ends the subscription."""
from advpy.checks import beside, expect, expect_same


def _eventually(read, expected, seconds=1.0):
    deadline = time.monotonic() + seconds
    while read() != expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return read()


def close_both(a, b):
    """Runs where your code runs: a.close(), then b.close(); how many threads were running
    there before and right after."""
    before = threading.active_count()
    a.close()
    b.close()
    return before, threading.active_count()


_r = connect()
### BEGIN HIDDEN TESTS
_clients_before = _r.info("clients")["connected_clients"]
### END HIDDEN TESTS
_channel = f"inv-{uuid.uuid4().hex}"
_key = f"k-{uuid.uuid4().hex}"
_a, _b = NearCache(REDIS_URL, _channel), NearCache(REDIS_URL, _channel)
try:
    expect_same(
        _r.pubsub_numsub(_channel),
        [(_channel, 2)],
        "each NearCache must be subscribed to the channel when its constructor returns",
    )
    _a.set(_key, "one")
    expect_same(_b.get(_key), "one", "another NearCache reads the value from Redis")
    _a.set(_key, "two")
    expect_same(
        _eventually(lambda: _b.get(_key), "two"), "two", "b must see a's set() within a second"
    )
    ### BEGIN HIDDEN TESTS
    _r.set(_key, "three")
    _r.publish(_channel, _key)
    expect_same(
        _eventually(lambda: _a.get(_key), "three"),
        "three",
        "any message on the channel must drop the copy of the key it names",
    )
    expect_same(_eventually(lambda: _b.get(_key), "three"), "three", "in every NearCache")
    _r.set(_key, "four")
    _r.publish(f"other-{_channel}", _key)
    _r.publish(_channel, f"unrelated-{_key}")
    _r.publish(_channel, f"x-{_key}")
    time.sleep(0.2)
    expect_same(_b.get(_key), "three", "messages of other channels or keys change nothing")
    _r.publish(_channel, _key)
    _eventually(lambda: _a.get(_key), "four")
    time.sleep(0.5)  # every message published so far has been handled
    expect_same(_a.get(_key), "four", "a reads the value Redis holds now")
    _r.set(_key, "five")  # no message: a keeps its copy
    expect_same(_a.get(_key), "four", "a serves its local copy")
    _b.delete(_key)
    expect_same(
        _eventually(lambda: _a.get(_key), None), None, "a delete() in one must reach the other"
    )
    _default = NearCache(REDIS_URL)
    try:
        expect_same(
            dict(_r.pubsub_numsub("invalidations")).get("invalidations", 0) >= 1,
            True,
            "the default channel must be 'invalidations'",
        )
    finally:
        _default.close()
    _c = NearCache(REDIS_URL, _channel)
    _c.set(_key, "five")
    _c.close()
    expect_same(
        _eventually(lambda: _a.get(_key), "five"), "five", "a set() right after a constructor"
    )
    ### END HIDDEN TESTS
finally:
    threads = beside(close_both, _a, _b)
    _r.close()
_r = connect()
expect_same(
    _eventually(lambda: _r.pubsub_numsub(_channel), [(_channel, 0)]),
    [(_channel, 0)],
    "close() must unsubscribe",
)
### BEGIN HIDDEN TESTS
expect(
    threads[1] <= threads[0] - 2,
    "close() must end the background thread before it returns",
)
expect_same(
    _eventually(lambda: _r.info("clients")["connected_clients"], _clients_before),
    _clients_before,
    "close() must close every connection the NearCache opened",
)


def _slow_listener_proxy(delay):
    """A TCP proxy to this notebook's Redis that is fast for commands and slow (by `delay`
    seconds each way) for a connection from the moment it sends SUBSCRIBE."""
    listener = socket.create_server(("127.0.0.1", 0))

    def pump(source, target, state, upstream):
        try:
            while data := source.recv(65536):
                if upstream and b"SUBSCRIBE" in data.upper():
                    state["slow"] = True
                if state["slow"]:
                    time.sleep(delay)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def accept():
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection((SERVER.host, SERVER.port))
            state = {"slow": False}
            for ends in ((client, server, state, True), (server, client, state, False)):
                threading.Thread(target=pump, args=ends, daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener, f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


_proxy, _slow_url = _slow_listener_proxy(0.2)
_channel = f"inv-{uuid.uuid4().hex}"
_key = f"k-{uuid.uuid4().hex}"
_slow = NearCache(_slow_url, _channel)
try:
    expect_same(
        _r.pubsub_numsub(_channel),
        [(_channel, 1)],
        "on a slow network too, the constructor must return only once Redis has confirmed the "
        "subscription",
    )
    _r.set(_key, "one")
    expect_same(_slow.get(_key), "one", "get() reads Redis through any network")
    _slow.set(_key, "two")
    expect_same(
        _slow.get(_key),
        "two",
        "set() must drop its own local copy itself: its own message may arrive much later",
    )
    _slow.delete(_key)
    expect_same(
        _slow.get(_key),
        None,
        "delete() must drop its own local copy itself: its own message may arrive much later",
    )
finally:
    _slow.close()
    _proxy.close()
### END HIDDEN TESTS
_r.close()

# %% [markdown]
# ## Done
#
# Restart the kernel, run all cells, and press **Validate**. The Redis server of this notebook
# stops with the kernel.
