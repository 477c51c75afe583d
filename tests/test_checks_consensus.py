"""advpy.checks.RaftSimulation and raft_run: a deterministic Raft network that runs a learner's
two rules, reports broken safety rules and progress as plain data, and says plainly when a rule
returns something of the wrong shape. The two rules are the lesson's (lesson 22)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from advpy.checks import RaftSimulation, raft_run
from advpy.lessons.consensus.raft import append_entries as append
from advpy.lessons.consensus.raft import request_vote as vote


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


def test_a_pre_vote_or_check_quorum_of_the_wrong_shape_is_named_in_the_failure() -> None:
    sim = RaftSimulation(vote, append, seed=1, pre_vote=lambda s, r, heard: (s, True))
    with pytest.raises(AssertionError, match="pre_vote must return a reply dict"):
        for _ in range(60):
            sim.step()
    sim = RaftSimulation(vote, append, seed=1, check_quorum=lambda *args: 1)
    with pytest.raises(AssertionError, match="check_quorum must return True or False"):
        for _ in range(60):
            sim.step()


def test_a_cut_link_stops_only_its_two_ends() -> None:
    sim = RaftSimulation(vote, append, nodes=3, seed=1)
    sim.cut("n1", "n2")
    assert not sim.connected("n1", "n2") and not sim.connected("n2", "n1")
    assert sim.connected("n1", "n3") and sim.connected("n2", "n3")
    sim.heal()
    assert sim.connected("n1", "n2")


def test_a_pre_vote_nobody_grants_keeps_every_term_at_zero() -> None:
    def refuse(state: dict[str, Any], request: dict[str, Any], heard: bool) -> dict[str, Any]:
        return {"term": state["term"], "vote_granted": False}

    sim = RaftSimulation(vote, append, nodes=3, seed=3, pre_vote=refuse)
    for _ in range(100):
        sim.step()
    assert sim.leader() is None and all(s["term"] == 0 for s in sim.states.values())
    assert any("asks pre-votes for term 1" in text for _, text in sim.events)


def test_a_leader_told_to_step_down_follows() -> None:
    sim = RaftSimulation(vote, append, nodes=3, seed=3, check_quorum=lambda *args: False)
    for _ in range(100):
        sim.step()
    assert sim.leaders, "leaders are still elected"
    assert sim.leader() is None, "and each steps down in the tick it was elected"
