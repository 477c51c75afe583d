"""Lesson 12 (from a monolith to microservices) runs top to bottom against real servers on
loopback, in fast mode, and prints what its prose promises: the strangler's route switched in
nginx under a steady load with no request dropped, one correlation id in two services' logs,
a registry that drops a failing instance and a client that skips it, REST and gRPC measured
side by side, a timeout, a retry budget that caps the retries, and a circuit breaker that
opens, fails fast and closes again. Its helpers are tested directly too, over real HTTP."""

from __future__ import annotations

import re
import threading
from collections import Counter

import grpc
import httpx
import matplotlib
import matplotlib.pyplot as plt
import pytest
from test_notebooks import markdown, printed, run_lesson

from advpy.lessons.microservices import discovery, resilience, rpc, shop
from advpy.lessons.microservices.load import Answer, SteadyLoad, plot_switch, summarize
from advpy.services import nginx_gateway, serve_app

matplotlib.use("Agg")

NAME = "12_microservices"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_switches_the_route_under_load_and_drops_nothing() -> None:
    out = printed(run_lesson(NAME))
    assert "orders: GET /orders/{order_id}, POST /orders" in out
    assert "'total': 5700} served by monolith" in out
    requests = re.search(r"(\d+) requests in [\d.]+ s; the reload took \d+ ms", out)
    assert requests and int(requests.group(1)) >= 10, "the load sent requests around the switch"
    before = re.search(r"before: (\{.*\})", out)
    after = re.search(r"after: (\{.*\})", out)
    assert before and after
    assert "orders-service" not in before.group(1), "before the reload only the monolith serves"
    assert re.fullmatch(r"\{'/orders/1 <- orders-service': \d+, '/users/1 <- monolith': \d+\}",
                        after.group(1)), after.group(1)  # fmt: skip
    assert "dropped: 0 {}" in out


@pytest.mark.slow
def test_lesson_follows_one_id_across_two_services() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"201 served by orders-service \| X-Request-ID: [0-9a-f]{32}\n", out)
    assert re.search(r"orders-service +POST /orders\n +monolith +GET /products/2\n", out)
    assert "[('orders-service', 'POST /orders'), ('monolith', 'GET /products/2')]" in out


@pytest.mark.slow
def test_lesson_discovers_balances_and_skips_failed_instances() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"3 instances passing after \d+ ms", out)
    assert "healthy: 3 | 30 calls went to {'cat-a': 10, 'cat-b': 10, 'cat-c': 10}" in out
    stale = re.search(r"stale list: (\{.*\}) \| moved on from an unreachable instance: (\d+)", out)
    assert stale and "cat-c" not in stale.group(1) and int(stale.group(2)) > 0
    assert re.search(r"the registry lists 1 passing instance \d+ ms after the failures", out)
    assert "refreshed: {'cat-a': 30}" in out


@pytest.mark.slow
def test_lesson_compiles_the_proto_and_measures_rest_and_grpc() -> None:
    out = printed(run_lesson(NAME))
    assert (
        "['Catalogue', 'CatalogueServicer', 'CatalogueStub', 'add_CatalogueServicer_to_server']"
        in out
    )
    assert "one product: {'JSON': 45, 'protobuf': 15} bytes of body" in out
    for protocol in rpc.PROTOCOL_COLORS:
        assert re.search(rf"{re.escape(protocol)}: median +\d+ µs, 99th percentile +\d+ µs", out)
        assert re.search(rf"{re.escape(protocol)}: +\d+ calls/s \(400 calls\)", out)
    assert re.search(r"REST median / gRPC median: \d+\.\d", out)
    assert re.search(r"gRPC / REST calls per second: \d+\.\d", out)


@pytest.mark.slow
def test_lesson_times_out_budgets_retries_and_breaks_the_circuit() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"ReadTimeout after \d+ ms; the answer takes 0\.4 s", out)
    assert "3 attempts, no budget : 30 calls, 30 failed" in out
    assert "    90 requests, 3.00 per call" in out  # every call tried three times
    # 30 first attempts, the reserve of 3 retries, then one retry per 10 calls
    assert "    35 requests, 1.17 per call" in out
    assert "10 calls while slow, the service received 3 of them" in out
    calls = re.findall(r"call +(\d+): +[\d.]+ ms  (\w+) +breaker (\w+)", out)
    assert [(error, state) for _, error, state in calls] == (
        [("ReadTimeout", "closed")] * 2
        + [("ReadTimeout", "open")]
        + [("CircuitOpen", "open")] * 7
        + [("answered", "closed")] * 5
    )
    assert "changes: [('closed', 'open'), ('open', 'half_open'), ('half_open', 'closed')]" in out
    assert "'ConnectError', 'open'), ('0.00 ms', 'CircuitOpen', 'open')" in out
    assert "still running: []" in out


@pytest.mark.slow
def test_lesson_draws_four_plots_and_writes_nothing_to_stderr() -> None:
    notebook = run_lesson(NAME)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 4, "the switch, latency, throughput and breaker plots"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    facts = ("Kong", "Traefik", "Consul", "Eureka", "SIGHUP", "X-Request-ID", "301", "HTTP/2")
    for fact in (*facts, "jitter", "bounded context"):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps12_microservices.ipynb" in text


# --- the helpers, over real HTTP -----------------------------------------------------------------


@pytest.fixture(scope="module")
def monolith_and_orders() -> object:
    log = shop.TraceLog()
    with serve_app(shop.make_monolith(log)) as monolith:
        with serve_app(shop.make_orders_service(monolith.url, log)) as orders:
            yield monolith, orders, log
    assert not monolith.running and not orders.running


def test_the_orders_service_prices_through_the_catalogue_and_passes_the_id_on(
    monolith_and_orders: tuple,
) -> None:
    monolith, orders, log = monolith_and_orders
    body = {
        "user_id": 2,
        "lines": [{"product_id": 1, "quantity": 2}, {"product_id": 3, "quantity": 1}],
    }
    made = orders.client.post("/orders", json=body, headers={shop.REQUEST_ID: "t-1"})
    assert made.status_code == 201 and made.json()["total"] == 2 * 4900 + 18900
    assert made.headers[shop.SERVED_BY] == "orders-service"
    assert [(x.service, x.request) for x in log.lines("t-1")] == [
        ("orders-service", "POST /orders"),
        ("monolith", "GET /products/1"),
        ("monolith", "GET /products/3"),
    ]
    unnamed = monolith.client.get("/users/1")
    assert unnamed.json() == shop.USERS[1]
    assert re.fullmatch(r"[0-9a-f]{32}", log.lines()[-1].request_id), "an id is made when none came"
    assert monolith.client.get("/orders/99").status_code == 404
    assert orders.client.get("/health").json() == {"status": "ok"}


def test_a_reload_under_load_drops_nothing_and_moves_only_its_prefix(
    monolith_and_orders: tuple,
) -> None:
    monolith, orders, _ = monolith_and_orders
    with nginx_gateway({"/": monolith}) as gateway:
        with SteadyLoad(gateway.url, ["/orders/1", "/users/1"], workers=2) as load:
            while len(load._answers) < 40:
                threading.Event().wait(0.01)
            began = load.elapsed()
            gateway.reload({"/orders": orders, "/": monolith})
            switch = (began, load.elapsed())
            after = len(load._answers)
            while len(load._answers) < after + 40:
                threading.Event().wait(0.01)
            answers = load.stop()
    counts = summarize(answers, switch)
    assert not counts["dropped"]
    assert set(counts["before"]) == {"/orders/1 <- monolith", "/users/1 <- monolith"}
    assert set(counts["after"]) == {"/orders/1 <- orders-service", "/users/1 <- monolith"}
    fig, ax = plot_switch(answers, switch)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert (
        "reload" in labels
        and "dropped (0)" in labels
        and any(label.startswith("orders-service (") for label in labels)
    )
    plt.close(fig)


def test_summarize_counts_gateway_errors_and_failures_as_dropped() -> None:
    answers = [
        Answer(0.1, "/a", "monolith", 200, None),
        Answer(0.5, "/a", "orders-service", 200, None),
        Answer(0.9, "/a", None, 502, None),
        Answer(1.0, "/a", None, None, "ConnectError"),
        Answer(1.2, "/a", "orders-service", 404, None),
    ]
    counts = summarize(answers, (0.4, 0.6))
    assert counts["before"] == Counter({"/a <- monolith": 1})
    assert counts["during"] == Counter({"/a <- orders-service": 1})
    assert counts["after"] == Counter({"/a <- orders-service": 1})
    assert counts["dropped"] == Counter({"/a (502)": 1, "/a (ConnectError)": 1})


def test_the_registry_checks_health_and_the_client_skips_what_fails() -> None:
    with serve_app(discovery.make_registry(interval=0.05, timeout=0.5)) as registry:
        apps = [shop.make_catalogue_instance(name) for name in ("a", "b")]
        servers = [serve_app(app) for app in apps]
        made = [
            registry.client.post("/instances", json={"service": "catalogue", "url": s.url}).json()
            for s in servers
        ]
        assert [m["healthy"] for m in made] == [False, False], "unhealthy until checked"
        discovery.wait_until(registry.client, "catalogue", healthy=2)
        client = discovery.DiscoveryClient(registry.client, "catalogue")
        assert client.refresh() == [s.url for s in servers]
        apps[0].state.healthy = False
        discovery.wait_until(registry.client, "catalogue", healthy=1)
        everyone = registry.client.get("/services/catalogue").json()
        assert [i["healthy"] for i in everyone] == [False, True]
        servers[1].stop()
        assert client.get("/products/2").headers[shop.SERVED_BY] == "a", "stale list, a answers"
        assert client.get("/products/2").headers[shop.SERVED_BY] == "a", "b refused: moved on"
        assert client.unreachable == 1
        discovery.wait_until(registry.client, "catalogue", healthy=0)
        assert client.refresh() == []
        with pytest.raises(LookupError, match="no healthy instance"):
            client.get("/products/1")
        assert registry.client.delete(f"/instances/{made[0]['id']}").status_code == 204
        assert registry.client.delete(f"/instances/{made[0]['id']}").status_code == 404
        with pytest.raises(TimeoutError):
            discovery.wait_until(registry.client, "catalogue", healthy=5, timeout=0.1)
        client.close()
        servers[0].stop()
    assert not any(server.running for server in (registry, *servers))


def test_rest_and_grpc_answer_the_same_product_and_are_measured() -> None:
    assert rpc.compile_proto() is rpc.compile_proto(), "compiled once per process"
    with serve_app(rpc.make_rest_catalogue()) as rest, rpc.GrpcCatalogue(workers=2) as server:
        callers = rpc.Callers(rest.url, server.target)
        assert callers.rest(3) == callers.grpc(3) == "monitor"
        with pytest.raises(grpc.RpcError) as caught:
            callers.grpc(99)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        assert callers.http.get("/products/99").status_code == 404
        latencies = rpc.measure_latency(callers, calls=20, rounds=2)
        rates = rpc.measure_throughput(callers, calls=20, threads=2)
        callers.close()
    assert not server.running
    assert [r.protocol for r in latencies] == list(rpc.PROTOCOL_COLORS)
    assert all(len(r.samples) == 20 and 0 < r.median <= r.p99 for r in latencies)
    assert [(r.calls, r.threads) for r in rates] == [(20, 2), (20, 2)]
    assert all(r.per_second > 0 for r in rates)
    assert rpc.message_sizes() == {"JSON": 45, "protobuf": 15}
    for fig, ax in (rpc.plot_latency(latencies), rpc.plot_throughput(rates)):
        assert ax.get_title()
        plt.close(fig)
    assert "grpc-catalogue" not in " ".join(t.name for t in threading.enumerate())


# --- retries and the breaker, on an injected clock or a real flaky service ----------------------


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_fails_fast_half_opens_and_closes() -> None:
    clock = ManualClock()
    breaker = resilience.CircuitBreaker(threshold=2, reset_timeout=10, clock=clock)
    calls: list[str] = []

    def fail() -> None:
        calls.append("fail")
        raise OSError("down")

    def succeed() -> str:
        calls.append("ok")
        return "ok"

    for _ in range(2):
        with pytest.raises(OSError):
            breaker.call(fail)
    assert breaker.state == "open"
    clock.now = 9.999
    with pytest.raises(resilience.CircuitOpen):
        breaker.call(succeed)
    assert calls == ["fail", "fail"], "an open breaker does not call"
    clock.now = 10.0
    with pytest.raises(OSError):
        breaker.call(fail)  # the trial call fails: open again, timed from now
    assert breaker.state == "open" and breaker.opened_at == 10.0
    clock.now = 20.0
    assert breaker.call(succeed) == "ok" and breaker.state == "closed"
    assert [change[1:] for change in breaker.changes] == [
        ("closed", "open"),
        ("open", "half_open"),
        ("half_open", "open"),
        ("open", "half_open"),
        ("half_open", "closed"),
    ]


def test_retries_stop_at_the_attempts_or_the_budget() -> None:
    tries: list[int] = []

    def flaky() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise ConnectionError("again")
        return "done"

    assert resilience.call_with_retries(flaky, attempts=3, backoff=0) == "done"
    assert len(tries) == 3
    tries.clear()
    with pytest.raises(ConnectionError):
        resilience.call_with_retries(flaky, attempts=2, backoff=0)
    budget = resilience.RetryBudget(ratio=0.5, reserve=0)
    tries.clear()
    with pytest.raises(ConnectionError):
        resilience.call_with_retries(flaky, attempts=3, budget=budget, backoff=0)
    assert len(tries) == 1, "half a token is not enough for a retry"
    assert budget.tokens == 0.5


def test_timed_calls_against_a_real_flaky_service() -> None:
    app = resilience.make_flaky_service()
    with serve_app(app) as service, httpx.Client(base_url=service.url) as http:

        def price() -> object:
            response = http.get("/price", timeout=0.5)
            response.raise_for_status()
            return response.json()

        answered = resilience.timed_calls(2, price)
        assert [(o.ok, o.error, o.state) for o in answered] == [(True, "", "")] * 2
        assert all(0 < o.seconds < 5 for o in answered)
        app.state.status = 503
        outcomes = resilience.timed_calls(3, price, resilience.CircuitBreaker(threshold=2))
        assert [(o.ok, o.error, o.state) for o in outcomes] == [
            (False, "HTTPStatusError", "closed"),
            (False, "HTTPStatusError", "open"),
            (False, "CircuitOpen", "open"),
        ]
        assert app.state.received == 2 + 2, "the open breaker sent nothing"
        fig, ax = resilience.plot_calls(outcomes)
        assert len(ax.collections) == 2
        plt.close(fig)
