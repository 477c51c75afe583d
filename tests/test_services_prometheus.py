"""advpy.services.prometheus_server starts a real Prometheus on loopback and leaves nothing
behind: it scrapes a real /metrics endpoint, answers PromQL, evaluates an alerting rule from
its rule file, says why a bad configuration failed with its own log lines, says what to install
when it is missing, and stops with nothing left running (process, port, folder).

Prometheus waits about five seconds before its first scrape, so one server serves the module."""

from __future__ import annotations

from collections.abc import Iterator

import psutil
import pytest
from prometheus_client import CollectorRegistry, Counter, make_asgi_app

from advpy import doctor
from advpy.services import (
    LOOPBACK,
    AppServer,
    PrometheusServer,
    ServiceError,
    ServiceNotInstalled,
    lifecycle,
    programs,
    prometheus_server,
    running_services,
    serve_app,
)
from advpy.services.prometheus import PROMETHEUS, answers_ready, render_config

RULES = """
groups:
  - name: demo
    interval: 1s
    rules:
      - alert: ManyOrders
        expr: orders_total > 5
        labels: {severity: page}
"""


@pytest.fixture(scope="module")
def target() -> Iterator[AppServer]:
    registry = CollectorRegistry()
    Counter("orders", "Orders taken.", registry=registry).inc(7)
    with serve_app(make_asgi_app(registry)) as app:
        yield app


@pytest.fixture(scope="module")
def prom(target: AppServer) -> Iterator[PrometheusServer]:
    with prometheus_server({"shop": [target]}, rules=RULES) as server:
        server.wait_for_scrapes(1)
        yield server


def test_prometheus_scrapes_answers_promql_and_evaluates_rules(
    prom: PrometheusServer, target: AppServer
) -> None:
    assert prom.host == LOOPBACK and prom.url == f"http://{LOOPBACK}:{prom.port}"
    assert answers_ready(prom.port)
    assert prom in running_services()
    [series] = prom.query("orders_total")
    assert series["metric"] == {
        "__name__": "orders_total",
        "job": "shop",
        "instance": f"{LOOPBACK}:{target.port}",
    }
    assert float(series["value"][1]) == 7.0
    assert [t["health"] for t in prom.targets()] == ["up"]
    [group] = prom.rules()
    assert group["name"] == "demo" and group["rules"][0]["health"] in {"ok", "unknown"}
    with pytest.raises(ServiceError, match="parse error"):
        prom.query("sum(")


def test_prometheus_config_and_rules_live_in_its_folder(prom: PrometheusServer) -> None:
    assert (prom.data_dir / "prometheus.yml").exists()
    assert "ManyOrders" in (prom.data_dir / "rules.yml").read_text()
    assert (prom.data_dir / "data").is_dir()


def test_prometheus_stops_and_leaves_nothing() -> None:
    with prometheus_server({"self": [f"{LOOPBACK}:9"]}) as server:
        pid = server.pid
        assert pid is not None and psutil.pid_exists(pid)
        folder = server.data_dir
    assert not server.running
    assert not lifecycle.port_is_open(server.port), "the port still answers"
    assert not folder.exists(), "the data folder was not removed"
    assert server not in running_services()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_bad_rule_file_fails_with_prometheus_own_words() -> None:
    with pytest.raises(ServiceError) as raised:
        prometheus_server({"x": [f"{LOOPBACK}:9"]}, rules="groups: [{name: g, rules: [{}]}]")
    message = str(raised.value)
    assert "exited with status" in message
    assert "rule" in message.lower()  # Prometheus's complaint, from its log


def test_targets_must_be_on_this_machine_and_jobs_words() -> None:
    with pytest.raises(ValueError, match="only this machine"):
        render_config(
            {"x": ["10.0.0.1:9090"]},
            scrape_interval="1s",
            evaluation_interval="1s",
            has_rules=False,
        )
    with pytest.raises(ValueError, match="job name"):
        render_config(
            {"bad job": ["127.0.0.1:9"]},
            scrape_interval="1s",
            evaluation_interval="1s",
            has_rules=False,
        )


def test_prometheus_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(programs, "candidate_dirs", lambda program: [])
    with pytest.raises(ServiceNotInstalled) as raised:
        prometheus_server({"x": [f"{LOOPBACK}:9"]})
    message = str(raised.value)
    assert "Prometheus is not installed" in message
    assert "apt-get install prometheus" in message and "brew install prometheus" in message


def test_prometheus_is_in_the_system_packages_list() -> None:
    listed = {p.debian: p for p in doctor.system_deps().read_list()}
    assert listed[PROMETHEUS.debian].needs == "lab"
    assert listed[PROMETHEUS.debian].brew == PROMETHEUS.brew
