"""Lesson 17 (event-driven architecture) runs top to bottom against a real Redis, real `celery
worker` processes and a real NATS JetStream server, in fast mode, and prints what its prose
promises: Celery's default loses the task a killed worker was running and `acks_late` repeats
it, a dead consumer's stream entries are claimed, JetStream drops a duplicate id within its
window only, the relay killed between publish and mark publishes again, and of two consumers
killed mid-batch the naive one applies events twice while the idempotent one applies each
exactly once, nothing lost. Its helpers are tested directly too."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
import redis
from test_notebooks import markdown, number, printed, run_lesson

from advpy.lessons.events import pipeline
from advpy.lessons.events.measure import measure_consumer_cost, plot_consumer_cost
from advpy.services import redis_server, running_services

matplotlib.use("Agg")

NAME = "17_event_driven"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_runs_celery_tasks_with_retries_on_a_real_worker() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"worker pid \d+ consuming after \d+\.\d\d s", out)
    assert "add.delay(2, 3).get() = 5" in out
    assert "order-7 charged on attempt 3 | attempts counted in Redis: 3" in out
    assert "retry: Retry in 0.1s: TimeoutError('provider timed out (attempt 2)')" in out


@pytest.mark.slow
def test_lesson_counts_what_a_killed_worker_loses_or_repeats() -> None:
    out = printed(run_lesson(NAME))
    pattern = (
        r"acks_late={} +killed in order-3 {} its effect: shipped once (\d+), twice (\d+), "
        r"lost (\d+)"
    )
    early = [int(n) for n in re.search(pattern.format("False", "before"), out).groups()]
    late = [int(n) for n in re.search(pattern.format("True", "after"), out).groups()]
    assert sum(early) == 5 and early[1] == 0 and early[2] >= 1, "the default loses, never repeats"
    assert sum(late) == 5 and late[1] >= 1 and late[2] == 0, "acks_late repeats, never loses"


@pytest.mark.slow
def test_lesson_claims_a_dead_consumers_entries_and_dedups_in_jetstream() -> None:
    out = printed(run_lesson(NAME))
    assert "alice took ['o1', 'o2', 'o3']" in out
    assert "'consumers': [{'name': 'alice', 'pending': 2}]" in out
    assert "bob claimed ['o2', 'o3']" in out
    assert len(re.findall(r"held by bob, delivered 2x", out)) == 2
    assert "bob's new entries ['o4', 'o5', 'o6']" in out
    assert "publish o1: stream sequence 1, duplicate=True" in out
    assert "messages stored: 3" in out
    assert "o1 again after the window: sequence 4, duplicate=False" in out
    assert "o2: stream seq 2, delivered 2x\no3: stream seq 3, delivered 2x" in out
    assert "billing's acknowledged floor: 4 | waiting: 0" in out


@pytest.mark.slow
def test_lesson_measures_the_idempotency_table() -> None:
    out = printed(run_lesson(NAME))
    assert "delivery 1: applied=True\ndelivery 2: applied=False\nbalances: [('ada', 250)]" in out
    naive = number(re.search(r"naive: +([\d,]+) µs per event \(300 events\)", out).group(1))
    idempotent = number(re.search(r"idempotent: +([\d,]+) µs per event", out).group(1))
    assert naive > 0 and idempotent > 0
    assert re.search(r"idempotent / naive: \d+\.\d\d", out)
    assert re.search(
        r"the processed table adds -?\d+ µs per event; one Redis round trip: \d+ µs", out
    )
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 1, "the lesson draws one plot, the cost per event of each consumer"


@pytest.mark.slow
def test_lesson_crash_mid_batch_loses_nothing_and_the_idempotent_ledger_applies_once() -> None:
    out = printed(run_lesson(NAME))
    assert "orders: 40 | outbox rows: 40" in out
    killed = int(re.search(r"relay killed: stream length (\d+)", out).group(1))
    final = int(re.search(r"second relay exited with 0 \| stream length (\d+)", out).group(1))
    assert 20 <= killed < final and final > 40, "the relay's unmarked batch was published again"
    naive = re.search(r"naive: killed holding (\d+) pending entries -> Tally\((.*)\)", out)
    idem = re.search(r"idempotent: killed holding (\d+) pending entries -> Tally\((.*)\)", out)
    assert int(naive.group(1)) >= 1 and int(idem.group(1)) >= 1, "killed in the middle of a batch"
    naive_tally = dict(item.split("=") for item in naive.group(2).split(", "))
    idem_tally = dict(item.split("=") for item in idem.group(2).split(", "))
    assert naive_tally["lost"] == "0" and int(naive_tally["applied_twice_or_more"]) >= 1
    assert naive_tally["balances_right"] == "False"
    assert idem_tally == {
        "orders": "40",
        "applied_once": "40",
        "applied_twice_or_more": "0",
        "lost": "0",
        "balances_right": "True",
    }
    assert "Redis stopped: True | folder removed: True" in out


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in (
        "acks_late",
        "visibility_timeout",
        "XAUTOCLAIM",
        "Nats-Msg-Id",
        "duplicate_window",
        "partitions",
        "retention",
        "Consumer offsets",
        "cannot run on",
        "outbox",
        "SIGKILL",
    ):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps17_event_driven.ipynb" in text


# --- the helpers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broker() -> Iterator[redis.Redis]:
    with redis_server() as server:
        client = server.connect(decode_responses=True)
        yield client
        client.close()
    assert server not in running_services()


def _event(event_id: str, customer: str, cents: int) -> dict[str, str]:
    payload = {"event_id": event_id, "customer": customer, "cents": cents}
    return {"event_id": event_id, "payload": json.dumps(payload)}


def test_an_order_and_its_event_are_written_together_or_not_at_all(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    pipeline.create_shop(db)
    pipeline.place_order(db, "o1", "ada", 250)
    with pytest.raises(sqlite3.IntegrityError):
        pipeline.place_order(db, "o1", "bob", 999)  # the order exists: the event must not
    assert pipeline.count_rows(db, "orders") == 1
    assert pipeline.count_rows(db, "outbox") == 1


def test_the_relay_publishes_in_order_then_marks(tmp_path: Path, broker: redis.Redis) -> None:
    broker.delete(pipeline.STREAM)
    db = tmp_path / "shop.db"
    pipeline.create_shop(db)
    pipeline.place_orders(db, 5, ["ada", "bob"])
    assert pipeline.relay_batch(db, broker, batch=3) == 3
    assert pipeline.relay_batch(db, broker, batch=3) == 2
    assert pipeline.relay_batch(db, broker, batch=3) == 0
    entries = broker.xrange(pipeline.STREAM)
    assert [fields["event_id"] for _, fields in entries] == [f"evt-o000{n}" for n in range(5)]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT SUM(published) FROM outbox").fetchone() == (5,)
    connection.close()


def test_the_idempotent_consumer_applies_each_event_once(tmp_path: Path) -> None:
    shop_db, ledger = tmp_path / "shop.db", tmp_path / "ledger.db"
    pipeline.create_shop(shop_db)
    pipeline.place_orders(shop_db, 3, ["ada", "bob"])
    pipeline.create_ledger(ledger)
    events = [_event(f"evt-o000{n}", ["ada", "bob"][n % 2], 100 + 7 * n) for n in range(3)]
    connection = sqlite3.connect(ledger)
    applied = [
        pipeline.apply_event(connection, e, consumer="t", idempotent=True)
        for e in [*events, events[1], events[0]]
    ]
    connection.close()
    assert applied == [True, True, True, False, False]
    assert pipeline.tally(shop_db, ledger) == pipeline.Tally(3, 3, 0, 0, True)


def test_the_naive_consumer_applies_a_redelivery_again(tmp_path: Path) -> None:
    shop_db, ledger = tmp_path / "shop.db", tmp_path / "ledger.db"
    pipeline.create_shop(shop_db)
    pipeline.place_orders(shop_db, 2, ["ada"])
    pipeline.create_ledger(ledger)
    connection = sqlite3.connect(ledger)
    for event in (_event("evt-o0000", "ada", 100), _event("evt-o0000", "ada", 100)):
        assert pipeline.apply_event(connection, event, consumer="t", idempotent=False)
    connection.close()
    assert pipeline.tally(shop_db, ledger) == pipeline.Tally(2, 0, 1, 1, False)


def test_consumer_cost_is_measured_and_drawn() -> None:
    records = measure_consumer_cost(50, repeats=1)
    assert [r.label for r in records] == ["naive", "idempotent"]
    assert all(r.events == 50 and r.us_per_event > 0 for r in records)
    fig, ax = plot_consumer_cost(records)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["naive", "idempotent"]
    plt.close(fig)
    fig, ax = plot_consumer_cost(records, 40.0)
    assert [round(p.get_height()) for p in ax.patches][2] == 40
    plt.close(fig)
