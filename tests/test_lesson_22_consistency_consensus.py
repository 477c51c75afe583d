"""Lesson 22 (consistency and consensus) runs top to bottom in fast mode and prints what its
prose promises: the five histories judged by the five checkers, no stale read when R + W > N,
a Raft run through election, replication, partition and healing with nothing committed lost,
the correct rules safe and the forgetful vote unsafe over many seeds, a real three-member etcd
cluster that loses its leader during writes and keeps every acknowledged write, the minority
side refusing writes, and Paxos keeping a chosen value. The helpers are tested directly too."""

from __future__ import annotations

import re

import pytest
from test_notebooks import markdown, number, printed, run_lesson

from advpy.checks import RaftSimulation, raft_run
from advpy.lessons.consensus import histories, paxos, quorum, raft
from advpy.lessons.consensus.failover import run_failover
from advpy.lessons.consensus.stepper import stepper
from advpy.services import etcd_cluster, running_services

NAME = "22_consistency_consensus"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_judges_the_five_histories() -> None:
    out = printed(run_lesson(NAME))
    rows = {
        "overlapping read": "yes yes yes yes yes",
        "stale read": "no yes yes yes yes",
        "two orders": "no no yes yes no",
        "effect before cause": "no no no yes no",
        "lost own write": "no no no no yes",
    }
    for name, verdicts in rows.items():
        line = next(row for row in out.splitlines() if row.startswith(name))
        assert " ".join(line[len(name) :].split()) == verdicts, line
    assert "linearization: ['A:write(1)', 'B:read(1)', 'C:read(1)']" in out


@pytest.mark.slow
def test_lesson_counts_no_stale_read_when_quorums_overlap() -> None:
    out = printed(run_lesson(NAME))
    assert "stale reads when R + W > N: 0" in out
    stale = re.search(r"stale reads when R \+ W <= N: (\d+) \(in (\d+) of 13 settings\)", out)
    assert stale and int(stale.group(1)) > 0 and int(stale.group(2)) > 0
    assert len(re.findall(r"^N=\d R=\d W=\d .*stale +\d+", out, re.M)) == 9 + 25


@pytest.mark.slow
def test_lesson_steps_raft_through_a_partition_without_losing_commits() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"n\d leader +term +\d+", out)
    cut = re.search(r"cut off: (n\d); now leading: (n\d)", out)
    assert cut and cut.group(1) != cut.group(2)
    assert "violations: []" in out
    committed = re.search(r"committed commands: \[(.*)\]", out)
    assert committed and "'x=1', 'y=2', 'z=3', 'w=4'" in committed.group(1)
    assert "lost=" not in committed.group(1), "the cut-off leader's entries were never committed"
    assert re.search(r"^correct   :  0 of 12 seeds broke safety \[\]", out, re.M)
    forgetful = re.search(r"^forgetful : +(\d+) of 12 seeds broke safety", out, re.M)
    assert forgetful and int(forgetful.group(1)) > 0
    assert "two leaders in term" in out


@pytest.mark.slow
def test_lesson_kills_the_etcd_leader_and_keeps_every_acknowledged_write() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"3 members healthy after \d+\.\d\d s", out)
    killed = re.search(r"killed (n\d) after 50 writes \(term (\d+)\); (n\d) leads term (\d+)", out)
    assert killed and killed.group(1) != killed.group(3)
    assert int(killed.group(4)) > int(killed.group(2))
    election = re.search(r"election time \(kill -> survivors name a new leader\): (\d+) ms", out)
    assert election and 0 < number(election.group(1)) < 10_000
    assert re.search(r"longest gap without an acknowledged write: \d+ ms", out)
    acked = re.search(r"acknowledged: (\d+) of 150; errors: (\d+)", out)
    assert acked and int(acked.group(1)) + int(acked.group(2)) == 150
    assert "acknowledged but missing afterwards: 0" in out
    assert re.search(r"put: refused \(", out)
    assert re.search(r"linearizable get: refused \(", out)
    assert "serializable get: '0'" in out
    assert "cluster stopped: True | services left running: []" in out


@pytest.mark.slow
def test_lesson_shows_paxos_keeping_a_chosen_value_and_draws_four_plots() -> None:
    out = printed(run_lesson(NAME))
    assert "'proposed': 'blue', 'accepted_by': [0, 1, 2]} -> blue" in out
    assert "'ballot': 2, 'proposed': 'blue', 'accepted_by': [2, 3, 4]} -> blue" in out
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 4, "histories, quorums, the Raft run and the etcd failover"


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in (
        "Gilbert and Lynch",
        "Fischer, Lynch and Paterson",
        "asynchronous",
        "PACELC",
        "serializable",
        "NP-complete",
        "R + W > N",
        "up to date",
        "indeterminate",
    ):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps22_consensus.ipynb" in text


# --- the helpers -------------------------------------------------------------------------------


def test_checkers_on_edge_histories() -> None:
    assert histories.check_all([]) == dict.fromkeys(histories.MODELS, True)
    touching = [histories.op("A", "write", 1, 0, 1), histories.op("B", "read", None, 1, 2)]
    assert histories.is_linearizable(touching)
    later = [histories.op("A", "write", 1, 0, 1), histories.op("B", "read", None, 1.5, 2)]
    assert not histories.is_linearizable(later) and histories.is_sequential(later)
    own = [histories.op("A", "write", 1, 0, 1), histories.op("A", "read", None, 2, 3)]
    assert not histories.reads_your_writes(own) and not histories.is_sequential(own)
    assert not histories.is_eventually_consistent(
        [histories.op("A", "write", 1, 0, 1), histories.op("B", "read", 7, 9, 10)], settle=2
    ), "a settled read of a value never written"


def test_quorum_overlap_never_reads_stale_and_validates_its_input() -> None:
    for r, w in [(2, 2), (1, 3), (3, 1)]:
        assert quorum.simulate(3, r, w, reads=300, seed=1).stale == 0
    assert quorum.simulate(3, 1, 1, reads=300, seed=1).stale > 0
    with pytest.raises(ValueError, match="1 <= R, W <= N"):
        quorum.simulate(3, 4, 1)


def test_raft_rules_keep_safety_and_the_mistakes_break_it() -> None:
    for seed in range(6):
        run = raft_run(raft.request_vote, raft.append_entries, seed=seed, nodes=3 + 2 * (seed % 2))
        assert run["violations"] == [] and run["committed"] > 0
        assert run["committed_after_heal"] == run["proposed_after_heal"] > 0
    forgetful = [
        raft_run(raft.forgetful_request_vote, raft.append_entries, seed=s)["violations"]
        for s in range(10)
    ]
    assert any("two leaders" in v for vs in forgetful for v in vs)
    # a late, shorter message: the truncating rule cuts the log, the right one does not
    state = {
        "id": "n1",
        "term": 1,
        "voted_for": None,
        "commit_index": 0,
        "log": [{"term": 1, "command": c} for c in "abc"],
    }
    late = {
        "term": 1,
        "leader_id": "n2",
        "prev_log_index": 0,
        "prev_log_term": 0,
        "entries": [{"term": 1, "command": "a"}],
        "leader_commit": 0,
    }
    assert len(raft.append_entries(state, late)[0]["log"]) == 3
    assert len(raft.truncating_append_entries(state, late)[0]["log"]) == 1
    assert len(state["log"]) == 3, "the rules leave their input alone"


def test_raft_simulation_reports_a_rule_with_a_wrong_shape() -> None:
    sim = RaftSimulation(lambda s, r: None, raft.append_entries, seed=1)
    with pytest.raises(AssertionError, match="request_vote must return a pair"):
        for _ in range(40):
            sim.step()


def test_paxos_keeps_a_chosen_value_and_needs_a_majority() -> None:
    group = paxos.acceptors(3)
    assert paxos.propose(group, [0], 1, "a")["proposed"] is None
    assert paxos.chosen(group) is None
    paxos.propose(group, [1, 2], 2, "b")
    assert paxos.propose(group, [0, 1], 3, "c")["proposed"] == "b"
    assert paxos.propose(group, [0, 1], 1, "d")["accepted_by"] == [], "a stale ballot"


def test_failover_on_a_real_cluster_loses_no_acknowledged_write() -> None:
    with etcd_cluster(3) as cluster:
        run = run_failover(cluster, writes=40, kill_after=10)
    assert run.killed != run.new_leader and run.new_term > run.old_term
    assert run.lost == [] and len(run.acked) >= 10
    assert run.election_s is not None and run.election_s > 0
    assert set(run.landed_anyway) <= {a.key for a in run.failed}
    assert cluster not in running_services()


def test_the_stepper_steps_cuts_and_heals_on_clicks() -> None:
    sim = raft.network(seed=7)
    box = stepper(sim)
    step, cut, heal = box.children[0].children
    for _ in range(25):
        step.click()
    assert sim.time == 25 and sim.leader() is not None
    cut.click()
    assert sim.groups is not None and len(sim.groups) == 2
    heal.click()
    assert sim.groups is None and sim.violations == []
