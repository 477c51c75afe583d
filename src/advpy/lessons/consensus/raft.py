"""Raft's two message rules as plain functions of plain state, and a network to run them in.

A node's state is a dict: ``term`` (the latest term it has seen), ``voted_for`` (whom it voted
for in that term, or None), ``log`` (a list of ``{"term", "command"}`` entries; the entry at
list position ``i`` has Raft index ``i + 1``) and ``commit_index`` (how many entries are known
committed). Each rule returns the node's new state and its reply; neither changes its input.
Timers, elections and the leader's bookkeeping are played by
:class:`advpy.checks.RaftSimulation`, which calls these rules for every message a node gets.
"""

from __future__ import annotations

from typing import Any

from advpy.checks import RaftSimulation

State = dict[str, Any]
Reply = dict[str, Any]


def _last(log: list[dict[str, Any]]) -> tuple[int, int]:
    """(term, index) of the last entry; (0, 0) for an empty log."""
    return (log[-1]["term"], len(log)) if log else (0, 0)


def request_vote(state: State, request: dict[str, Any]) -> tuple[State, Reply]:
    """Answer a RequestVote: grant it at most once per term, and only to a candidate whose log
    is at least as up to date as this node's (a later last term, or the same and as long)."""
    new = {**state, "log": list(state["log"])}
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    if request["term"] > new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    up_to_date = (request["last_log_term"], request["last_log_index"]) >= _last(new["log"])
    granted = new["voted_for"] in (None, request["candidate_id"]) and up_to_date
    if granted:
        new["voted_for"] = request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": granted}


def append_entries(state: State, request: dict[str, Any]) -> tuple[State, Reply]:
    """Answer an AppendEntries: refuse a stale term or a log that does not match at
    ``prev_log_index``; otherwise add the entries (cutting the log only where an entry
    conflicts) and commit up to the leader's commit index, as far as this message vouches."""
    new = {**state, "log": list(state["log"])}
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "success": False, "match_index": 0}
    if request["term"] > new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    prev, log = request["prev_log_index"], new["log"]
    if prev > len(log) or (prev > 0 and log[prev - 1]["term"] != request["prev_log_term"]):
        return new, {"term": new["term"], "success": False, "match_index": 0}
    for offset, entry in enumerate(request["entries"]):
        index = prev + offset  # list position of this entry
        if index < len(log) and log[index]["term"] != entry["term"]:
            del log[index:]  # a conflict: this entry and all after it go
        if index >= len(log):
            log.append(dict(entry))
    last_new = prev + len(request["entries"])
    new["commit_index"] = max(new["commit_index"], min(request["leader_commit"], last_new))
    return new, {"term": new["term"], "success": True, "match_index": last_new}


def truncating_append_entries(state: State, request: dict[str, Any]) -> tuple[State, Reply]:
    """A common mistake: replace everything after ``prev_log_index`` by the entries sent. A late,
    shorter message then cuts entries the leader may already count as committed."""
    new, reply = append_entries(state, request)
    if reply["success"]:
        new["log"] = new["log"][: request["prev_log_index"]] + [dict(e) for e in request["entries"]]
    return new, reply


def forgetful_request_vote(state: State, request: dict[str, Any]) -> tuple[State, Reply]:
    """A common mistake: grant every candidate with a new enough term, forgetting the vote
    already given in this term (and whether the candidate's log is up to date)."""
    new = {**state, "log": list(state["log"])}
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    new["term"], new["voted_for"] = request["term"], request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": True}


def network(
    *, seed: int = 1, nodes: int = 3, loss: float = 0.0, rules: str = "correct"
) -> RaftSimulation:
    """A fresh network of ``nodes`` nodes running the correct rules, or one of the mistakes
    (``rules="truncating"`` or ``"forgetful"``)."""
    vote = forgetful_request_vote if rules == "forgetful" else request_vote
    append = truncating_append_entries if rules == "truncating" else append_entries
    return RaftSimulation(vote, append, nodes=nodes, seed=seed, loss=loss)


def describe(sim: RaftSimulation) -> str:
    """One line per node: role, term, log (the term of each entry) and commit index."""
    lines = [f"t={sim.time}"]
    for name, node in sim.snapshot()["nodes"].items():
        log = "".join(str(t) for t in node["log"]) or "-"
        lines.append(
            f"  {name} {node['role']:<9} term {node['term']:>2}  log {log:<24} "
            f"committed {node['commit_index']}"
        )
    return "\n".join(lines)
