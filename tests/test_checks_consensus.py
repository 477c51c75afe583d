"""advpy.checks.RaftSimulation and raft_run: a deterministic Raft network that runs a learner's
two rules, reports broken safety rules and progress as plain data, and says plainly when a rule
returns something of the wrong shape."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from advpy.checks import RaftSimulation, raft_run


def vote(state: dict[str, Any], request: dict[str, Any]) -> tuple[dict, dict]:
    new = copy.deepcopy(state)
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    if request["term"] > new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    log = new["log"]
    mine = (log[-1]["term"], len(log)) if log else (0, 0)
    ok = (request["last_log_term"], request["last_log_index"]) >= mine
    granted = new["voted_for"] in (None, request["candidate_id"]) and ok
    if granted:
        new["voted_for"] = request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": granted}


def append(state: dict[str, Any], request: dict[str, Any]) -> tuple[dict, dict]:
    new = copy.deepcopy(state)
    no = {"term": max(new["term"], request["term"]), "success": False, "match_index": 0}
    if request["term"] < new["term"]:
        return new, no
    if request["term"] > new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    prev, log = request["prev_log_index"], new["log"]
    if prev and (prev > len(log) or log[prev - 1]["term"] != request["prev_log_term"]):
        return new, no
    for position, sent in enumerate(request["entries"], start=prev):
        if position < len(log) and log[position]["term"] != sent["term"]:
            del log[position:]
        if position >= len(log):
            log.append(dict(sent))
    last = prev + len(request["entries"])
    new["commit_index"] = max(new["commit_index"], min(request["leader_commit"], last))
    return new, {"term": new["term"], "success": True, "match_index": last}


def greedy_vote(state: dict[str, Any], request: dict[str, Any]) -> tuple[dict, dict]:
    new = copy.deepcopy(state)
    new["term"] = max(new["term"], request["term"])
    return new, {"term": new["term"], "vote_granted": True}


def test_correct_rules_stay_safe_and_make_progress_over_seeds() -> None:
    for seed in range(5):
        run = raft_run(vote, append, seed=seed, nodes=3 + 2 * (seed % 2))
        assert run["violations"] == []
        assert run["committed"] > 0 and max(run["leaders"]) >= 1
        assert run["committed_after_heal"] == run["proposed_after_heal"] > 0
        assert all(len(names) == 1 for names in run["leaders"].values())


def test_a_vote_for_everybody_gives_two_leaders_in_a_term() -> None:
    runs = [raft_run(greedy_vote, append, seed=seed) for seed in range(8)]
    assert any(any("two leaders in term" in v for v in run["violations"]) for run in runs)


def test_the_same_seed_replays_the_same_run() -> None:
    assert raft_run(vote, append, seed=4) == raft_run(vote, append, seed=4)


def test_a_minority_commits_nothing_and_healing_brings_it_back() -> None:
    sim = RaftSimulation(vote, append, nodes=5, seed=2)
    while sim.leader() is None:
        sim.step()
    leader = sim.leader()
    assert leader is not None
    others = set(sim.ids) - {leader}
    minority = {leader, sorted(others)[0]}
    sim.partition(minority, set(sim.ids) - minority)
    sim.propose("only-the-minority-has-it")
    for _ in range(60):
        sim.step()
    assert all(e["command"] != "only-the-minority-has-it" for e in sim.committed)
    assert sim.propose("the-majority-has-it"), "the majority elected a leader of its own"
    for _ in range(20):
        sim.step()
    sim.heal()
    for _ in range(40):
        sim.step()
    assert sim.violations == []
    logs = {n: [e["command"] for e in s["log"]] for n, s in sim.states.items()}
    assert all("only-the-minority-has-it" not in log for log in logs.values()), "replaced"
    assert all("the-majority-has-it" in log for log in logs.values())
    assert sim.snapshot()["nodes"][leader]["role"] == "follower"


def test_a_rule_of_the_wrong_shape_is_named_in_the_failure() -> None:
    sim = RaftSimulation(vote, lambda state, request: {"success": True}, seed=1)
    with pytest.raises(AssertionError, match=r"append_entries must return a pair"):
        for _ in range(60):
            sim.step()
    sim = RaftSimulation(lambda s, r: (s, {"term": s["term"], "vote_granted": 1}), append, seed=1)
    with pytest.raises(AssertionError, match="vote_granted as True or False"):
        for _ in range(60):
            sim.step()
