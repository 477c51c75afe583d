"""Lesson 21 (scalability, availability, fault tolerance) runs top to bottom in fast mode and
prints what its prose promises: the M/M/1 hockey stick next to its formula, Little's law, a
shared queue beating separate ones, real uvicorn instances behind nginx with the model's
predictions, a bounded queue shedding load, a crashed instance failing requests without health
checks and none with retries, a hung one failing them until a timeout is set, in-process state
split across instances, and nothing left running. Its helpers are tested directly too: the
SimPy model against the formulas, the service over real HTTP, the load generator's schedule."""

from __future__ import annotations

import asyncio
import math
import re

import matplotlib
import pytest
from test_notebooks import markdown, number, printed, run_lesson

from advpy.lessons.scalability import model
from advpy.lessons.scalability.load import burst, open_loop, schedule
from advpy.lessons.scalability.service import QUEUE_LIMIT, Service
from advpy.services import running_services, serve_app

matplotlib.use("Agg")

NAME = "21_scalability_availability"


def _numbers(pattern: str, text: str) -> list[tuple[str, ...]]:
    found = re.findall(pattern, text)
    assert found, f"the lesson no longer prints a line matching {pattern!r}"
    return found


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_draws_the_hockey_stick_and_checks_littles_law() -> None:
    out = printed(run_lesson(NAME))
    means = [
        number(mean)
        for mean in dict(_numbers(r"utilisation +(\d+)%: mean +([\d.]+) ms", out)).values()
    ]
    assert len(means) == 7
    assert means[-1] > 5 * means[0], "the mean at 95% is many times the mean at 10%"
    ratios = [number(r) for r in _numbers(r"simulated/formula p99 ([\d.]+)", out)]
    assert len(ratios) == 7 and all(0.3 < r < 2 for r in ratios)
    (measured,) = _numbers(r"L, measured over time: +([\d.]+) requests", out)
    (product,) = _numbers(r"lambda x W, measured: +([\d.]+)", out)
    assert math.isclose(number(measured), number(product), rel_tol=0.05), "L = lambda x W"
    p99 = {
        name.strip(): number(v)
        for name, v in _numbers(r"(.{28}): mean +[\d.]+ ms, p99 +([\d.]+) ms", out)
    }
    assert p99["4 servers, one shared queue"] < p99["4 servers, round-robin"]
    assert p99["4 servers, one shared queue"] < p99["4 servers, random"]
    assert "formula,     shared queue (M/M/4): mean  34.9 ms, p99  137.9 ms" in out


@pytest.mark.slow
def test_lesson_scales_real_instances_behind_nginx_next_to_the_model() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"3 uvicorn processes and nginx ready after [\d.]+ s", out)
    for count in (1, 2, 3):
        assert re.search(rf"{count} instance\(s\): \d+ requests at 40/s, .* failed 0", out)
    assert "1 instance(s) at 80%: measured p99" in out
    assert re.search(r"model p99: shared queue +461 ms, random split +461 ms", out)
    for path in ("/work", " /cpu"):
        assert re.search(rf"{path}: speed-up with 2 instances [\d.]+, with 3 [\d.]+", out)
    assert "usable cores:" in out
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 2, "the hockey stick, and latency against instances"


@pytest.mark.slow
def test_lesson_sheds_load_with_a_bounded_queue() -> None:
    out = printed(run_lesson(NAME))
    unbounded = re.search(r"unbounded queue: \d+ requests at 75/s, .*failed (\d+)(.*)", out)
    assert unbounded and unbounded.group(1) == "0" and "shed" not in unbounded.group(2)
    bounded = re.search(r"bounded queue \(8\): \d+ requests at 75/s, .*failed 0, shed (\d+)", out)
    assert bounded and int(bounded.group(1)) > 0


@pytest.mark.slow
def test_lesson_counts_failures_of_crashed_and_hung_instances() -> None:
    out = printed(run_lesson(NAME))
    assert "99.900% available:    525.6 minutes down per year" in out
    assert "gateway, one service instance, database in series: 98.9010%" in out
    failed = {
        name.strip(): int(count)
        for name, count in _numbers(r"(?m)^(.{24,26}): +(\d+) of \d+ (?:requests )?failed", out)
    }
    assert failed["client-side round-robin"] > 0, "no health check: the dead instance fails"
    assert failed["nginx, retries"] == 0, "retries hide a crash"
    assert failed["nginx, no retries"] < failed["client-side round-robin"]
    assert failed["nginx, 60 s read timeout"] > 0, "a hung instance fails requests"
    assert failed["nginx, 250 ms read timeout"] == 0, "a short timeout retries elsewhere"


@pytest.mark.slow
def test_lesson_splits_state_across_instances_and_stops_everything() -> None:
    out = printed(run_lesson(NAME))
    visits = re.findall(r"instance (\d+): visits = (\d+)", out)
    assert [v for _, v in visits] == ["1", "1", "1", "2", "2", "2"]
    assert len({pid for pid, _ in visits}) == 3
    assert "still running: []" in out


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in (
        "Little's law",
        "Erlang C",
        "proxy_next_upstream",
        "max_fails",
        "503",
        "open loop",
    ):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps21_scalability.ipynb" in text


# --- the model ---------------------------------------------------------------------------------


def test_the_simulation_agrees_with_the_mm1_formulas() -> None:
    run = model.simulate(8.0, 10.0, 1, requests=20_000, seed=3)
    prediction = model.mmc_prediction(8.0, 10.0, 1)
    assert prediction.mean_response == pytest.approx(0.5)
    assert prediction.p99 == pytest.approx(0.5 * math.log(100), rel=1e-6)
    assert run.mean_response == pytest.approx(prediction.mean_response, rel=0.2)
    assert run.mean_in_system == pytest.approx(
        run.arrivals_per_second * run.mean_response, rel=0.02
    )
    assert model.simulate(8.0, 10.0, 1, requests=2000, seed=3) == model.simulate(
        8.0, 10.0, 1, requests=2000, seed=3
    ), "a run is repeatable"


def test_erlang_c_and_the_mmc_prediction() -> None:
    assert model.erlang_c(2.0, 3) == pytest.approx(4 / 9)
    assert model.erlang_c(0.8, 1) == pytest.approx(0.8)
    assert model.erlang_c(3.0, 3) == 1.0
    assert 0 < model.erlang_c(380.0, 400) < 1, "no overflow for large clusters"
    assert model.mmc_prediction(3.0, 1.0, 3).mean_response == math.inf
    shared = model.mmc_prediction(160.0, 50.0, 4)
    split = model.split_prediction(160.0, 50.0, 4)
    assert shared.p99 < split.p99 and split == model.mmc_prediction(40.0, 50.0, 1)


def test_dispatch_order_matters_in_the_model() -> None:
    runs = {
        dispatch: model.simulate(160.0, 50.0, 4, requests=4000, dispatch=dispatch, seed=2)
        for dispatch in ("shared", "round-robin", "random")
    }
    assert runs["shared"].p99 < runs["round-robin"].p99 < runs["random"].p99


def test_the_schedule_is_poisson_bounded_and_repeatable() -> None:
    plan = schedule(100.0, 10.0, 20.0, seed=1, max_requests=5000)
    assert plan == schedule(100.0, 10.0, 20.0, seed=1, max_requests=5000)
    assert 900 < len(plan) < 1100
    assert all(0 <= at < 10.0 for at, _ in plan)
    assert sum(ms for _, ms in plan) / len(plan) == pytest.approx(20.0, rel=0.1)
    assert len(schedule(100.0, 10.0, 20.0, seed=1, max_requests=50)) == 50


# --- the service, over real HTTP ---------------------------------------------------------------


def test_the_service_answers_counts_visits_and_refuses_bad_input() -> None:
    with serve_app(Service(limit=None)) as server:
        assert server.client.get("/").json() == {"status": "ok"}
        assert server.client.get("/work?ms=1").json()["queued_ms"] >= 0
        assert server.client.get("/work?ms=x").status_code == 400
        assert server.client.get("/nowhere").status_code == 404
        counts = [
            server.client.get("/visits", headers={"Cookie": "session=s"}).json()["visits"]
            for _ in range(3)
        ]
        assert counts == [1, 2, 3]
        assert server.client.get("/visits").json()["session"] == "anonymous"
    assert not running_services()


def test_a_bounded_service_sheds_and_an_unbounded_one_queues() -> None:
    async def overload(app: Service) -> tuple[int, int]:
        with serve_app(app) as server:
            run = await open_loop([server.url], 200.0, 0.5, mean_ms=20.0, seed=7)
        return run.shed, run.failed

    shed, failed = asyncio.run(overload(Service(limit=QUEUE_LIMIT)))
    assert shed > 0 and failed == 0
    shed, failed = asyncio.run(overload(Service(limit=None)))
    assert shed == 0 and failed == 0


def test_a_burst_is_served_one_at_a_time_by_one_worker() -> None:
    async def makespan() -> float:
        with serve_app(Service(limit=None)) as server:
            return await burst(server.url, path="/work", requests=5, ms=40)

    assert asyncio.run(makespan()) >= 0.2, "5 requests of 40 ms on one worker take 200 ms or more"
