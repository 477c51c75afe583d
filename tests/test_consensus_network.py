"""PreVote and CheckQuorum in advpy.checks.RaftSimulation and raft_run, with reference rules:
the extensions that graded set ps22 asks for. Kept out of the learners' tests (tests/test_checks*
ship with the learner release), because these rules are the set's answers."""

from __future__ import annotations

from typing import Any

from advpy.checks import RaftSimulation, raft_run
from advpy.lessons.consensus.raft import append_entries, request_vote


def pre_vote(state: dict[str, Any], request: dict[str, Any], heard: bool) -> dict[str, Any]:
    """A pre-vote: no live leader, a newer term, a log at least as up to date; no state change."""
    log = state["log"]
    mine = (log[-1]["term"] if log else 0, len(log))
    theirs = (request["last_log_term"], request["last_log_index"])
    return {
        "term": state["term"],
        "vote_granted": not heard and request["term"] > state["term"] and theirs >= mine,
    }


def check_quorum(
    last_heard: dict[str, int | None], now: int, elected_at: int, timeout: int
) -> bool:
    """Keep leading within the first timeout, or while a majority replied within it."""
    live = sum(t is not None and now - t < timeout for t in last_heard.values())
    return now - elected_at < timeout or 2 * (1 + live) > len(last_heard) + 1


def grants_while_a_leader_is_heard(
    state: dict[str, Any], request: dict[str, Any], heard: bool
) -> dict[str, Any]:
    return pre_vote(state, request, False)


def run(seed: int, cut: str, **rules: Any) -> dict[str, Any]:
    return raft_run(
        request_vote, append_entries, seed=seed, nodes=5 if seed % 3 == 0 else 3, cut=cut, **rules
    )


def test_pre_vote_and_check_quorum_stay_safe_and_make_progress() -> None:
    for seed in range(1, 7):
        for cut in ("leader", "follower", "link"):
            result = run(seed, cut, pre_vote=pre_vote, check_quorum=check_quorum)
            assert result["violations"] == [], (seed, cut)
            assert result["committed_after_heal"] == result["proposed_after_heal"] > 0, (seed, cut)


def test_one_broken_link_raises_terms_unless_pre_votes_ask_about_the_leader() -> None:
    for seed in range(1, 7):
        result = run(seed, "link", pre_vote=pre_vote, check_quorum=check_quorum)
        assert result["term_at_heal"] == result["term_at_cut"], seed
    plain = [run(seed, "link") for seed in range(1, 7)]
    assert all(r["term_at_heal"] > r["term_at_cut"] for r in plain), "elections for nothing"
    careless = [
        run(seed, "link", pre_vote=grants_while_a_leader_is_heard, check_quorum=check_quorum)
        for seed in range(1, 7)
    ]
    assert sum(r["term_at_heal"] > r["term_at_cut"] for r in careless) >= 4


def test_check_quorum_steps_a_cut_off_leader_down() -> None:
    for seed in range(1, 7):
        with_check = run(seed, "leader", pre_vote=pre_vote, check_quorum=check_quorum)
        assert 0 < with_check["cut_off_led_for"] <= 25, seed
        without = run(seed, "leader", pre_vote=pre_vote)
        assert without["cut_off_led_for"] == 80, "it leads on until the heal"


def test_a_node_cut_off_with_pre_vote_keeps_its_term() -> None:
    sim = RaftSimulation(request_vote, append_entries, nodes=3, seed=2, pre_vote=pre_vote)
    while sim.leader() is None:
        sim.step()
    leader = sim.leader()
    follower = next(n for n in sim.ids if n != leader)
    term = sim.states[follower]["term"]
    sim.partition({follower}, set(sim.ids) - {follower})
    for _ in range(80):
        sim.step()
    assert sim.states[follower]["term"] == term, "pre-votes that get no answer raise no term"
    sim.heal()
    for _ in range(30):
        sim.step()
    assert sim.leader() == leader and sim.states[leader]["term"] == term
    assert sim.violations == []


def test_the_default_network_is_unchanged_by_the_extensions() -> None:
    plain = raft_run(request_vote, append_entries, seed=4)
    assert plain == raft_run(request_vote, append_entries, seed=4, pre_vote=None)
    assert plain["cut_off_led_for"] == 80 and plain["violations"] == []
