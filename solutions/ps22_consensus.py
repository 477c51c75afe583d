# %% [markdown]
# # ps22 · Consensus: a linearizability checker and Raft's two rules (24 points)
#
# Three pieces of [22 · Consistency and consensus](../22_consistency_consensus.ipynb), each a
# plain function of plain data, so that every rule can be checked exactly:
#
# - **Part A** · `is_linearizable(history)`: does a history of one register have a
#   linearization (8 points)?
# - **Part B** · `request_vote(state, request)`: how a Raft node answers a candidate (6 points);
# - **Part C** · `append_entries(state, request)`: how a Raft node answers a leader (6 points);
# - **Part D** · your two rules inside a Raft network with partitions and lost messages,
#   over many seeds: never two leaders in one term, never a committed entry lost, and progress
#   once the network heals (4 points; nothing new to write).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it defines small builders for histories and Raft states, and imports the
# Raft network that Part D runs your rules in (try it in the scratch cells).
import copy
import itertools

from advpy.checks import RaftSimulation, raft_run


def op(process, kind, value, start, end):
    """One operation of a history (Part A): who ran it, "write" or "read", the value written
    or returned, and when the call started and returned."""
    return {"process": process, "kind": kind, "value": value, "start": start, "end": end}


def node(term=0, voted_for=None, log=(), commit_index=0, id="n1"):
    """A Raft node's state (Parts B and C). `log` is a list of {"term", "command"} entries;
    the entry at list position i has Raft index i + 1."""
    return {
        "id": id,
        "term": term,
        "voted_for": voted_for,
        "log": [dict(entry) for entry in log],
        "commit_index": commit_index,
    }


def entry(term, command):
    """One log entry."""
    return {"term": term, "command": command}


# %% [markdown]
# ## Part A · `is_linearizable`: could one atomic register have done this?
#
# A **history** records what clients saw of one register (a single value that can be written
# and read). It is a list of operations, each a dict built by `op(...)`:
#
# | key | meaning |
# |---|---|
# | `"process"` | who ran it (a string); a process runs one operation at a time |
# | `"kind"` | `"write"` or `"read"` |
# | `"value"` | the value written, or the value the read returned |
# | `"start"`, `"end"` | when the call was made and when it returned (numbers, `start <= end`) |
#
# The register holds `None` before any write. Operation `a` **precedes** `b` when
# `a["end"] < b["start"]` (strictly: when one ends at the very moment the other starts, they
# overlap). A history is **linearizable** when the operations can be put in one order such
# that
#
# 1. whenever `a` precedes `b`, `a` comes before `b` in the order, and
# 2. every read returns the value of the last write before it in the order (`None` if there
#    is none).
#
# Write `is_linearizable(history)` that returns `True` or `False` (a `bool`).
#
# ```python
# is_linearizable([op("A", "write", 1, 0, 2), op("B", "read", 1, 1, 3)])   # True: they overlap
# is_linearizable([op("A", "write", 1, 0, 1), op("B", "read", None, 2, 3)])  # False: stale read
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - the empty history is linearizable;
# - values are compared with `==`, and may be any value but `None` (which only the initial
#   register holds): `0`, `""` and `False` are values like any other; the same value may be
#   written twice; a read may return a value never written (then the history is not
#   linearizable);
# - times are ints or floats; overlapping operations may take effect in either order;
# - histories have at most 8 operations; each call must take well under a second;
# - the history (the list and its dicts) is left unchanged.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Build the order one operation at a time. Which operations may come **first**? Any one that no
# other remaining operation precedes.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Search: a recursive function of (the operations not yet placed, the register's current
# value). Try each operation that may come first; a read may go only if it returns the current
# value; a write changes the value. If any choice leads to placing everything, the answer is
# `True`. Sorting by start or end time instead of searching is wrong for overlapping
# operations.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# `def place(left, value)`: if `left` is empty return True; for each `i` in `left` with no `j`
# in `left` such that `history[j]["end"] < history[i]["start"]`: skip a read whose value is not
# `value`; otherwise recurse with `left - {i}` and the new value. Start with
# `place(frozenset(range(len(history))), None)`.
# </details>


# %% nbgrader="solution" grade_id="linearizable_answer"
def is_linearizable(history):
    """True when the register history has a linearization (see the contract above)."""
    ### BEGIN SOLUTION
    memo = {}

    def place(left, value):
        """True when the operations in `left` can follow, the register holding `value`."""
        if not left:
            return True
        if (left, value) not in memo:
            memo[(left, value)] = any(
                place(left - {i}, history[i]["value"] if history[i]["kind"] == "write" else value)
                for i in left
                if not any(history[j]["end"] < history[i]["start"] for j in left)
                and (history[i]["kind"] == "write" or history[i]["value"] == value)
            )
        return memo[(left, value)]

    return bool(place(frozenset(range(len(history))), None))
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
is_linearizable([op("A", "write", 1, 0, 2), op("B", "read", 1, 1, 3)])

# %% [markdown]
# ## Tests
#
# ### Check A1 · the examples (3 points)

# %% nbgrader="tests" grade_id="linearizable_tests_examples" points=3
"""is_linearizable decides the lesson's examples: overlapping, stale and two-order histories."""
from advpy.checks import expect_same

expect_same(
    is_linearizable(
        [op("A", "write", 1, 0, 2), op("B", "read", 1, 1, 3), op("C", "read", 1, 4, 5)]
    ),
    True,
    "a read overlapping the write returns the new value, a later read too",
    show=True,
)
expect_same(
    is_linearizable([op("A", "write", 1, 0, 2), op("B", "read", None, 1, 3)]),
    True,
    "a read overlapping the write may still return the old value",
    show=True,
)
expect_same(
    is_linearizable([op("A", "write", 1, 0, 1), op("B", "read", None, 2, 3)]),
    False,
    "a read that starts after the write ended returns the old value (stale)",
    show=True,
)
two_orders = [
    op("A", "write", 1, 0, 1),
    op("B", "write", 2, 0, 1),
    op("C", "read", 1, 2, 3),
    op("C", "read", 2, 4, 5),
    op("D", "read", 2, 2, 3),
    op("D", "read", 1, 4, 5),
]
expect_same(
    is_linearizable(two_orders), False, "C and D see the two writes in two orders", show=True
)
### BEGIN HIDDEN TESTS
expect_same(
    is_linearizable(
        [
            op("A", "write", "x", 0, 10),
            op("B", "write", "y", 0, 10),
            op("C", "read", "y", 1, 2),
            op("C", "read", "x", 3, 4),
            op("C", "read", "x", 11, 12),
        ]
    ),
    True,
    "two long concurrent writes: reads may see y, then x, and x stays",
)
expect_same(
    is_linearizable(
        [
            op("A", "write", "x", 0, 10),
            op("B", "write", "y", 0, 10),
            op("C", "read", "y", 1, 2),
            op("C", "read", "x", 3, 4),
            op("C", "read", "y", 11, 12),
        ]
    ),
    False,
    "two concurrent writes cannot take effect x after y after x",
)
expect_same(
    is_linearizable([op("A", "write", 1, 0, 1), op("B", "read", 2, 2, 3)]),
    False,
    "a read returns a value nobody wrote",
)
expect_same(
    is_linearizable([op("A", "read", 5, 0, 1), op("B", "write", 5, 2, 3)]),
    False,
    "a read returns a value before it was written (the write starts after the read ended)",
)
expect_same(
    is_linearizable(
        [op("A", "write", 1, 0, 1), op("A", "write", 2, 2, 3), op("B", "read", 1, 4, 5)]
    ),
    False,
    "a read after two writes returns the first one",
)
expect_same(
    is_linearizable(
        [op("A", "write", 1, 0, 1), op("A", "write", 2, 2, 3), op("B", "read", 1, 2.5, 5)]
    ),
    True,
    "a read overlapping the second write returns the first one",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · edges: touching times, empty histories, falsy values, types, no changes (3 points)

# %% nbgrader="tests" grade_id="linearizable_tests_edges" points=3
"""is_linearizable: equal end and start overlap; empty is True; falsy values; bool; unchanged."""
from advpy.checks import expect_same

expect_same(
    is_linearizable([op("A", "write", 1, 0, 1), op("B", "read", None, 1, 2)]),
    True,
    "a read that starts exactly when the write ends overlaps it, so it may see the old value",
    show=True,
)
expect_same(is_linearizable([]), True, "the empty history", show=True)
### BEGIN HIDDEN TESTS
expect_same(
    is_linearizable([op("A", "write", 0, 0, 1), op("B", "read", None, 2, 3)]),
    False,
    "after a write of 0 (a falsy value) ended, a read returned None",
)
expect_same(
    is_linearizable([op("A", "write", 0, 0, 1), op("B", "read", 0, 2, 3)]),
    True,
    "a write of 0 (a falsy value) then a read of 0",
)
expect_same(
    is_linearizable(
        [op("A", "write", "", 0, 1), op("B", "read", "", 2, 3), op("B", "read", "", 4, 5)]
    ),
    True,
    "the empty string written and read back",
)
expect_same(
    is_linearizable([op("A", "write", False, 0, 1), op("B", "read", None, 2, 3)]),
    False,
    "after a write of False ended, a read returned None",
)
expect_same(
    is_linearizable([op("A", "read", None, 0, 1), op("B", "read", None, 0.5, 2)]),
    True,
    "only reads of the initial None",
)
expect_same(
    is_linearizable([op("A", "read", 3, 0, 1)]),
    False,
    "a single read of a value never written",
)
expect_same(
    is_linearizable(
        [
            op("A", "write", 7, 0, 1),
            op("B", "write", 7, 2, 3),
            op("A", "write", 8, 4, 5),
            op("C", "read", 7, 3.5, 4.5),
        ]
    ),
    True,
    "the same value written twice",
)
_touching = [op("A", "write", 1, 0, 1.5), op("B", "write", 2, 1.5, 3), op("C", "read", 1, 3, 4)]
expect_same(
    is_linearizable(_touching), True, "operations whose end and start times are equal overlap"
)
_kept = [op("B", "read", 1, 4, 5), op("A", "write", 1, 0, 1), op("C", "read", None, 0, 0.5)]
_before = copy.deepcopy(_kept)
expect_same(is_linearizable(_kept), True, "a history not listed in time order")
expect_same(_kept, _before, "the history must be left unchanged (its list and its dicts)")
expect_same(is_linearizable([op("A", "write", 1, 0, 1)]), True, "one write alone (a bool)")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · random small histories (2 points)

# %% nbgrader="tests" grade_id="linearizable_tests_random" points=2
"""is_linearizable agrees with a reference checker on random histories of up to 8 operations."""
import random

from advpy.checks import expect_same

expect_same(
    is_linearizable(
        [
            op("A", "write", 1, 0, 3),
            op("B", "write", 2, 1, 2),
            op("C", "read", 1, 4, 5),
            op("D", "read", 2, 2.5, 6),
        ]
    ),
    True,
    "B's write, D's read, A's write, C's read is a linearization",
    show=True,
)
### BEGIN HIDDEN TESTS
import itertools


def _reference(history):
    for order in itertools.permutations(range(len(history))):
        position = {i: k for k, i in enumerate(order)}
        if any(
            history[a]["end"] < history[b]["start"] and position[a] > position[b]
            for a in range(len(history))
            for b in range(len(history))
        ):
            continue
        value = None
        for i in order:
            if history[i]["kind"] == "write":
                value = history[i]["value"]
            elif history[i]["value"] != value:
                break
        else:
            return True
    return False


def _random_history(rng):
    history, clock = [], {}
    for _ in range(rng.randint(2, 7)):
        process = rng.choice("ABC")
        start = clock.get(process, 0) + rng.choice([0, 0.5, 1, 2])
        end = start + rng.choice([0, 1, 2, 4])
        clock[process] = end + 0.25
        if rng.random() < 0.45:
            history.append(op(process, "write", rng.randint(0, 2), start, end))
        else:
            history.append(op(process, "read", rng.choice([None, 0, 1, 2]), start, end))
    return history


_rng = random.Random(2207)
_answers = []
for _ in range(90):
    _history = _random_history(_rng)
    _expected = _reference(_history)
    _answers.append(_expected)
    expect_same(
        is_linearizable(_history), _expected, "a random history was judged wrongly (fixed seed)"
    )
assert any(_answers) and not all(_answers), "the random histories include both kinds"
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `request_vote`: a node answers a candidate
#
# In Raft a node that hears no leader for a while becomes a **candidate**: it increments its
# term, votes for itself, and asks every other node for its vote. Write the rule a node applies
# to such a request. A node's **state** is a dict built by `node(...)`:
#
# | key | meaning |
# |---|---|
# | `"id"` | the node's name |
# | `"term"` | the latest term it has seen (an int) |
# | `"voted_for"` | the candidate it voted for in that term, or `None` |
# | `"log"` | a list of entries `{"term": int, "command": str}`; position `i` is index `i + 1` |
# | `"commit_index"` | how many entries it knows are committed (an int) |
#
# A **request** is `{"term", "candidate_id", "last_log_index", "last_log_term"}`: the
# candidate's term, its name, and the index and term of the last entry of its log (0 and 0
# when its log is empty).
#
# `request_vote(state, request)` returns a pair `(new_state, reply)`, where reply is
# `{"term": new_state["term"], "vote_granted": True or False}`:
#
# 1. If `request["term"] < state["term"]`: refuse; the new state equals the old one.
# 2. If `request["term"] > state["term"]`: first take the newer term and forget the vote
#    (`term` = the request's term, `voted_for` = `None`).
# 3. Grant the vote when the node has not voted in this term or voted for this very candidate
#    (a candidate may ask twice), **and** the candidate's log is at least as up to date as the
#    node's: its last term is higher, or its last term is the same and its log is at least as
#    long. On a grant, `voted_for` becomes the candidate.
#
# ```python
# request_vote(node(), {"term": 1, "candidate_id": "n2", "last_log_index": 0, "last_log_term": 0})
# # ({"id": "n1", "term": 1, "voted_for": "n2", "log": [], "commit_index": 0},
# #  {"term": 1, "vote_granted": True})
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it: the rules above;
# `log`, `commit_index` and `id` never change; the reply's `term` is the node's term after the
# request; `vote_granted` is a `bool`; the `state` and `request` passed in are left unchanged
# (return a new dict).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# Copy first: `new = copy.deepcopy(state)`, then change only `new`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# "At least as up to date" compares pairs: `(request["last_log_term"],
# request["last_log_index"]) >= (my_last_term, len(log))`, where `my_last_term` is the term of
# the last entry (0 for an empty log). Comparing lengths alone is a classic mistake: a longer
# log from an old term is *less* up to date.
# </details>


# %% nbgrader="solution" grade_id="request_vote_answer"
def request_vote(state, request):
    """Return (new_state, reply) for a RequestVote request (see the rules above)."""
    ### BEGIN SOLUTION
    new = copy.deepcopy(state)
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    if request["term"] > new["term"]:
        new["term"] = request["term"]
        new["voted_for"] = None
    log = new["log"]
    mine = (log[-1]["term"], len(log)) if log else (0, 0)
    theirs = (request["last_log_term"], request["last_log_index"])
    granted = new["voted_for"] in (None, request["candidate_id"]) and theirs >= mine
    if granted:
        new["voted_for"] = request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": granted}
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
request_vote(node(), {"term": 1, "candidate_id": "n2", "last_log_index": 0, "last_log_term": 0})

# %% [markdown]
# ### Check B1 · granting and refusing (3 points)

# %% nbgrader="tests" grade_id="request_vote_tests_examples" points=3
"""request_vote grants a fresh node's vote once per term and refuses a stale term."""
from advpy.checks import expect_same


def ask(term, candidate, last_index=0, last_term=0):
    return {
        "term": term,
        "candidate_id": candidate,
        "last_log_index": last_index,
        "last_log_term": last_term,
    }


state, reply = request_vote(node(), ask(1, "n2"))
expect_same(reply, {"term": 1, "vote_granted": True}, "a fresh node asked in term 1", show=True)
expect_same(state, node(term=1, voted_for="n2"), "its new state", show=True)
state, reply = request_vote(state, ask(1, "n3"))
expect_same(
    reply, {"term": 1, "vote_granted": False}, "a second candidate in the same term", show=True
)
expect_same(state, node(term=1, voted_for="n2"), "the vote already given stays", show=True)
state, reply = request_vote(node(term=5), ask(4, "n2"))
expect_same(reply, {"term": 5, "vote_granted": False}, "a candidate of an older term", show=True)
### BEGIN HIDDEN TESTS
state, reply = request_vote(node(term=1, voted_for="n2"), ask(1, "n2"))
expect_same(reply, {"term": 1, "vote_granted": True}, "the same candidate asking again in its term")
expect_same(state, node(term=1, voted_for="n2"), "the same candidate asking again: the state")
state, reply = request_vote(node(term=3, voted_for="n3"), ask(4, "n2"))
expect_same(reply, {"term": 4, "vote_granted": True}, "a newer term: the old vote is forgotten")
expect_same(state, node(term=4, voted_for="n2"), "a newer term: the new state")
_log = [entry(1, "a"), entry(2, "b")]
state, reply = request_vote(node(term=2, log=_log, commit_index=1), ask(3, "n2", 2, 2))
expect_same(reply, {"term": 3, "vote_granted": True}, "a candidate with the very same log")
expect_same(state, node(term=3, voted_for="n2", log=_log, commit_index=1), "its new state")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · up-to-date logs, stale and equal terms, no changes to the input (3 points)

# %% nbgrader="tests" grade_id="request_vote_tests_edges" points=3
"""request_vote compares (last term, length), keeps terms right and leaves its input alone."""
from advpy.checks import expect_same

_log = [entry(1, "a"), entry(3, "b")]
state, reply = request_vote(node(term=3, log=_log), ask(4, "n2", 5, 2))
expect_same(
    reply,
    {"term": 4, "vote_granted": False},
    "a longer log whose last entry has an older term is less up to date",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    state,
    node(term=4, voted_for=None, log=_log),
    "a refused vote in a newer term: the term is taken, voted_for is None",
)
_, reply = request_vote(node(term=3, log=_log), ask(4, "n2", 1, 4))
expect_same(reply["vote_granted"], True, "a shorter log with a newer last term is more up to date")
_, reply = request_vote(node(term=3, log=_log), ask(4, "n2", 1, 3))
expect_same(reply["vote_granted"], False, "the same last term and a shorter log")
_, reply = request_vote(node(term=3, log=_log), ask(4, "n2", 2, 3))
expect_same(reply["vote_granted"], True, "the same last term and the same length")
_, reply = request_vote(node(term=3, log=_log), ask(4, "n2", 3, 3))
expect_same(reply["vote_granted"], True, "the same last term and a longer log")
_, reply = request_vote(node(term=3, log=_log), ask(4, "n2", 0, 0))
expect_same(reply["vote_granted"], False, "an empty log against a non-empty one")
_, reply = request_vote(node(term=0), ask(1, "n2", 0, 0))
expect_same(reply["vote_granted"], True, "two empty logs")
_stale = node(term=6, voted_for="n3", log=_log, commit_index=2)
state, reply = request_vote(copy.deepcopy(_stale), ask(5, "n2", 9, 5))
expect_same(
    reply, {"term": 6, "vote_granted": False}, "an older term: refused with the node's term"
)
expect_same(state, _stale, "an older term: the state must not change")
state, reply = request_vote(node(term=6, voted_for=None), ask(6, "n4"))
expect_same(reply, {"term": 6, "vote_granted": True}, "the same term, no vote given yet")
expect_same(state["voted_for"], "n4", "the same term, no vote given yet: voted_for")
_given = node(term=2, voted_for=None, log=[entry(1, "x")], commit_index=1)
_given_copy = copy.deepcopy(_given)
_request = ask(3, "n2", 1, 1)
_request_copy = copy.deepcopy(_request)
state, reply = request_vote(_given, _request)
expect_same(_given, _given_copy, "the state passed in must be left unchanged (return a new one)")
expect_same(_request, _request_copy, "the request must be left unchanged")
expect_same(state["log"], [entry(1, "x")], "a vote leaves the log alone")
expect_same(state["commit_index"], 1, "a vote leaves commit_index alone")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `append_entries`: a node answers a leader
#
# A leader sends every other node **AppendEntries** requests, both to replicate its log and
# as a heartbeat (with no entries). A request is `{"term", "leader_id", "prev_log_index",
# "prev_log_term", "entries", "leader_commit"}`: the leader's term and name; the index and term
# of the entry just before the new ones (0 and 0 to start at the beginning of the log); the
# entries (a list of `{"term", "command"}`, possibly empty); and the leader's commit index.
#
# `append_entries(state, request)` returns `(new_state, reply)`, where reply is
# `{"term": new_state["term"], "success": True or False, "match_index": int}`:
#
# 1. If `request["term"] < state["term"]`: refuse (`success` False, `match_index` 0); the
#    new state equals the old one.
# 2. If `request["term"] > state["term"]`: take the newer term and set `voted_for` to `None`.
#    With an equal term, `voted_for` stays as it was.
# 3. **Log matching.** `prev_log_index` 0 always matches. Otherwise, if the log has fewer than
#    `prev_log_index` entries, or the entry at that index has a term other than
#    `prev_log_term`: refuse (`success` False, `match_index` 0), keeping the term taken in
#    step 2 and the log and commit index as they were.
# 4. Otherwise, for each entry sent, at index `prev_log_index + 1`, `+ 2`, ...: if the log
#    already has an entry there with the **same term**, keep it; if it has one with a
#    **different term**, delete that entry and every entry after it, then append; if the log
#    is shorter, append. Entries after the last one sent are kept unless a conflict deleted
#    them: a late or repeated message must never shorten the log.
# 5. Then `commit_index` becomes `max(commit_index, min(leader_commit, prev_log_index +
#    len(entries)))`: the leader vouches only for the entries up to the last one it sent.
#    Reply `success` True and `match_index` = `prev_log_index + len(entries)`.
#
# ```python
# append_entries(node(term=1), {"term": 1, "leader_id": "n2", "prev_log_index": 0,
#                               "prev_log_term": 0, "entries": [entry(1, "x")], "leader_commit": 0})
# # ({"id": "n1", "term": 1, "voted_for": None, "log": [{"term": 1, "command": "x"}],
# #   "commit_index": 0}, {"term": 1, "success": True, "match_index": 1})
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it: the rules above;
# `id` never changes; the new log holds equal dicts (copies are fine); the `state` and
# `request` passed in are left unchanged (return a new dict).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# `log = new["log"]`; the entry at Raft index `k` is `log[k - 1]`. For entry number `j` of the
# request (from 0), its list position is `prev_log_index + j`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The tempting `new["log"] = log[:prev] + entries` is wrong: when an old, shorter message
# arrives after a newer one, it cuts entries that a majority holds and the leader may already
# have committed. Delete only at a conflict (`del log[position:]`).
# </details>


# %% nbgrader="solution" grade_id="append_entries_answer"
def append_entries(state, request):
    """Return (new_state, reply) for an AppendEntries request (see the rules above)."""
    ### BEGIN SOLUTION
    new = copy.deepcopy(state)
    refused = {"term": new["term"], "success": False, "match_index": 0}
    if request["term"] < new["term"]:
        return new, refused
    if request["term"] > new["term"]:
        new["term"] = request["term"]
        new["voted_for"] = None
        refused["term"] = new["term"]
    log = new["log"]
    prev = request["prev_log_index"]
    if prev > 0 and (prev > len(log) or log[prev - 1]["term"] != request["prev_log_term"]):
        return new, refused
    for position, sent in enumerate(request["entries"], start=prev):
        if position < len(log):
            if log[position]["term"] == sent["term"]:
                continue
            del log[position:]
        log.append(dict(sent))
    last = prev + len(request["entries"])
    new["commit_index"] = max(new["commit_index"], min(request["leader_commit"], last))
    return new, {"term": new["term"], "success": True, "match_index": last}
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
append_entries(
    node(term=1),
    {
        "term": 1,
        "leader_id": "n2",
        "prev_log_index": 0,
        "prev_log_term": 0,
        "entries": [entry(1, "x")],
        "leader_commit": 0,
    },
)

# %% [markdown]
# ### Check C1 · appending, heartbeats and refusals (3 points)

# %% nbgrader="tests" grade_id="append_entries_tests_examples" points=3
"""append_entries appends to an empty log, answers heartbeats, refuses a mismatch or old term."""
from advpy.checks import expect_same


def send(term, prev, prev_term, entries, commit, leader="n2"):
    return {
        "term": term,
        "leader_id": leader,
        "prev_log_index": prev,
        "prev_log_term": prev_term,
        "entries": [dict(e) for e in entries],
        "leader_commit": commit,
    }


state, reply = append_entries(node(term=1), send(1, 0, 0, [entry(1, "x"), entry(1, "y")], 0))
expect_same(
    reply,
    {"term": 1, "success": True, "match_index": 2},
    "two entries into an empty log",
    show=True,
)
expect_same(state, node(term=1, log=[entry(1, "x"), entry(1, "y")]), "the new state", show=True)
state, reply = append_entries(state, send(1, 2, 1, [], 2))
expect_same(
    reply, {"term": 1, "success": True, "match_index": 2}, "a heartbeat that commits 2", show=True
)
expect_same(state["commit_index"], 2, "commit_index after that heartbeat", show=True)
_, reply = append_entries(node(term=1, log=[entry(1, "x")]), send(1, 2, 1, [entry(1, "z")], 0))
expect_same(reply["success"], False, "prev_log_index 2 on a log of one entry", show=True)
_, reply = append_entries(node(term=3), send(2, 0, 0, [], 0))
expect_same(
    reply, {"term": 3, "success": False, "match_index": 0}, "a leader of an older term", show=True
)
### BEGIN HIDDEN TESTS
_log = [entry(1, "a"), entry(1, "b"), entry(2, "c")]
state, reply = append_entries(node(term=2, log=_log), send(2, 3, 2, [entry(2, "d")], 1))
expect_same(reply, {"term": 2, "success": True, "match_index": 4}, "one more entry after a match")
expect_same(state, node(term=2, log=_log + [entry(2, "d")], commit_index=1), "the state after it")
state, reply = append_entries(node(term=2, log=_log), send(2, 3, 1, [entry(2, "d")], 1))
expect_same(reply, {"term": 2, "success": False, "match_index": 0}, "prev_log_term does not match")
expect_same(state, node(term=2, log=_log), "a mismatch leaves the log and commit index alone")
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · index 0, conflicts, late messages, the commit index and terms (3 points)

# %% nbgrader="tests" grade_id="append_entries_tests_edges" points=3
"""append_entries cuts only at a conflict, never shortens on a late message, commits carefully."""
from advpy.checks import expect_same

_log = [entry(1, "a"), entry(1, "b"), entry(1, "c")]
state, reply = append_entries(node(term=1, log=_log), send(1, 0, 0, [entry(1, "a")], 0))
expect_same(
    state["log"],
    _log,
    "a late message with only the first entry must not shorten the log",
    show=True,
)
expect_same(reply, {"term": 1, "success": True, "match_index": 1}, "its reply", show=True)
### BEGIN HIDDEN TESTS
state, reply = append_entries(
    node(term=2, log=_log), send(2, 0, 0, [entry(1, "a"), entry(2, "B")], 0)
)
expect_same(
    state["log"],
    [entry(1, "a"), entry(2, "B")],
    "a conflict at index 2 deletes it and what follows",
)
expect_same(reply["match_index"], 2, "match_index after the conflict")
state, reply = append_entries(node(term=2, log=_log), send(2, 0, 0, [entry(2, "z")], 0))
expect_same(state["log"], [entry(2, "z")], "prev_log_index 0 with a conflict at index 1")
state, reply = append_entries(node(term=2, log=[entry(2, "q")]), send(2, 0, 0, [], 0))
expect_same(reply["success"], True, "prev_log_index 0 always matches, even on a non-empty log")
expect_same(state["log"], [entry(2, "q")], "a heartbeat at index 0 keeps the log")
_, reply = append_entries(node(term=1), send(1, 1, 0, [], 0))
expect_same(reply["success"], False, "prev_log_index 1 on an empty log")
state, reply = append_entries(node(term=1, log=_log), send(1, 1, 1, [], 3))
expect_same(
    state["commit_index"], 1, "commit only up to the last entry the leader sent or vouched for"
)
state, reply = append_entries(node(term=1, log=_log, commit_index=3), send(1, 1, 1, [], 1))
expect_same(state["commit_index"], 3, "commit_index never goes back")
state, reply = append_entries(node(term=1, log=_log, commit_index=1), send(1, 3, 2, [], 3))
expect_same(state["commit_index"], 1, "a refused request commits nothing")
state, reply = append_entries(node(term=1, log=_log), send(1, 2, 1, [entry(1, "c")], 2))
expect_same(state["commit_index"], 2, "commit up to leader_commit when it is below the last entry")
state, reply = append_entries(node(term=1, voted_for="n3"), send(4, 0, 0, [], 0))
expect_same(reply, {"term": 4, "success": True, "match_index": 0}, "a newer term: taken")
expect_same(state["voted_for"], None, "a newer term forgets the vote")
state, reply = append_entries(node(term=4, voted_for="n2"), send(4, 0, 0, [], 0))
expect_same(state["voted_for"], "n2", "the same term keeps the vote")
state, reply = append_entries(node(term=1, voted_for="n3", log=_log), send(4, 5, 1, [], 0))
expect_same(reply, {"term": 4, "success": False, "match_index": 0}, "a newer term, then a mismatch")
expect_same(
    state, node(term=4, voted_for=None, log=_log), "a newer term, then a mismatch: the state"
)
_stale = node(term=5, voted_for="n3", log=_log, commit_index=1)
state, reply = append_entries(copy.deepcopy(_stale), send(4, 0, 0, [entry(4, "w")], 3))
expect_same(state, _stale, "an older term: the state must not change")
_given = node(term=1, log=_log)
_given_copy = copy.deepcopy(_given)
_request = send(1, 1, 1, [entry(1, "b"), entry(1, "c"), entry(1, "d")], 2)
_request_copy = copy.deepcopy(_request)
state, reply = append_entries(_given, _request)
expect_same(_given, _given_copy, "the state passed in must be left unchanged (return a new one)")
expect_same(_request, _request_copy, "the request must be left unchanged")
expect_same(state["log"], _log + [entry(1, "d")], "matching entries kept, a new one appended")
expect_same(
    reply, {"term": 1, "success": True, "match_index": 4}, "match_index is prev + entries sent"
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part D · your rules in a Raft network
#
# Nothing new to write: the test cells run your `request_vote` and `append_entries` inside
# `raft_run` (imported in the setup cell), a deterministic Raft network of 3 or 5 nodes. It
# plays the timers, the elections and the leader's side; your rules decide every answer a
# node gives. Messages take 1-3 ticks and 10% of them are lost; at tick 80 the leader is cut
# off from the others; at tick 160 the network heals (no partition, no loss). The network
# checks after every tick:
#
# - **safety:** never two leaders in one term; never a committed entry lost (a committed entry
#   stays on a majority of logs, every node commits the same entries, and every new leader
#   holds them all); a commit index never shrinks and never points past its log;
# - **liveness:** once the network has healed, the commands proposed are committed.
#
# Try it: `raft_run(request_vote, append_entries, seed=1)` returns what the run saw.

# %%
# Scratch cell: run the network with your rules. It is not graded.
raft_run(request_vote, append_entries, seed=1)

# %% [markdown]
# ### Check D1 · safety under partitions and lost messages (2 points)

# %% nbgrader="tests" grade_id="raft_tests_safety" points=2
"""In Raft networks of 3 and 5 nodes with partitions and loss, no safety rule is ever broken."""
from advpy.checks import expect_same, raft_run

run = raft_run(request_vote, append_entries, seed=1)
expect_same(run["violations"], [], "safety rules broken in the run with seed 1", show=True)
assert run["committed"] > 0, "the run with seed 1 committed nothing: no leader got its entries out"
### BEGIN HIDDEN TESTS
for _seed in range(2, 8):
    _run = raft_run(request_vote, append_entries, seed=_seed, nodes=5 if _seed % 3 == 0 else 3)
    assert not _run["violations"], "a safety rule was broken in a run with a hidden seed"
    assert _run["committed"] > 0, "a run with a hidden seed committed nothing"
for _seed in range(8, 10):
    _run = raft_run(request_vote, append_entries, seed=_seed, loss=0.3)
    assert not _run["violations"], "a safety rule was broken in a run with heavy message loss"
### END HIDDEN TESTS

# %% [markdown]
# ### Check D2 · progress once the network heals (2 points)

# %% nbgrader="tests" grade_id="raft_tests_liveness" points=2
"""Once the network heals, a leader is elected and the commands proposed are committed."""
from advpy.checks import raft_run

run = raft_run(request_vote, append_entries, seed=1)
assert run["proposed_after_heal"] > 0, "no leader took commands after the network healed"
assert run["committed_after_heal"] == run["proposed_after_heal"], (
    "commands proposed after the network healed were not committed (seed 1)"
)
### BEGIN HIDDEN TESTS
for _seed in range(20, 24):
    _run = raft_run(request_vote, append_entries, seed=_seed, nodes=5 if _seed % 2 else 3)
    assert _run["proposed_after_heal"] > 0, "no leader took commands after the network healed"
    assert _run["committed_after_heal"] == _run["proposed_after_heal"], (
        "commands proposed after the network healed were not committed (a hidden seed)"
    )
### END HIDDEN TESTS
