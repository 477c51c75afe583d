"""Histories of one register and checkers for five consistency models.

A history is a list of operations, each a dict: ``process`` (who ran it), ``kind``
(``"write"`` or ``"read"``), ``value`` (what was written, or what the read returned), and
``start`` and ``end`` (when the call was made and when it returned, on one clock). The register
starts out holding ``None``. Operation ``a`` **precedes** ``b`` in real time when
``a["end"] < b["start"]``; otherwise they overlap and are **concurrent**. Each process runs its
operations one after another, so a process's operations never overlap.

Every checker searches for an order of (some of) the operations in which each read returns the
value of the last write before it, subject to what the model keeps fixed:

========================  =================================================================
linearizable              one order of everything, respecting real-time precedence
sequential                one order of everything, respecting each process's own order
causal                    each process its own order of all writes and its reads, respecting
                          "happened before" (program order and reads-from, chained)
read your writes          a read never returns something older than the reader's own last
                          write
eventual                  once writes stop and the system settles, every read agrees
========================  =================================================================

The searches are exponential in the worst case (deciding linearizability is NP-complete), and
fine for the small histories of a lesson; a memo on (what is left, the register's value) keeps
them quick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, partial
from typing import Any

Op = dict[str, Any]
MODELS = ("linearizable", "sequential", "causal", "read your writes", "eventual")


def op(process: str, kind: str, value: Any, start: float, end: float) -> Op:
    """One operation of a history."""
    return {"process": process, "kind": kind, "value": value, "start": start, "end": end}


def _search(
    ops: list[Op], ready: Callable[[int, frozenset[int]], bool], initial: Any = None
) -> list[int] | None:
    """An order of all ``ops`` (indices) in which every read sees the last write, choosing next
    only operations that ``ready(i, left)`` allows; None when there is none."""

    @cache
    def go(left: frozenset[int], value: Any) -> tuple[int, ...] | None:
        if not left:
            return ()
        for i in sorted(left):
            if not ready(i, left):
                continue
            current = ops[i]
            if current["kind"] == "read" and current["value"] != value:
                continue
            after = current["value"] if current["kind"] == "write" else value
            rest = go(left - {i}, after)
            if rest is not None:
                return (i, *rest)
        return None

    found = go(frozenset(range(len(ops))), initial)
    return list(found) if found is not None else None


def linearization(history: list[Op]) -> list[int] | None:
    """A linearization (indices into ``history``), or None when there is none."""

    def ready(i: int, left: frozenset[int]) -> bool:
        return not any(history[j]["end"] < history[i]["start"] for j in left if j != i)

    return _search(history, ready)


def is_linearizable(history: list[Op]) -> bool:
    """True when the history has a linearization."""
    return linearization(history) is not None


def _program_order(history: list[Op]) -> dict[int, set[int]]:
    """For each operation, the operations of its own process that came before it."""
    before: dict[int, set[int]] = {i: set() for i in range(len(history))}
    for i, a in enumerate(history):
        for j, b in enumerate(history):
            if a["process"] == b["process"] and b["start"] < a["start"]:
                before[i].add(j)
    return before


def is_sequential(history: list[Op]) -> bool:
    """True when one order of all operations, keeping each process's order, explains every
    read (real time between processes is ignored)."""
    before = _program_order(history)
    return _search(history, lambda i, left: not (before[i] & left)) is not None


def happened_before(history: list[Op]) -> dict[int, set[int]]:
    """For each operation, every operation that happened before it: program order and
    reads-from (the write of the value a read returned), chained."""
    before = _program_order(history)
    for i, a in enumerate(history):
        if a["kind"] == "read":
            before[i] |= {
                j
                for j, b in enumerate(history)
                if b["kind"] == "write" and b["value"] == a["value"] and a["value"] is not None
            }
    changed = True
    while changed:  # transitive closure
        changed = False
        for i in before:
            more = set().union(*(before[j] for j in before[i])) - before[i]
            if more:
                before[i] |= more
                changed = True
    return before


def _no_pending(before: dict[int, set[int]], i: int, left: frozenset[int]) -> bool:
    return not (before[i] & left)


def is_causal(history: list[Op]) -> bool:
    """True when every process can order all writes and its own reads, respecting "happened
    before", so that each of its reads returns the last write before it."""
    before = happened_before(history)
    for process in {o["process"] for o in history}:
        chosen = [
            i for i, o in enumerate(history) if o["kind"] == "write" or o["process"] == process
        ]
        ops = [history[i] for i in chosen]
        local = {
            k: {chosen.index(j) for j in before[i] if j in chosen} for k, i in enumerate(chosen)
        }
        if _search(ops, partial(_no_pending, local)) is None:
            return False
    return True


def reads_your_writes(history: list[Op]) -> bool:
    """True when no read returns a value older than its own process's last completed write:
    the value of that write, or of a write that did not end before it started."""
    writes = [o for o in history if o["kind"] == "write"]
    for read in (o for o in history if o["kind"] == "read"):
        own = [w for w in writes if w["process"] == read["process"] and w["end"] < read["start"]]
        if not own:
            continue
        last = max(own, key=lambda w: w["end"])
        allowed = {last["value"]} | {w["value"] for w in writes if w["end"] >= last["start"]}
        if read["value"] not in allowed:
            return False
    return True


def is_eventually_consistent(history: list[Op], settle: float) -> bool:
    """True when every read that starts ``settle`` or more after the last write ended returns
    the same value, one that was written. Says nothing about earlier reads."""
    writes = [o for o in history if o["kind"] == "write"]
    quiet = max((w["end"] for w in writes), default=float("-inf")) + settle
    late = {o["value"] for o in history if o["kind"] == "read" and o["start"] >= quiet}
    written = {w["value"] for w in writes} or {None}
    return len(late) <= 1 and late <= written


def check_all(history: list[Op], settle: float = 2.0) -> dict[str, bool]:
    """Which of the five models the history satisfies."""
    return {
        "linearizable": is_linearizable(history),
        "sequential": is_sequential(history),
        "causal": is_causal(history),
        "read your writes": reads_your_writes(history),
        "eventual": is_eventually_consistent(history, settle),
    }


def examples() -> dict[str, list[Op]]:
    """The lesson's histories, each a step weaker than the one before."""
    return {
        "overlapping read": [
            op("A", "write", 1, 0, 2),
            op("B", "read", 1, 1, 3),
            op("C", "read", 1, 4, 5),
        ],
        "stale read": [
            op("A", "write", 1, 0, 1),
            op("B", "read", None, 2, 3),
            op("B", "read", 1, 4, 5),
        ],
        "two orders": [
            op("A", "write", 1, 0, 1),
            op("B", "write", 2, 0, 1),
            op("C", "read", 1, 2, 3),
            op("C", "read", 2, 4, 5),
            op("D", "read", 2, 2, 3),
            op("D", "read", 1, 4, 5),
        ],
        "effect before cause": [
            op("A", "write", 1, 0, 1),
            op("B", "read", 1, 2, 3),
            op("B", "write", 2, 4, 5),
            op("C", "read", 2, 6, 7),
            op("C", "read", 1, 8, 9),
            op("C", "read", 2, 12, 13),
        ],
        "lost own write": [
            op("A", "write", 1, 0, 1),
            op("A", "read", None, 2, 3),
            op("B", "read", 1, 4, 5),
            op("A", "read", 1, 6, 7),
        ],
    }


def table(histories: dict[str, list[Op]], settle: float = 2.0) -> list[str]:
    """Rows of yes/no, one per history, under a header of the five models."""
    rows = [f"{'history':<22}" + "".join(f"{m:>18}" for m in MODELS)]
    for name, history in histories.items():
        verdicts = check_all(history, settle)
        rows.append(
            f"{name:<22}" + "".join(f"{'yes' if verdicts[m] else 'no':>18}" for m in MODELS)
        )
    return rows


def processes(history: Iterable[Op]) -> list[str]:
    """The processes of a history, in the order they first appear."""
    return list(dict.fromkeys(o["process"] for o in history))
