"""Single-decree Paxos in a few lines: acceptors as plain dicts, one round as two phases.

An acceptor remembers the highest ballot it promised (``promised``) and the last proposal it
accepted (``accepted``: (ballot, value) or None). A proposer with ballot ``b``:

1. **prepare**: asks the acceptors it can reach to promise to ignore ballots below ``b``; each
   that has promised nothing higher does so and reports what it accepted;
2. with promises from a majority, it must propose the value of the highest-ballot acceptance
   among them (its own value only if there is none), then asks them to **accept** it; an
   acceptor accepts unless it has promised a higher ballot since.

A value is **chosen** once a majority accepted it in one ballot. Rule 2 is what makes a chosen
value stick: any later majority overlaps the one that chose it.
"""

from __future__ import annotations

from typing import Any

Acceptor = dict[str, Any]


def acceptors(count: int) -> list[Acceptor]:
    """Fresh acceptors: nothing promised, nothing accepted."""
    return [{"promised": 0, "accepted": None} for _ in range(count)]


def propose(group: list[Acceptor], reach: list[int], ballot: int, value: Any) -> dict[str, Any]:
    """One round by a proposer that reaches the acceptors numbered in ``reach``. Returns what
    happened: the value it proposed (None if it got no majority of promises) and who accepted."""
    majority = len(group) // 2 + 1
    promises = []
    for i in reach:
        if group[i]["promised"] < ballot:
            group[i]["promised"] = ballot
            promises.append(group[i]["accepted"])
    if len(promises) < majority:
        return {"ballot": ballot, "proposed": None, "accepted_by": []}
    earlier = [p for p in promises if p is not None]
    chosen_value = max(earlier, key=lambda p: p[0])[1] if earlier else value
    accepted_by = []
    for i in reach:
        if group[i]["promised"] <= ballot:
            group[i]["accepted"] = (ballot, chosen_value)
            accepted_by.append(i)
    return {"ballot": ballot, "proposed": chosen_value, "accepted_by": accepted_by}


def chosen(group: list[Acceptor]) -> Any:
    """The value a majority accepted in one ballot, or None."""
    counts: dict[tuple[int, Any], int] = {}
    for acceptor in group:
        if acceptor["accepted"] is not None:
            counts[acceptor["accepted"]] = counts.get(acceptor["accepted"], 0) + 1
    for (_, value), count in counts.items():
        if count > len(group) // 2:
            return value
    return None
