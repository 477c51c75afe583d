"""A real Prometheus server on loopback that scrapes the given targets and evaluates rules::

    with serve_app(api) as app, prometheus_server({"api": [app]}, rules=RULES) as prom:
        prom.wait_for_scrapes(2)                          # two scrapes of every target
        prom.query('rate(http_requests_total[30s])')      # PromQL over the HTTP API
        prom.alerts()                                     # the alerts its rules fire

``targets`` maps a job name to what it scrapes: handles of this package (their ``/metrics``)
or ``"127.0.0.1:PORT"`` addresses, all on this machine. ``rules`` is the text of a rule file
(YAML), or a dict that is written as JSON (which YAML reads too). The configuration, the rule
file and the time-series database all live in the server's temporary folder, removed when it
stops; Prometheus listens on ``127.0.0.1`` only (``--web.listen-address``).

Prometheus takes several seconds to start (it opens its database and replays its write-ahead
log): start one per notebook, not one per cell, and use a short ``scrape_interval`` so that
new samples arrive quickly. It is ready when ``GET /-/ready`` answers 200 (it answers 503
while it starts).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import re
import signal
import time
from collections.abc import Mapping, Sequence
from typing import Any

from advpy.services import lifecycle, programs
from advpy.services.errors import ServiceError
from advpy.services.lifecycle import LOOPBACK, ServerProcess, Service
from advpy.services.web import HttpService

PROMETHEUS = programs.PROMETHEUS

#: The configuration and rule files, in the server's folder.
CONFIG_NAME = "prometheus.yml"
RULES_NAME = "rules.yml"

#: A scrape target: a handle of this package, or "host:port" on this machine.
Target = str | Service


def answers_ready(port: int, host: str = LOOPBACK) -> bool:
    """True when Prometheus on ``host:port`` says it is ready (``/-/ready`` answers 200)."""
    connection = http.client.HTTPConnection(host, port, timeout=2)
    try:
        connection.request("GET", "/-/ready")
        response = connection.getresponse()
        response.read()
        return response.status == 200
    finally:
        connection.close()


def _address(target: Target) -> str:
    """``host:port`` of a target, refused unless it is on this machine."""
    if isinstance(target, Service):
        return f"{target.host}:{target.port}"
    text = re.sub(r"^https?://", "", target.strip()).rstrip("/")
    match = re.fullmatch(r"([^:/]+):(\d+)", text)
    if match is None:
        raise ValueError(f"a scrape target is host:port, not {target!r}")
    host = match.group(1)
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local:
        raise ValueError(f"Prometheus here scrapes only this machine, not {target!r}")
    return text


def render_config(
    targets: Mapping[str, Sequence[Target]],
    *,
    scrape_interval: str,
    evaluation_interval: str,
    has_rules: bool,
) -> dict[str, Any]:
    """The configuration as a dict (written as JSON, which Prometheus reads as YAML)."""
    jobs = []
    for job, items in targets.items():
        if not re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", job):
            raise ValueError(f"a job name is a word such as 'api', not {job!r}")
        addresses = [_address(item) for item in items]
        if not addresses:
            raise ValueError(f"job {job!r} has no targets")
        jobs.append(
            {
                "job_name": job,
                "scrape_interval": scrape_interval,
                "static_configs": [{"targets": addresses}],
            }
        )
    config: dict[str, Any] = {
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": evaluation_interval},
        "scrape_configs": jobs,
    }
    if has_rules:
        config["rule_files"] = [RULES_NAME]
    return config


class PrometheusServer(HttpService):
    """A running Prometheus: its URL, an ``httpx`` client, and PromQL through its HTTP API."""

    kind = "Prometheus"

    def api(self, path: str, **params: Any) -> Any:
        """``GET /api/v1/<path>`` and the ``data`` of its answer; :class:`ServiceError` with
        Prometheus's own words when it answers an error (a bad query, say)."""
        response = self.client.get(f"/api/v1/{path}", params=params)
        body = response.json()
        if body.get("status") != "success":
            raise ServiceError(f"Prometheus refused {path} {params}: {body.get('error')}")
        return body["data"]

    def query(self, expr: str, at: float | None = None) -> list[dict[str, Any]]:
        """An instant query: a list of ``{"metric": {...labels}, "value": [time, "text"]}``."""
        params: dict[str, Any] = {"query": expr}
        if at is not None:
            params["time"] = at
        return list(self.api("query", **params)["result"])

    def query_range(self, expr: str, start: float, end: float, step: float) -> list[dict[str, Any]]:
        """A range query: ``{"metric": {...}, "values": [[time, "text"], ...]}`` per series."""
        data = self.api("query_range", query=expr, start=start, end=end, step=step)
        return list(data["result"])

    def targets(self) -> list[dict[str, Any]]:
        """The active scrape targets, with their ``health`` and ``lastScrape``."""
        return list(self.api("targets")["activeTargets"])

    def alerts(self) -> list[dict[str, Any]]:
        """The alerts its rules hold now (``state`` is "pending" or "firing")."""
        return list(self.api("alerts")["alerts"])

    def rules(self) -> list[dict[str, Any]]:
        """The rule groups it evaluates, each rule with its ``health`` and ``lastError``."""
        return list(self.api("rules")["groups"])

    def wait_for_scrapes(self, count: int = 1, *, timeout: float = 30.0) -> None:
        """Wait until every active target has been scraped ``count`` times from now on:
        ``count_over_time(up[...])`` counts the samples of each target's ``up`` series."""
        deadline = time.monotonic() + timeout
        start = time.time()
        while True:
            window = max(1, int(time.time() - start))
            found = self.query(f"count_over_time(up[{window}s])")
            seen = [float(item["value"][1]) for item in found]
            if seen and len(seen) >= len(self.targets()) and min(seen) >= count:
                return
            if time.monotonic() > deadline:
                raise ServiceError(
                    f"Prometheus did not scrape every target {count} time(s) in {timeout:g} s",
                    self.last_log_lines(),
                    self.log_path,
                )
            time.sleep(0.2)


def prometheus_server(
    targets: Mapping[str, Sequence[Target]],
    *,
    rules: str | Mapping[str, Any] | None = None,
    scrape_interval: str = "1s",
    evaluation_interval: str = "1s",
    timeout: float = 60.0,
) -> PrometheusServer:
    """Start Prometheus on 127.0.0.1 and a free port, scraping ``targets`` (job name -> handles
    or ``host:port``) and evaluating ``rules``; returns the handle once ``/-/ready`` says 200.

    Use the handle in a ``with`` block, or call ``stop()``; it also stops at interpreter exit
    and when the process is killed. Its database is in its temporary folder.
    """
    config = render_config(
        targets,
        scrape_interval=scrape_interval,
        evaluation_interval=evaluation_interval,
        has_rules=rules is not None,
    )
    program = programs.locate(PROMETHEUS)
    data_dir = lifecycle.make_data_dir("prometheus")
    (data_dir / CONFIG_NAME).write_text(json.dumps(config, indent=2))
    if rules is not None:
        text = rules if isinstance(rules, str) else json.dumps(rules, indent=2)
        (data_dir / RULES_NAME).write_text(text)

    def start(port: int) -> ServerProcess:
        command = [
            str(program),
            f"--config.file={data_dir / CONFIG_NAME}",
            f"--web.listen-address={LOOPBACK}:{port}",
            f"--storage.tsdb.path={data_dir / 'data'}",
            "--storage.tsdb.retention.time=1h",
            "--log.level=info",
        ]
        return ServerProcess(command, data_dir=data_dir, stop_signal=signal.SIGTERM, grace=10)

    try:
        process, port = lifecycle.start_on_free_port(
            start, answers_ready, name=f"Prometheus ({program})", timeout=timeout
        )
    except BaseException:
        lifecycle.discard_data_dir(data_dir)
        raise
    return PrometheusServer(process, host=LOOPBACK, port=port)
