"""Lesson 05 (decorators) shows and measures what its prose promises: what `wraps` keeps, the
stacking order, the method and async traps, the cost of a wrapper per call, what a cache
holds, the guards on a real endpoint, retries against a real flaky server, and the herd model;
it also runs in full mode. The lesson's helpers are tested here too."""

from __future__ import annotations

import asyncio
import re

import pytest
from test_notebooks import execute_lesson, markdown, number, printed, run_lesson

from advpy.lessons.decorators import auth, caching, flaky, herd, overhead, wrappers
from advpy.lessons.decorators.server import LoopbackServer, Request, Response, Router, fetch

NAME = "05_decorators"


@pytest.fixture(scope="module")
def out() -> str:
    return printed(run_lesson(NAME))


# --- what the lesson prints (fast mode) ---------------------------------------------------------


@pytest.mark.slow
def test_wraps_keeps_name_doc_and_signature(out: str) -> None:
    assert "wrapper | None | (*args, **kwargs)" in out
    assert "greet | Say hello to someone. | (name)" in out
    assert "shout: __qualname__ = 'shout.<locals>.wrapper'" in out
    assert "shout_wrapped: __qualname__ = 'greet'" in out


@pytest.mark.slow
def test_stacked_decorators_apply_bottom_up_and_run_top_down(out: str) -> None:
    steps = [
        "decorating with bottom",
        "decorating with top",
        "top: in",
        "bottom: in",
        "handler runs",
        "bottom: out",
        "top: out",
    ]
    places = [out.find(step) for step in steps]
    assert -1 not in places and places == sorted(places), places


@pytest.mark.slow
def test_method_and_async_traps_are_shown_and_fixed(out: str) -> None:
    assert "TypeError: Greeter.hello() missing 1 required positional argument" in out
    assert "hello, ada | calls counted: 1" in out
    naive, fixed = re.findall(r"^slow_lookup took ([\d.]+) ms", out, re.M)
    assert number(naive) < 100, "the naive wrapper should time only the coroutine's creation"
    assert number(fixed) >= 190, "the async wrapper should time the whole 200 ms sleep"
    flags = re.findall(r"^a coroutine function\? (True|False)", out, re.M)
    assert flags == ["False", "True"]


@pytest.mark.slow
def test_overhead_is_measured_for_every_variant(out: str) -> None:
    rows = dict(re.findall(r"^(.+?)\s+([\d,]+) ns per call", out, re.M))
    assert set(rows) == set(overhead.variants()), rows
    assert all(number(value) > 0 for value in rows.values())


@pytest.mark.slow
def test_caches_count_hold_memory_and_leak(out: str) -> None:
    assert "computed with 81 calls" in out
    assert "without the cache: 7.6e+16 calls" in out
    held = {
        label: (number(entries), number(kib))
        for label, entries, kib in re.findall(
            r"^(functools\.cache \(unbounded\)|lru_cache\(maxsize=256\))\s*:\s*([\d,]+) entries,"
            r"\s*([\d,]+) KiB still held",
            out,
            re.M,
        )
    }
    unbounded, bounded = held["functools.cache (unbounded)"], held["lru_cache(maxsize=256)"]
    assert bounded[0] == 256 and unbounded[0] > 256
    assert unbounded[1] > 2 * bounded[1], "the unbounded cache should hold far more memory"
    assert "['new', 'vip']" in out
    assert "instance still alive after del: True" in out


@pytest.mark.slow
def test_ttl_demo_expires_exactly_at_the_period(out: str) -> None:
    fetched = dict(re.findall(r"^t =\s*([\d.]+) s: fetched (\d) time", out, re.M))
    assert fetched["29.999"] == "1" and fetched["30.000"] == "2", fetched


@pytest.mark.slow
def test_the_guards_answer_401_403_and_the_misplaced_one_lets_anyone_in(out: str) -> None:
    answers = re.findall(r"^GET (\S+)\s+(.+?)\s+-> (\d{3})", out, re.M)
    assert answers == [
        ("/health", "no token", "200"),
        ("/reports", "no token", "401"),
        ("/reports", "forged", "401"),
        ("/reports", "ada", "200"),
        ("/admin", "ada", "403"),
        ("/admin", "grace", "200"),
        ("/export", "no token", "200"),
    ]
    assert "inspect.signature says: (request: 'Request', user: 'User')" in out


@pytest.mark.slow
def test_retries_over_real_http(out: str) -> None:
    assert "gave up after [5] attempts; pauses: [0.05, 0.1, 0.2, 0.3]" in out
    bare = number(re.search(r"without retry: (\d+) of 20 lookups failed", out).group(1))
    patient = number(re.search(r"with retry:\s+(\d+) of 20 lookups failed", out).group(1))
    assert patient < bare, "retrying should rescue lookups that failed bare"
    requests = number(re.search(r"the server answered (\d+) requests for 20", out).group(1))
    assert requests > 20, "retries should cost the server extra requests"
    attempts = dict(re.findall(r"^on=(\w+)\s*: (\d) attempt", out, re.M))
    assert attempts == {"ServiceUnavailable": "1", "Exception": "4"}


@pytest.mark.slow
def test_the_herd_model_shows_what_jitter_buys(out: str) -> None:
    rows = {
        strategy: (number(done), number(sent), number(used))
        for strategy, done, sent, used in re.findall(
            r"^jitter=(\w+)\s*: all served after\s+([\d,]+) ms,\s+([\d,]+) requests sent, "
            r"peak\s+[\d,]+ per slot, capacity used\s+(\d+)%",
            out,
            re.M,
        )
    }
    assert set(rows) == {"none", "full", "equal"}
    assert rows["none"][0] > 10 * rows["full"][0]
    assert rows["none"][1] > 2 * rows["full"][1]
    assert rows["none"][2] <= 2, "without jitter the server should sit idle between spikes"
    assert "double(3) = 6 | square(3) = 6" in out


def test_the_prose_names_what_the_sketch_misses() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("hmac.compare_digest", "WWW-Authenticate", "idempotent", "**model**", "Depends"):
        assert fact in text, f"the lesson no longer mentions {fact!r}"
    assert "exercises/ps05_decorators.ipynb" in text


@pytest.mark.slow
def test_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole lesson, with full-size inputs (about 15 s here)."""
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    notebook = execute_lesson(NAME)
    full = printed(notebook)
    assert "Fast mode is on" not in full
    assert re.search(r"functools\.cache \(unbounded\)\s*: 20,000 entries", full)
    assert "gave up after [5] attempts" in full


# --- the lesson's helpers -----------------------------------------------------------------------


def test_loopback_server_serves_and_stops() -> None:
    router = Router()

    @router.route("/hi")
    def hi(request: Request) -> Response:
        return Response(201, {"method": request.method}, {"X-Seen": "yes"})

    server = LoopbackServer(router)
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert fetch(server.url + "/hi") == (201, {"method": "GET"})
        assert fetch(server.url + "/nowhere")[0] == 404
        url = server.url
    with pytest.raises(RuntimeError):
        server.url  # noqa: B018 - the property raises once stopped
    with pytest.raises(OSError):
        fetch(url + "/hi", timeout=1)


def test_a_view_that_raises_answers_500_and_the_server_goes_on() -> None:
    router = Router()

    @router.route("/boom")
    def boom(request: Request) -> Response:
        raise KeyError("bug")

    with LoopbackServer(router) as server:
        assert fetch(server.url + "/boom") == (500, {"error": "KeyError"})
        assert fetch(server.url + "/boom")[0] == 500


def test_user_for_accepts_only_bearer_tokens_it_knows() -> None:
    token, user = next(iter(auth.TOKENS.items()))
    assert auth.user_for(f"Bearer {token}") == user
    assert auth.user_for(f"bearer {token}") == user
    assert auth.user_for(token) is None
    assert auth.user_for(f"Basic {token}") is None
    assert auth.user_for("Bearer ") is None
    assert auth.user_for(f"Bearer {token}x") is None


def test_flaky_app_is_deterministic_by_seed() -> None:
    def answers(seed: int) -> list[int]:
        app = flaky.flaky_app(0.5, seed)
        return [app(Request("GET", "/")).status for _ in range(40)]

    assert answers(3) == answers(3)
    assert answers(3) != answers(4)
    assert set(answers(3)) == {200, 503}
    always = flaky.flaky_app(1.0)
    assert {always(Request("GET", "/")).status for _ in range(10)} == {503}
    assert always.answered == {503: 10} and always.requests == 10
    with pytest.raises(ValueError):
        flaky.flaky_app(1.5)


def test_lesson_retry_counts_attempts_pauses_and_passes_other_errors() -> None:
    pauses: list[float] = []
    outcomes = iter([ConnectionError(), ConnectionError(), "ok"])

    def call() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    patient = flaky.retry(ConnectionError, attempts=5, base=0.5, jitter=False, sleep=pauses.append)
    wrapped = patient(call)
    assert wrapped() == "ok" and pauses == [0.5, 1.0]
    assert wrapped.attempts_log == [3]  # type: ignore[attr-defined]

    def bug() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        patient(bug)()
    with pytest.raises(ValueError):
        flaky.retry(ConnectionError, attempts=0)


def test_timed_reports_whole_async_calls() -> None:
    seen: list[tuple[str, float]] = []

    @wrappers.timed(lambda name, seconds: seen.append((name, seconds)))
    async def nap() -> str:
        await asyncio.sleep(0.05)
        return "done"

    assert asyncio.run(nap()) == "done"
    assert seen and seen[0][0].endswith("nap") and seen[0][1] >= 0.04


def test_cached_for_expires_at_exactly_the_period() -> None:
    clock = caching.FakeClock(0.0)
    calls: list[float] = []

    @caching.cached_for(2.0, clock=clock)
    def value() -> float:
        calls.append(clock())
        return clock()

    value()
    clock.now = 1.999
    value()
    clock.now = 2.0
    value()
    assert calls == [0.0, 2.0]


def test_herd_model_without_contention_serves_everyone_at_once() -> None:
    run = herd.simulate_herd("none", clients=30, capacity=50)
    assert run.requests == [30] and run.finished_ms == 10.0
    full = herd.simulate_herd("full", clients=500, capacity=50, seed=1)
    assert sum(full.served) == 500
    assert herd.backoff_ms(1, 20, 1000) == 20 and herd.backoff_ms(10, 20, 1000) == 1000
    with pytest.raises(ValueError):
        herd.simulate_herd("random")


def test_measure_overhead_times_every_variant() -> None:
    records = overhead.measure_overhead(calls=200, repeats=1)
    assert [r.variant for r in records] == list(overhead.variants())
    assert all(r.ns_per_call > 0 for r in records)
