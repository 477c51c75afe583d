"""Lesson 15 (rate limiting) runs top to bottom against a real Redis and real uvicorn servers, in
fast mode, and prints what its prose promises: the five limiters on one bursty trace (the fixed
window doubling its limit at a boundary, the sliding log exact), the naive shared counter losing
an update, the atomic ones holding their limit exactly under load from several processes, 429
with Retry-After and RateLimit headers per user and globally, and counters in process memory
multiplying the limit across two app processes. Its helpers are tested directly too, with
injected clocks and over real connections."""

from __future__ import annotations

import re

import matplotlib
import matplotlib.pyplot as plt
import pytest
from test_notebooks import markdown, number, printed, run_lesson

from advpy.lessons.rate_limiting.algorithms import (
    FixedWindow,
    LeakyBucket,
    SlidingLog,
    SlidingWindowCounter,
    TokenBucket,
    make_limiters,
)
from advpy.lessons.rate_limiting.app import ceil_seconds, make_app
from advpy.lessons.rate_limiting.load import measure_accuracy, plot_accuracy
from advpy.lessons.rate_limiting.shared import (
    SHARED_LIMITERS,
    lua_sliding_window,
    naive_fixed_window,
    window_key,
)
from advpy.lessons.rate_limiting.traffic import (
    bursty_traffic,
    most_in_any_window,
    plot_replays,
    replay,
    trailing_counts,
)
from advpy.services import RedisServer, redis_server, running_services, serve_app

matplotlib.use("Agg")

NAME = "15_rate_limiting"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_replays_one_trace_through_five_limiters() -> None:
    out = printed(run_lesson(NAME))
    busiest = {
        name.strip(): int(most)
        for name, most in re.findall(
            r"^ *([a-z ]+): +\d+ allowed, +\d+ rejected, at most +(\d+) reached", out, re.M
        )
    }
    assert set(busiest) == set(make_limiters(10, 1.0)), busiest
    assert busiest["fixed window"] == 20, "the fixed window doubles its limit at the boundary"
    assert busiest["sliding log"] == 10, "the sliding log is exact"
    assert busiest["leaky bucket"] <= 11 and busiest["token bucket"] > 10
    assert 10 < busiest["sliding window counter"] < busiest["fixed window"]
    assert "sliding log now holds 5 timestamps; at a limit of 1000, 1000" in out


@pytest.mark.slow
def test_lesson_shows_the_naive_counter_losing_an_update_and_atomic_ones_holding() -> None:
    out = printed(run_lesson(NAME))
    assert "both saw 4 < 5 and allowed a request: 6 allowed, counter says 5" in out
    verdicts = re.findall(r"t = +(\d+) ms: allowed=(True|False) +remaining=(\d)", out)
    assert [v[1] for v in verdicts] == ["True"] * 3 + ["False", "True", "False", "True"]
    assert "keys: ['ada:0', 'ada:1']" in out
    lines = dict(re.findall(r"^ *(.+?): +(\d+) let through \(", out, re.M))
    assert set(lines) == set(SHARED_LIMITERS)
    limit = int(re.search(r"x \d+ requests, limit (\d+)", out).group(1))
    for name in list(SHARED_LIMITERS)[1:]:
        assert number(lines[name]) == limit, f"{name} must hold the limit exactly"
    assert number(lines["GET then SET (naive)"]) >= limit


@pytest.mark.slow
def test_lesson_answers_429_with_the_headers_per_user_and_globally() -> None:
    out = printed(run_lesson(NAME))
    statuses = re.findall(r"^(?:[a-z]+: )?(200|429) \{'ratelimit-limit': '(\d)'", out, re.M)
    assert [s for s, _ in statuses] == ["200"] * 3 + ["429"] + ["200"] * 3 + ["429"] + [
        "200"
    ] * 3 + ["429"]
    assert statuses[7] == ("429", "2"), "the decorated route's 429 carries its own limit"
    rejected = re.findall(r"'ratelimit-reset': '(\d+)', 'retry-after': '(\d+)'", out)
    assert len(rejected) == 3 and all(reset == retry for reset, retry in rejected)
    assert "dave: 429" in out


@pytest.mark.slow
def test_lesson_shows_counters_in_memory_multiplying_the_limit_and_cleans_up() -> None:
    out = printed(run_lesson(NAME))
    assert "counters in  memory of each process: 8 of 8 allowed" in out
    assert "counters in            shared Redis: 4 of 8 allowed" in out
    assert "Redis stopped: True" in out
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 2, "the lesson draws the replays and the accuracy under load"


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("429", "Retry-After", "RFC 6585", "RateLimit-Policy", "MULTI", "Lua", "ps36"):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps15_rate_limiting.ipynb" in text


# --- the helpers, with an injected clock --------------------------------------------------------


def test_token_bucket_allows_a_burst_then_its_rate() -> None:
    bucket = TokenBucket(capacity=3, rate=2.0)
    assert [bucket.allow(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.allow(0.5) and not bucket.allow(0.5)
    assert bucket.allow(10.0) and bucket.tokens == 2  # refilled to capacity, not beyond


def test_leaky_bucket_queues_and_releases_at_its_rate() -> None:
    bucket = LeakyBucket(capacity=2, rate=10.0)
    assert [bucket.allow(1.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.served == pytest.approx([1.0, 1.1, 1.2])
    assert bucket.allow(1.15)  # the request served at 1.1 has left the queue
    assert bucket.served[-1] == pytest.approx(1.3)


def test_fixed_window_resets_at_each_boundary_and_lets_twice_through_across_it() -> None:
    window = FixedWindow(limit=2, window=1.0)
    times = [0.9, 0.95, 0.99, 1.0, 1.05, 1.1]
    assert [window.allow(t) for t in times] == [True, True, False, True, True, False]


def test_sliding_log_and_counter() -> None:
    log = SlidingLog(limit=2, window=1.0)
    assert [log.allow(t) for t in (0.0, 0.5, 0.9, 1.0, 1.4, 1.5)] == [
        True,
        True,
        False,
        True,
        False,
        True,
    ]
    counter = SlidingWindowCounter(limit=3, window=1.0)
    assert [counter.allow(t) for t in (0.1, 0.2, 0.3, 0.4)] == [True, True, True, False]
    assert counter.estimate(1.5) == pytest.approx(1.5)
    assert counter.allow(1.5) and not counter.allow(1.6) and counter.allow(1.9)
    assert counter.estimate(3.5) == 0  # two windows later nothing counts


def test_trace_and_replays_are_deterministic_and_drawn() -> None:
    arrivals = bursty_traffic(seed=15)
    assert arrivals == sorted(arrivals) == bursty_traffic(seed=15)
    assert most_in_any_window([0.0, 0.5, 1.0, 1.5], 1.0) == 2
    assert trailing_counts([0.0, 0.5, 1.0], 1.0, [0.0, 1.0, 2.0]) == [1, 2, 0]
    replays = [replay(n, lim, arrivals) for n, lim in make_limiters(10, 1.0).items()]
    assert [r.busiest(1.0) for r in replays] == [19, 11, 20, 10, 12]
    fig, axes = plot_replays(replays, 10, 1.0)
    assert len(axes) == 6 and "fixed window" in axes[3].get_title()
    plt.close(fig)
    assert ceil_seconds(0) == 0 and ceil_seconds(1) == 1 and ceil_seconds(1000) == 1
    assert ceil_seconds(10**18 + 1) == 10**15 + 1


# --- the helpers, over real connections ---------------------------------------------------------


@pytest.fixture(scope="module")
def cache() -> RedisServer:
    with redis_server() as server:
        yield server


def test_shared_limiters_agree_alone_and_expire_their_counters(cache: RedisServer) -> None:
    client = cache.connect()
    client.flushdb()
    for name, limiter in SHARED_LIMITERS.items():
        verdicts = [limiter(client, name, 3, 1000, 5_000 + i).allowed for i in range(5)]
        assert verdicts == [True, True, True, False, False], name
        counter, reset_ms = window_key(name, 5_000, 1000)
        assert reset_ms == 1000 and 0 < client.pttl(counter) <= 2000, name
    sliding = "Lua sliding window counter"  # its previous window holds 3 requests
    assert not lua_sliding_window(client, sliding, 3, 1000, 6_100).allowed
    assert lua_sliding_window(client, sliding, 3, 1000, 6_600).allowed
    assert naive_fixed_window(client, "n", 1, 1000, 0).remaining == 0
    client.close()


def test_accuracy_under_load_from_two_processes(cache: RedisServer) -> None:
    records = measure_accuracy(cache.url, limit=20, processes=2, requests_each=30)
    assert [r.limiter for r in records] == list(SHARED_LIMITERS)
    for record in records[1:]:
        assert record.allowed == 20 and record.excess == 0 and len(record.per_process) == 2
    assert records[0].allowed >= 20 and records[0].sent == 60
    fig, ax = plot_accuracy(records)
    assert len(ax.patches) == 2 * len(records)
    plt.close(fig)


def test_app_limits_per_user_and_its_decorated_route(cache: RedisServer) -> None:
    cache.client.flushdb()
    app = make_app(limit=2, window_s=3600, url=cache.url, search_limit=1)
    app.state.limiter.clock = lambda: 7_200.5  # half a second into a window of an hour
    with serve_app(app, ready_path="/ready") as api:
        ok = api.client.get("/hello", headers={"X-User": "a"})
        assert ok.status_code == 200 and ok.headers["ratelimit-remaining"] == "1"
        assert ok.headers["ratelimit-reset"] == "3600" and "retry-after" not in ok.headers
        api.client.get("/hello", headers={"X-User": "a"})
        no = api.client.get("/hello", headers={"X-User": "a"})
        assert no.status_code == 429 and no.headers["retry-after"] == "3600"
        assert no.json() == {"detail": "rate limit exceeded"}
        assert api.client.get("/hello", headers={"X-User": "b"}).status_code == 200
        assert api.client.get("/search", headers={"X-User": "c"}).status_code == 200
        second = api.client.get("/search", headers={"X-User": "c"})
        assert second.status_code == 429 and second.headers["ratelimit-limit"] == "1"
        assert api.client.get("/ready").status_code == 200


def test_memory_store_counts_per_process_and_global_scope_shares() -> None:
    app = make_app(limit=1, window_s=3600, url=None, scope="global")
    with serve_app(app, ready_path="/ready") as api:
        assert api.client.get("/hello", headers={"X-User": "a"}).status_code == 200
        assert api.client.get("/hello", headers={"X-User": "b"}).status_code == 429
    assert not [s for s in running_services() if s.kind != "Redis"]
