"""Lesson 14 (caching strategies) runs top to bottom against a real Redis, a real Memcached and
an SQLite database, in fast mode, and prints what its prose promises: both servers measured
per operation and batched, Redis's data types next to Memcached's bytes, five strategies over
one workload (stale reads only without invalidation, read-through equal to cache-aside,
write-behind batching and losing its queue in a crash), TTLs, versioned keys, pub/sub
invalidation between three real processes (one of them not listening) and what lru_cache
misses, the stampede and its fixes, noeviction refusing writes and LFU keeping hot keys through
a scan, and nothing left running. Its helpers are tested directly too, on real servers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import pytest
from test_notebooks import markdown, number, printed, run_lesson

from advpy.lessons.caching.database import ShopDatabase
from advpy.lessons.caching.eviction import measure_eviction, plot_eviction
from advpy.lessons.caching.latency import measure_latencies, plot_latencies
from advpy.lessons.caching.processes import AppProcess, invalidation_delays
from advpy.lessons.caching.stampede import measure_stampede, plot_stampede
from advpy.lessons.caching.strategies import (
    STRATEGIES,
    WriteBehind,
    make_workload,
    plot_hit_ratio,
    plot_read_latency,
    run_workload,
    summarize,
)
from advpy.services import RedisServer, memcached_server, redis_server, running_services

matplotlib.use("Agg")

NAME = "14_caching"


# --- the lesson, fast mode ---------------------------------------------------------------------


def strategy_lines(out: str) -> dict[str, dict[str, float]]:
    found = {}
    pattern = (
        r"^ *(.+?): hit ratio ([\d.]+), +(\d+) stale reads, +(\d+) queries \+ +(\d+) write "
        r"transactions, read ([\d.]+) ms, write ([\d.]+) ms$"
    )
    for match in re.finditer(pattern, out, re.M):
        name, *values = match.groups()
        keys = ("hit_ratio", "stale", "queries", "transactions", "read", "write")
        found[name] = dict(zip(keys, map(number, values), strict=True))
    return found


@pytest.mark.slow
def test_lesson_measures_both_servers_and_shows_what_redis_adds() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"Redis \d+\.\d+\.\d+ on port \d+, redis-py 8\.1\.0", out)
    assert re.search(r"Memcached 1\.6\.\d+ on port \d+, pymemcache 4\.0\.0", out)
    assert "shop database: 500 products, 30,000 reviews in shop.sqlite" in out
    assert re.search(r"the query: [\d.]+ ms; a cache hit: [\d.]+ ms; ratio \d+x", out)
    for operation in ("SET", "GET", "GET (miss)", "100 GETs in a pipeline", "MGET of 100 keys"):
        found = re.search(rf"Redis {re.escape(operation)} +best +[\d.]+ µs per key, median", out)
        assert found, operation
    for operation in ("SET", "GET", "GET (miss)", "get of 100 keys"):
        assert re.search(rf"Memcached {re.escape(operation)} +best +[\d.]+ µs", out), operation
    assert re.search(r"Redis: one key per round trip costs [\d.]+x more per key", out)
    assert "{'name': 'teapot', 'price_cents': '2500', 'stock': '2'}" in out
    assert "[('kettle', 9.0), ('teapot', 5.0)]" in out
    assert 'b\'{"name": "teapot", "stock": 3}\'' in out
    assert "None True 1" in out, "incr of a missing key, add, incr"
    assert "set without waiting for the answer: True" in out
    assert "set that waits for the answer: b'object too large for cache'" in out
    assert "stored? None" in out


@pytest.mark.slow
def test_lesson_compares_the_strategies_on_one_workload() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"^300 operations, \d+ of them writes$", out, re.M)
    runs = strategy_lines(out)
    assert list(runs) == list(STRATEGIES)
    assert runs["cache-aside, TTL only"]["stale"] > 0, "without invalidation some reads are stale"
    for name in ("cache-aside", "read-through", "write-through", "write-behind"):
        assert runs[name]["stale"] == 0, f"{name} served a stale read"
    for key in ("hit_ratio", "queries", "transactions"):
        assert runs["read-through"][key] == runs["cache-aside"][key], key
    assert runs["write-through"]["hit_ratio"] > runs["cache-aside"]["hit_ratio"]
    assert runs["write-behind"]["hit_ratio"] == runs["write-through"]["hit_ratio"]
    assert runs["write-behind"]["transactions"] <= runs["write-through"]["transactions"]
    assert "queued, not in the database: {1: 1, 2: 1, 3: 1}" in out
    before = re.search(r"the database still says: (\[[\d, ]+\])", out)
    after = re.search(r"after the crash, the database says: (\[[\d, ]+\]) and the cache", out)
    assert before and after and before.group(1) == after.group(1), "the queued writes are lost"
    assert "and the cache says: [1, 1, 1]" in out


@pytest.mark.slow
def test_lesson_invalidates_by_ttl_version_and_pubsub() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"TTL: 60 s; PTTL: \d+ ms", out)
    assert "after a plain SET the TTL is -1 (-1: no expiry)" in out
    assert "TTL of a missing key: -2 (-2)" in out
    assert "cached under catalogue:v0:page:7 -> 1" in out
    assert "now looked up under catalogue:v1:page:7 -> 0" in out
    assert re.search(r"3 app processes, pids \d+, \d+, \d+, ready after \d+ ms", out)
    price = re.search(r"A, first read -> \((\d+), 'database'\)", out)
    assert price, "the first read goes to the database"
    old = price.group(1)
    assert f"B, after A    -> ({old}, 'Redis')" in out
    assert f"B, again      -> ({old}, 'own dictionary')" in out
    assert f"C, after A    -> ({old}, 'Redis')" in out
    assert "A after A's write -> (999, 'database')" in out
    assert "B after A's write -> (999, 'Redis')" in out
    assert f"C after A's write -> ({old}, 'own dictionary')" in out, "C did not listen"
    assert re.search(r"10 invalidations: median [\d.]+ ms, slowest [\d.]+ ms", out)
    assert (
        "A: (999, 'lru_cache miss') | B: (999, 'lru_cache miss') | A: (999, 'lru_cache hit')" in out
    )
    assert (
        "after B's write, A's lru_cache says (999, 'lru_cache hit') and A's near cache says "
        "(1111, 'database')" in out
    )
    assert "app processes stopped: [0, 0, 0]" in out


@pytest.mark.slow
def test_lesson_shows_the_stampede_its_fixes_and_eviction() -> None:
    notebook = run_lesson(NAME)
    out = printed(notebook)
    assert "8 threads for 0.8 s; the page lives 0.2 s;" in out
    queries = {}
    for mode, count in re.findall(
        r"^ *([a-z +]+): +\d+ requests, +(\d+) database queries", out, re.M
    ):
        queries[mode] = int(count)
    assert set(queries) == {"no protection", "lock", "early refresh", "early refresh + lock"}
    assert queries["lock"] <= 5, "with the lock, about one query per expiry (4 expiries)"
    assert queries["early refresh + lock"] <= 10
    assert "policy: {'maxmemory-policy': 'noeviction'}" in out
    assert re.search(r"write \d+ refused: command not allowed when used memory > 'maxmemory'", out)
    kept = dict(re.findall(r"(allkeys-l[rf]u): hot-key hit ratio ([\d.]+) during the scan", out))
    assert float(kept["allkeys-lfu"]) >= float(kept["allkeys-lru"])
    assert re.search(r"allkeys-lfu: .* 400 of 400 hot keys still cached at the end", out)
    images = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 5, "latencies, hit ratio, read time, stampede, eviction"
    assert "servers stopped: True | database folder removed: True" in out


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in (
        "noeviction",
        "allkeys-lru",
        "allkeys-lfu",
        "KEEPTTL",
        "default_noreply",
        "XFetch",
        "NX",
        "at most once",
        "lru_cache",
    ):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps14_caching.ipynb" in text


# --- the helpers, on real servers ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with redis_server() as started:
        yield started


@pytest.fixture(scope="module")
def db() -> Iterator[ShopDatabase]:
    with ShopDatabase(products=50, reviews=2000) as shop:
        yield shop


def test_the_database_answers_pages_counts_queries_and_cleans_up() -> None:
    with ShopDatabase(products=10, reviews=500, seed=1) as shop:
        page = shop.page(3)
        assert page is not None and set(page) == {
            "id",
            "name",
            "price_cents",
            "version",
            "reviews",
            "stars",
        }
        assert page["version"] == 1 and shop.page(99) is None
        assert shop.set_price(3, 123) == 2 and shop.page(3)["price_cents"] == 123
        shop.set_prices([(1, 7), (2, 8)])
        assert (shop.price(1), shop.price(2)) == (7, 8)
        assert (shop.reads, shop.writes) == (3, 2)
        folder = shop.folder
    assert not folder.exists()


def test_strategies_differ_as_the_lesson_says(server: RedisServer, db: ShopDatabase) -> None:
    r = server.connect(decode_responses=True)
    workload = make_workload(200, db.products, write_share=0.2, seed=3)
    runs = {}
    for name, strategy in STRATEGIES.items():
        r.flushdb()
        runs[name] = run_workload(strategy(r, db, ttl=300), workload, db)
    assert runs["cache-aside, TTL only"].stale_reads > 0
    assert all(runs[n].stale_reads == 0 for n in list(STRATEGIES)[1:])
    assert runs["read-through"].hits == runs["cache-aside"].hits
    assert runs["write-through"].hit_ratio > runs["cache-aside"].hit_ratio
    last = {op.product_id: op.cents for op in workload if op.kind == "write"}
    assert all(db.price(p) == cents for p, cents in last.items()), "write-behind flushed at close"
    buckets = summarize(runs["cache-aside"], buckets=4)
    assert [b.done for b in buckets] == [50, 100, 150, 200]
    for plot in (plot_hit_ratio, plot_read_latency):
        fig, ax = plot(list(runs.values()))
        assert len(ax.get_lines()) == len(STRATEGIES)
        plt.close(fig)
    r.close()


def test_write_behind_loses_what_it_has_not_flushed(server: RedisServer, db: ShopDatabase) -> None:
    r = server.connect(decode_responses=True)
    before = db.price(5)
    behind = WriteBehind(r, db, ttl=60, interval=3600)
    r.delete("page:5", "page:6")
    behind.write(5, 1)
    assert behind.read(5) == ({**db.page(5), "price_cents": 1}, False), "the queue is the truth"
    assert behind.read(5)[0]["price_cents"] == 1
    behind.read(6)
    behind.write(6, 2)
    assert behind.read(6)[0]["price_cents"] == 2 and behind.read(6)[1] is True
    assert behind.pending == {5: 1, 6: 2} and db.price(5) == before
    behind.pending.clear()
    behind.close()
    assert db.price(5) == before
    r.close()


def test_the_lock_makes_one_query_per_expiry(server: RedisServer, db: ShopDatabase) -> None:
    run = measure_stampede(
        lambda: server.connect(decode_responses=True), db, "lock", threads=4, seconds=0.3, ttl=0.1
    )
    assert run.requests > 0 and run.expiries == 3
    assert 1 <= run.db_reads <= run.expiries + 1
    fig, ax = plot_stampede([run])
    assert len(ax.get_lines()) == 1 + 3  # the queries, and a line at each expiry
    plt.close(fig)


def test_lfu_keeps_the_hot_keys_through_a_scan() -> None:
    with redis_server(settings={"maxmemory": "4mb"}) as small:
        r = small.connect(decode_responses=True)
        runs = [
            measure_eviction(r, p, hot_keys=300, scan_keys=4000)
            for p in ("allkeys-lru", "allkeys-lfu")
        ]
        r.close()
    lru, lfu = runs
    assert lru.evicted > 0 and lfu.evicted > 0
    assert lfu.hot_kept_at_end == 300 and lfu.hit_ratio >= lru.hit_ratio
    fig, ax = plot_eviction(runs)
    assert len(ax.get_lines()) == 2
    plt.close(fig)


def test_both_servers_are_measured(server: RedisServer) -> None:
    with memcached_server() as memcached:
        records = measure_latencies(server.connect(), memcached.client, repeats=50, batch=10)
    assert [(r.server, r.operation) for r in records][-1] == ("Memcached", "get of 10 keys")
    assert len(records) == 9 and all(r.median > 0 for r in records)
    fig, ax = plot_latencies(records)
    plt.close(fig)


def test_app_processes_share_redis_and_invalidate_each_other(
    server: RedisServer, db: ShopDatabase
) -> None:
    with (
        AppProcess("A", server.url, str(db.path)) as a,
        AppProcess("B", server.url, str(db.path)) as b,
        AppProcess("C", server.url, str(db.path), listen=False) as c,
    ):
        server.client.delete("price:9")
        assert a.call("get", 9)[1] == "database"
        assert b.call("get", 9)[1] == "Redis" and b.call("get", 9)[1] == "own dictionary"
        assert c.call("get", 9)[1] == "Redis"
        a.call("set_price", 9, 4242)
        assert b.call("sync") is True
        assert b.call("get", 9) == (4242, "database"), "B's copy was dropped, Redis's deleted"
        assert c.call("get", 9)[1] == "own dictionary" and c.call("get", 9)[0] != 4242
        assert len(invalidation_delays(a, b, [10, 11, 12])) == 3
        with pytest.raises(ValueError, match="unknown command"):
            a.call("dance")
    assert all(p.process.exitcode == 0 for p in (a, b, c))

    assert server in running_services()
