"""Lesson 09 (thread safety) runs top to bottom in fast mode (and once in full mode) and shows
what its prose promises: the lock keeps every update, Lock vs RLock on re-entry, the semaphore's
cap, the bounded queue's back-pressure and clean shutdown, a real deadlock caught and fixed, and
the contention measurement for each way of locking."""

from __future__ import annotations

import re

import pytest
from test_notebooks import execute_lesson, markdown, number, printed, run_lesson

LESSON = "09_thread_safety"


@pytest.fixture(scope="module")
def out() -> str:
    return printed(run_lesson(LESSON))


@pytest.mark.slow
def test_the_lock_keeps_every_update_the_unlocked_code_does_not_claim_to(out: str) -> None:
    lost = dict(re.findall(r"^(.+?)\s*:\s*([\d,]+) of [\d,]+ (?:updates|counts) lost", out, re.M))
    assert number(lost["with lock: counter.value += one()"]) == 0
    assert number(lost["with lock: counts[w] = counts.get(w, 0) + 1"]) == 0
    assert number(lost["counter.value += one()"]) > 0, "the unlocked counter lost no update"
    assert "counts[w] = counts.get(w, 0) + 1" in lost
    assert "still locked after the error? False" in out
    assert re.search(r"^with lock: \.\.\.\s*:\s*\d+ ns per update", out, re.M)


@pytest.mark.slow
def test_a_plain_lock_hangs_on_reentry_and_an_rlock_does_not(out: str) -> None:
    assert "Lock : restock still waiting after 0.5 s? True" in out
    assert "RLock: restock still waiting after 0.5 s? False" in out
    assert "items after the RLock restock: 3" in out


@pytest.mark.slow
def test_condition_semaphore_event_and_barrier_do_what_the_prose_says(out: str) -> None:
    assert "received in order: True | most items waiting: 2" in out
    capped = re.search(r"^limit\s+3: at most\s+(\d+) at once", out, re.M)
    assert capped and int(capped.group(1)) <= 3
    assert "BoundedSemaphore: Semaphore released too many times" in out
    assert re.search(r"\d+ beats; stopped [\d.]+ ms after set\(\)", out)
    assert "nobody left before the last arrival: True" in out


@pytest.mark.slow
def test_the_bounded_queue_holds_the_producer_back_and_every_run_shuts_down(out: str) -> None:
    runs = re.findall(
        r"^(Queue\(\)|Queue\(maxsize=5\))\s*: (\d+) of (\d+) handled, peak\s+(\d+) waiting"
        r".*threads left running: (\d+)",
        out,
        re.M,
    )
    assert [r[0] for r in runs] == ["Queue()", "Queue(maxsize=5)"]
    for _, handled, items, _, left in runs:
        assert handled == items and left == "0"
    unbounded, bounded = (int(r[3]) for r in runs)
    assert bounded <= 5 < unbounded
    assert re.search(r"^20 items done; workers still alive: 3", out, re.M)


@pytest.mark.slow
def test_thread_local_gives_each_thread_its_own_connection(out: str) -> None:
    assert "can only be used in that same thread" in out
    assert "connections opened: ['worker-0', 'worker-1', 'worker-2']" in out
    assert re.search(r"free-threaded build: (True|False); GIL enabled: (True|False)", out)


@pytest.mark.slow
def test_the_deadlock_is_caught_located_and_fixed_by_ordering(out: str) -> None:
    assert "DEADLOCK: x-to-y, y-to-x still running after 3 s" in out
    stuck = re.findall(r"^\s+transfer_naive, line \d+: with b\.lock:$", out, re.M)
    assert len(stuck) == 2, "both threads must be shown waiting for their second lock"
    assert re.search(r"^finished in [\d.]+ s: x=115, y=85$", out, re.M)


@pytest.mark.slow
def test_contention_is_measured_for_every_way_of_locking(out: str) -> None:
    lines = re.findall(
        r"^(one lock|striped locks|one lock, update only)\s*: +[\d,]+ ops/s with 1 thread",
        out,
        re.M,
    )
    assert lines == ["one lock", "striped locks", "one lock, update only"]


def test_the_lesson_points_to_lesson_01_and_its_graded_set() -> None:
    text = " ".join(markdown(LESSON))
    assert "](01_gil.ipynb)" in text
    assert "](exercises/ps09_thread_safety.ipynb)" in text
    for tool in ("RLock", "Condition", "BoundedSemaphore", "Event", "Barrier", "threading.local"):
        assert tool in text, f"the lesson no longer teaches {tool}"
    for fact in ("faulthandler.dump_traceback", "task_done", "free-threaded", "sentinel"):
        assert fact in text


@pytest.mark.slow
def test_the_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Full mode (no ADVPY_FAST): the same notebook with the full counts, in a fresh kernel."""
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    full = printed(execute_lesson(LESSON))
    assert "Fast mode is on" not in full
    lost = dict(re.findall(r"^(.+?)\s*:\s*([\d,]+) of [\d,]+ updates lost", full, re.M))
    assert number(lost["with lock: counter.value += one()"]) == 0
    assert number(lost["counter.value += one()"]) > 0
    assert "finished in" in full and "x=115, y=85" in full
