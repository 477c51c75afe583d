"""Lesson 23 (deadlocks) runs top to bottom in fast mode, on real threads, a real PostgreSQL
server and a real etcd server, and prints what its prose promises: a wait-for graph with its
cycle, a detector that breaks a deadlock between two threads, the five strategies with
deadlocks only in the naive one, PostgreSQL's lock waits and its detection time following
deadlock_timeout, retries that keep the balances right, livelock in the model, the banker's
answers, and an etcd lease lock (a create-if-absent transaction, the revision as fencing token,
keep-alive, expiry, etcdctl's own lock) whose fenced store refuses a paused holder's write. Its
helpers are tested directly too, with the same servers."""

from __future__ import annotations

import re
import threading

import matplotlib
import matplotlib.pyplot as plt
import pytest
from test_notebooks import markdown, number, printed, run_lesson

from advpy.checks import is_cycle_of
from advpy.lessons.deadlocks import bankers, leases, livelock, pg, transfers
from advpy.lessons.deadlocks.plots import plot_detection, plot_strategies
from advpy.lessons.deadlocks.tracked import DeadlockVictim, Detector, LockTable
from advpy.lessons.deadlocks.waitfor import find_cycle, wait_for_graph
from advpy.services import etcd_server, postgres_server

matplotlib.use("Agg")

NAME = "23_deadlocks"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_finds_the_deadlock_between_two_threads() -> None:
    out = printed(run_lesson(NAME))
    assert "wait-for graph: {'T1': ['T2'], 'T2': ['T1']}\ncycle: ['T1', 'T2']" in out
    assert "diamond: None\nchain of 100,000: None" in out
    assert "chain closed into a ring, cycle length: 100001" in out
    assert re.search(
        r"wait-for graph while both waited: \{'T\d': \['T\d'\], 'T\d': \['T\d'\]\}", out
    )
    found = re.search(r"cycle \['T\d', 'T\d'\], victim (T\d), found (\d+) ms after", out)
    assert found, "the detector names a cycle and its victim"
    assert "balances: {'A0': 115, 'A1': 85} (total 200)" in out


@pytest.mark.slow
def test_lesson_breaks_each_condition_and_only_naive_deadlocks() -> None:
    out = printed(run_lesson(NAME))
    rows = re.findall(
        r"^ *(.+?) \( *(.+?)\): +(\d+) transfers/s, +(\d+) deadlocks, +(\d+) retries, "
        r"money (\d+) -> (\d+)$",
        out,
        re.M,
    )
    assert [row[0] for row in rows] == list(transfers.BREAKS)
    for name, _breaks, _speed, deadlocks, _retries, before, after in rows:
        assert before == after, f"{name} lost or made money"
        if name == "naive":
            assert int(deadlocks) > 0, "the naive strategy deadlocks with 4 threads on 4 accounts"
        else:
            assert int(deadlocks) == 0, f"{name} breaks a condition: no cycle can form"
    assert re.search(r"naive is \d+x slower than ", out)


@pytest.mark.slow
def test_lesson_shows_postgres_lock_waits_detection_and_retries() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(
        r"lock waits .*: \[\('T1', 'transactionid', 'ShareLock', False, \[\d+\]\)\]", out
    )
    assert re.search(r"victim T2: SQLSTATE 40P01 'deadlock detected', \d+ ms after", out)
    assert "after the victim was retried: {1: 115, 2: 85}" in out
    assert re.search(r"\[\d+\] ERROR:  deadlock detected", out)
    assert re.search(r"DETAIL:  Process \d+ waits for ShareLock on transaction \d+", out)
    found = re.findall(r"deadlock_timeout +(\d+) ms: detected after +(\d+) ms, victim T2", out)
    assert [int(setting) for setting, _ in found] == [20, 100, 300]
    for setting, measured in found:
        assert number(measured) >= number(setting), "detection never comes before the timeout"
    payer_first = re.search(
        r"payer first: 20 transfers, (\d+) deadlocks retried, balances \{1: 100, 2: 100\}", out
    )
    assert payer_first, "opposite transfers keep the total"
    assert re.search(
        r"id order: 20 transfers, 0 deadlocks retried, balances \{1: 100, 2: 100\}", out
    )
    assert "PostgreSQL stopped: True" in out


@pytest.mark.slow
def test_lesson_shows_livelock_and_bankers() -> None:
    out = printed(run_lesson(NAME))
    assert "LivelockRun(pause='fixed 2 ticks', finished=False, ticks=1000" in out
    assert "LivelockRun(pause='random 1-4 ticks', finished=True" in out
    assert "safe order: ['P2', 'P1', 'P3']" in out
    assert "grant P2 [1, 0]? True\ngrant P1 [3, 2]? False" in out


@pytest.mark.slow
def test_lesson_takes_an_etcd_lock_with_growing_tokens() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"etcd 3\.\d+\.\d+ at http://127\.0\.0\.1:\d+", out)
    a = re.search(
        r"A: Held\(owner='A', lease_id='\d+', token=(\d+)\) \| holder: \('A', (\d+)\)", out
    )
    assert a and a[1] == a[2], "A holds the lock, and its token is its key's create revision"
    assert "B while A holds it: None\nA renews for 30 s | A releases: True\nholder now: None" in out
    b = re.search(r"B: Held\(owner='B', lease_id='\d+', token=(\d+)\) \| token grew by (\d+)", out)
    assert b and int(b[1]) - int(a[1]) == int(b[2]) > 1, "releasing A's lease was a write too"
    assert "B releases: True | again: False" in out
    kept = re.search(r"TTL 1 s, renewed 3 times over [\d.]+ s: still held True", out)
    assert kept, "keep-alive holds the lock past its TTL"
    gone = re.search(r"after the last renewal, the key was gone after ([\d.]+) s", out)
    assert gone and float(gone[1]) >= 0.95, "etcd never ends a lease before its TTL"
    recipe = re.search(r"\{'ETCD_LOCK_KEY': 'report/[0-9a-f]+', 'ETCD_LOCK_REV': '(\d+)'\}", out)
    assert recipe and int(recipe[1]) > int(b[1]), "etcdctl lock gives a key and a later revision"


@pytest.mark.slow
def test_lesson_fences_the_paused_holder() -> None:
    out = printed(run_lesson(NAME))
    a = re.search(r"A holds the lock, token (\d+)\nB tries while A holds it: None\n", out)
    assert a, "B cannot take the lock A holds"
    assert re.search(r"A pauses [\d.]+ s \(TTL 1 s\); the lock's holder now: None", out)
    b = re.search(r"B takes the lock: token (\d+)", out)
    assert b and int(b[1]) > int(a[1]), "the later holder has the larger token"
    assert f"B writes with token {b[1]}: plain store True, fenced store True" in out
    assert f"A wakes, writes with token {a[1]}: plain store True, fenced store False" in out
    assert f"A releases: False; the lock's holder now: ('B', {b[1]})" in out
    assert "stored at the end: plain store 'A' | fenced store 'B'" in out
    assert "etcd stopped: True | services left running: []" in out


@pytest.mark.slow
def test_lesson_draws_two_plots() -> None:
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 2, "the strategies' throughput, and PostgreSQL's detection times"


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in (
        "Coffman",
        "deadlock_timeout",
        "40P01",
        "pg_locks",
        "pg_blocking_pids",
        "Redlock",
        "fencing token",
        "/v3/lease/grant",
        "create_revision == 0",
        "/v3/lease/keepalive",
        "etcdctl lock",
        "22_consistency_consensus.ipynb",
        "09_thread_safety.ipynb",
        "faulthandler",
    ):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps23_deadlocks.ipynb" in text


# --- the helpers -------------------------------------------------------------------------------


def test_wait_for_graph_leaves_out_the_waiter_and_repeats() -> None:
    held = {"x": ["T3", "T1", "T3"], "y": ["T2"]}
    assert wait_for_graph(held, {"T1": "x", "T2": "z"}) == {"T1": ["T3"], "T2": []}


@pytest.mark.parametrize(
    ("graph", "has_cycle"),
    [
        ({"a": ["b"], "b": ["c"], "c": ["b"]}, True),
        ({"a": ["b", "c"], "b": ["d"], "c": ["d"]}, False),
        ({None: [None]}, True),
        ({0: [1], 1: []}, False),
        ({}, False),
    ],
)
def test_find_cycle_returns_a_cycle_exactly_when_there_is_one(graph: dict, has_cycle: bool) -> None:
    cycle = find_cycle(graph)
    assert (cycle is not None) == has_cycle
    if cycle is not None:
        assert is_cycle_of(cycle, graph)


def test_find_cycle_needs_no_recursion() -> None:
    ring = {i: [(i + 1) % 50_000] for i in range(50_000)}
    assert len(find_cycle(ring) or []) == 50_000


def test_detector_picks_the_last_waiter_and_its_wait_fails() -> None:
    table = LockTable()
    first, second = table.lock("A0"), table.lock("A1")
    both = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def take(name: str, a, b) -> None:
        try:
            with a:
                both.wait()
                with b:
                    outcome[name] = "done"
        except DeadlockVictim:
            outcome[name] = "victim"

    pair = [
        threading.Thread(target=take, args=("T1", first, second), name="T1", daemon=True),
        threading.Thread(target=take, args=("T2", second, first), name="T2", daemon=True),
    ]
    for thread in pair:
        thread.start()
    while len(table.snapshot()[1]) < 2:
        threading.Event().wait(0.001)
    detector = Detector(table, interval=1.0)
    found = detector.check()
    for thread in pair:
        thread.join(5)
    assert found is not None and sorted(found.cycle) == ["T1", "T2"]
    assert outcome[found.victim] == "victim"
    assert sorted(outcome.values()) == ["done", "victim"]
    assert table.graph() == {} and table.holders == {}


def test_cures_never_deadlock_and_keep_the_money() -> None:
    for name in ("ordered", "all at once", "try-lock + back-off", "single owner"):
        run = transfers.run_strategy(name, threads=3, transfers=30, accounts=3, interval=0.005)
        assert run.deadlocks == 0, name
        assert run.total_before == run.total_after == 3000


def test_livelock_model_and_jitter() -> None:
    assert not livelock.polite_workers(jitter=False, max_ticks=200).finished
    assert all(livelock.polite_workers(jitter=True, seed=s).finished for s in range(50))


def test_bankers_safe_order_and_grant() -> None:
    maximum = {"P1": [5, 3], "P2": [3, 2], "P3": [4, 2]}
    allocation = {"P1": [1, 0], "P2": [2, 1], "P3": [1, 1]}
    assert bankers.safe_order([3, 2], maximum, allocation) == ["P2", "P1", "P3"]
    assert bankers.safe_order([0, 0], maximum, allocation) is None
    assert bankers.grant([3, 2], maximum, allocation, "P3", [4, 0]) is False  # does not fit
    assert bankers.grant([3, 2], maximum, allocation, "P1", [3, 2]) is False  # unsafe


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as db:
        yield db


@pytest.fixture(scope="module")
def etcd():
    with etcd_server() as server:
        yield server


def test_postgres_detects_after_deadlock_timeout_and_retries(postgres) -> None:
    record = pg.pg_deadlock(postgres, deadlock_timeout_ms=50)
    assert record.victim == "T2" and record.sqlstate == "40P01"
    assert record.detected_after >= 0.05
    assert record.balances == {1: 115, 2: 85}
    assert record.waits and record.waits[0][0] == "T1" and record.waits[0][3] is False
    ordered = pg.opposite_transfers(postgres, rounds=5, ordered=True, deadlock_timeout_ms=50)
    assert ordered.deadlocks == 0 and ordered.balances == {1: 100, 2: 100}
    assert any("deadlock detected" in line for line in pg.deadlock_log_lines(postgres))


def test_etcd_lock_grants_once_renews_and_releases_by_lease(etcd) -> None:
    lock = leases.EtcdLock(etcd.client, "t-lock", ttl_s=10)
    a = lock.acquire("A")
    assert a is not None and lock.holder() == ("A", a.token)
    assert lock.acquire("B") is None and lock.holder() == ("A", a.token)
    assert lock.keep_alive(a) == 10
    assert lock.release(a) is True and lock.holder() is None
    assert lock.release(a) is False and lock.keep_alive(a) == 0, "a revoked lease is gone"
    b = lock.acquire("B")
    assert b is not None and b.token > a.token
    assert lock.release(a) is False and lock.holder() == ("B", b.token)
    assert lock.release(b) is True
    assert lock.holder() is None


def test_etcdctl_lock_holds_a_key_on_a_lease(etcd) -> None:
    before = etcd.client.put("t-marker", "x")
    taken = leases.etcdctl_lock(etcd, "t-recipe")
    assert re.fullmatch(r"t-recipe/[0-9a-f]+", taken["ETCD_LOCK_KEY"])
    assert int(taken["ETCD_LOCK_REV"]) > before
    assert etcd.client.get_prefix("t-recipe") == {}, "etcdctl released the lock when done"


def test_a_pause_shorter_than_the_lease_is_harmless(etcd) -> None:
    story = leases.paused_holder(etcd.client, ttl_s=10, pause_s=0)
    assert "B takes the lock: token None" in story.events
    assert story.plain == story.fenced == "A"
    assert story.events[-1] == "A releases: True; the lock's holder now: None"


def test_fenced_storage_refuses_only_smaller_tokens() -> None:
    fenced, plain = leases.Storage(fenced=True), leases.Storage(fenced=False)
    for store in (fenced, plain):
        assert store.write("k", "new", 7) and store.write("k", "again", 7)
        assert store.write("other", "first", 3), "each key has its own largest token"
    assert not fenced.write("k", "old", 6) and fenced.values["k"] == "again"
    assert plain.write("k", "old", 6) and plain.values["k"] == "old"


def test_plots_draw_from_records() -> None:
    runs = [
        transfers.StrategyRun("naive", "none", 10, 1.0, 2, 2, 10, 10),
        transfers.StrategyRun("ordered", "circular wait", 10, 0.1, 0, 0, 10, 10),
    ]
    fig, ax = plot_strategies(runs)
    assert len(ax.patches) == 2
    plt.close(fig)
    record = pg.PgDeadlock(100, [], "T2", "40P01", "deadlock detected", 0.101, {1: 1})
    fig, ax = plot_detection([record])
    assert ax.get_xlabel() == "deadlock_timeout (ms)"
    plt.close(fig)
