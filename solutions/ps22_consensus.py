# %% [markdown]
# # ps22 · Consensus: a linearizability checker, and Raft's PreVote and CheckQuorum (24 points)
#
# [22 · Consistency and consensus](../22_consistency_consensus.ipynb) defined linearizability
# and stepped through Raft's two message rules. Here you check the first and extend the second
# with the two rules real Raft clusters (etcd among them) add so that a flaky network does not
# keep unseating a healthy leader. Each answer is a plain function of plain data, so that every
# rule can be checked exactly:
#
# - **Part A** · `is_linearizable(history)`: does a history of one register have a
#   linearization (8 points)?
# - **Part B** · `pre_vote(state, request, heard_from_leader)`: may a candidate stand for a new
#   term at all (6 points)?
# - **Part C** · `check_quorum(last_heard, now, elected_at, timeout)`: does a leader that hears
#   no majority step down (5 points)?
# - **Part D** · your two rules inside a Raft network with partitions, a broken link and lost
#   messages, over many seeds: still safe, no election while a leader is alive and heard, a
#   cut-off leader steps down, and progress once the network heals (5 points; nothing new to
#   write).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it defines small builders for histories, Raft states and requests, and
# imports the Raft network that Part D runs your rules in, with the lesson's two message rules.
import copy
import itertools

from advpy.checks import RaftSimulation, raft_run
from advpy.lessons.consensus.raft import append_entries, request_vote


def op(process, kind, value, start, end):
    """One operation of a history (Part A): who ran it, "write" or "read", the value written
    or returned, and when the call started and returned."""
    return {"process": process, "kind": kind, "value": value, "start": start, "end": end}


def node(term=0, voted_for=None, log=(), commit_index=0, id="n1"):
    """A Raft node's state (Part B). `log` is a list of {"term", "command"} entries;
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


def ask(term, candidate_id, last_log_index=0, last_log_term=0):
    """A PreVote request (Part B): the term the candidate would stand for, its name, and the
    index and term of its last log entry."""
    return {
        "term": term,
        "candidate_id": candidate_id,
        "last_log_index": last_log_index,
        "last_log_term": last_log_term,
    }


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
# ## Part B · `pre_vote`: may a candidate stand at all?
#
# In the lesson, a node that stops hearing its leader starts an election in a new term, and
# every node that hears a higher term gives up what it was doing: a leader steps down. That is
# right when the leader is gone, and harmful when it is not. Cut **one link**, between the
# leader and one follower: that follower times out, raises its term and asks for votes; the
# other nodes, which still hear the leader perfectly well, take the higher term, the leader
# steps down, and an election is held for nothing. The follower then times out again, and
# again: a healthy cluster loses its leader every few ticks.
#
# **PreVote** (Ongaro's thesis, §9.6) puts a question before the election: "would you vote for
# me in term `T + 1`?". A node whose timer fires keeps its term and asks every other node for a
# **pre-vote**; only when a majority (itself included) says yes does it raise its term and ask
# for real votes. Answering a pre-vote changes nothing: no term is raised and no vote given.
# Write the rule a node answers with. Its **state** is a dict built by `node(...)`:
#
# | key | meaning |
# |---|---|
# | `"id"` | the node's name |
# | `"term"` | the latest term it has seen (an int) |
# | `"voted_for"` | the candidate it voted for in that term, or `None` |
# | `"log"` | a list of entries `{"term": int, "command": str}`; position `i` is index `i + 1` |
# | `"commit_index"` | how many entries it knows are committed (an int) |
#
# A **request** (built by `ask(...)`) is `{"term", "candidate_id", "last_log_index",
# "last_log_term"}`: the term the candidate **would** stand for (its own term plus one), its
# name, and the index and term of the last entry of its log (0 and 0 when its log is empty).
# `heard_from_leader` is `True` when the node heard from a leader of its term within the
# shortest election timeout, or leads itself.
#
# `pre_vote(state, request, heard_from_leader)` returns a reply
# `{"term": state["term"], "vote_granted": True or False}`. It grants the pre-vote when all
# three hold:
#
# 1. `heard_from_leader` is `False`: a node that still hears a leader does not help replace it;
# 2. `request["term"] > state["term"]`: an equal or older term is refused;
# 3. the candidate's log is **at least as up to date** as the node's, the same test as a real
#    vote: the candidate's last term is higher than the term of the node's last entry, or it is
#    the same and `last_log_index` is at least the node's log length (an empty log has last
#    term 0 and length 0).
#
# ```python
# pre_vote(node(term=2), ask(3, "n2"), False)  # {"term": 2, "vote_granted": True}
# pre_vote(node(term=2), ask(3, "n2"), True)   # {"term": 2, "vote_granted": False}
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it: the three conditions
# above, each on its own; the reply's `term` is the node's own term, even when the request's
# term is higher (a pre-vote never raises a term) and whether or not the node has voted in its
# term; `vote_granted` is a `bool`; the `state` and `request` passed in are left unchanged.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# The lesson's `request_vote` compares logs with a tuple `(last term, length)`; the same
# comparison works here. What is different: nothing is written to the state, and a leader that
# is still heard wins over a newer term.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `voted_for` plays no part: a pre-vote is a question, not a vote, so a node that voted in its
# term may still say yes to a candidate for the next one.
# </details>


# %% nbgrader="solution" grade_id="pre_vote_answer"
def pre_vote(state, request, heard_from_leader):
    """Return the reply to a PreVote request (see the rules above); the state is not changed."""
    ### BEGIN SOLUTION
    entries = state["log"]
    own = (entries[-1]["term"] if entries else 0, len(entries))
    offered = (request["last_log_term"], request["last_log_index"])
    granted = not heard_from_leader and request["term"] > state["term"] and offered >= own
    return {"term": state["term"], "vote_granted": bool(granted)}
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
pre_vote(node(term=2, log=[entry(1, "x")]), ask(3, "n2", 1, 1), False)

# %% [markdown]
# ### Check B1 · a quiet cluster, a live leader, terms (3 points)

# %% nbgrader="tests" grade_id="pre_vote_tests_examples" points=3
"""pre_vote grants without a leader and a newer term, refuses while a leader is heard."""
from advpy.checks import expect_same

_log = [entry(1, "a"), entry(2, "b")]
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 2, 2), False),
    {"term": 2, "vote_granted": True},
    "no leader heard, a newer term, the same log",
    show=True,
)
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 2, 2), True),
    {"term": 2, "vote_granted": False},
    "the same request while the node still hears a leader",
    show=True,
)
expect_same(
    pre_vote(node(term=4, log=_log), ask(3, "n2", 2, 2), False),
    {"term": 4, "vote_granted": False},
    "a term older than the node's",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    pre_vote(node(term=3, log=_log), ask(3, "n2", 2, 2), False),
    {"term": 3, "vote_granted": False},
    "a term equal to the node's is refused",
)
expect_same(
    pre_vote(node(term=1, log=_log), ask(9, "n4", 2, 2), False),
    {"term": 1, "vote_granted": True},
    "a much newer term: granted, and the reply keeps the node's own term",
)
expect_same(
    pre_vote(node(term=1, log=_log), ask(9, "n4", 2, 2), True),
    {"term": 1, "vote_granted": False},
    "a much newer term while a leader is heard: refused",
)
expect_same(
    pre_vote(node(term=5, voted_for="n3", log=_log), ask(6, "n2", 2, 2), False),
    {"term": 5, "vote_granted": True},
    "a node that voted in its term still answers a pre-vote for the next",
)
expect_same(
    pre_vote(node(term=0), ask(1, "n2"), False),
    {"term": 0, "vote_granted": True},
    "two empty logs at the very start",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · whose log is up to date; nothing changes (3 points)

# %% nbgrader="tests" grade_id="pre_vote_tests_logs" points=3
"""pre_vote compares logs by last term, then length; a bool; the state and request unchanged."""
import copy

from advpy.checks import expect_same

_log = [entry(1, "a"), entry(1, "b"), entry(2, "c")]
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 2, 1), False)["vote_granted"],
    False,
    "the candidate's last term is older than the node's",
    show=True,
)
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 1, 3), False)["vote_granted"],
    True,
    "the candidate's last term is newer, even though its log is shorter",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 2, 2), False)["vote_granted"],
    False,
    "the same last term, a shorter log",
)
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 3, 2), False)["vote_granted"],
    True,
    "the same last term, the same length",
)
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 7, 2), False)["vote_granted"],
    True,
    "the same last term, a longer log",
)
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 9, 1), False)["vote_granted"],
    False,
    "a longer log whose last term is older",
)
expect_same(
    pre_vote(node(term=2, log=_log), ask(3, "n2", 0, 0), False)["vote_granted"],
    False,
    "an empty log against a non-empty one",
)
expect_same(
    pre_vote(node(term=2), ask(3, "n2", 1, 1), False)["vote_granted"],
    True,
    "any log against an empty one",
)
_reply = pre_vote(node(term=2), ask(3, "n2"), False)
assert _reply["vote_granted"] is True, "vote_granted must be the bool True, not a truthy value"
_reply = pre_vote(node(term=2), ask(3, "n2"), True)
assert _reply["vote_granted"] is False, "vote_granted must be the bool False, not a falsy value"
_given = node(term=2, voted_for="n1", log=_log, commit_index=2)
_given_copy = copy.deepcopy(_given)
_request = ask(3, "n2", 3, 2)
_request_copy = copy.deepcopy(_request)
pre_vote(_given, _request, False)
expect_same(_given, _given_copy, "a pre-vote must leave the state unchanged (no term, no vote)")
expect_same(_request, _request_copy, "the request must be left unchanged")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `check_quorum`: a leader that hears no majority steps down
#
# In the lesson, the leader cut off from the others "keeps leading its old term (nobody tells
# it otherwise)": clients still talk to it, and it takes commands it can never commit. With
# PreVote it is worse, because the majority's pre-votes never reach it. **CheckQuorum** (also in
# §9.6, and in etcd) lets the leader notice by itself: it steps down when it has not heard from a
# majority of the cluster for an election timeout.
#
# `check_quorum(last_heard, now, elected_at, timeout)` returns `True` when the leader keeps
# leading and `False` when it steps down:
#
# - `last_heard` maps **every other node's** id to the tick at which the leader last got a reply
#   from it in its current term, or `None` if none yet; the cluster has `len(last_heard) + 1`
#   nodes, the leader included;
# - `now` is the current tick, `elected_at` the tick at which it became leader, `timeout` the
#   election timeout (all ints);
# - a node is **live** when its last reply came at a tick `t` with `now - t < timeout`;
# - during the first `timeout` ticks of its leadership (`now - elected_at < timeout`) a leader
#   always keeps leading: it has not had the time to hear from anybody;
# - after that, it keeps leading exactly when it and its live nodes are **more than half** of
#   the cluster.
#
# ```python
# check_quorum({"n2": 95, "n3": None}, 100, 50, 20)   # True: n1 and n2 are 2 of 3
# check_quorum({"n2": 70, "n3": None}, 100, 50, 20)   # False: only n1 is live
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it: the rules above,
# including both boundaries (a reply exactly `timeout` ticks old does not count; at exactly
# `timeout` ticks after the election the grace is over); clusters of any size, even ones (4 nodes
# need 3) and a single node (an empty `last_heard` keeps leading); a `bool` is returned;
# `last_heard` is left unchanged.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# Count the live nodes with a generator over `last_heard.values()`, skipping `None`, and add
# one for the leader itself.
# </details>
#
# <details><summary>Hint 2</summary>
#
# "More than half" of `n` is `2 * votes > n`: it needs no division, and it is right for even
# `n` as well as odd.
# </details>


# %% nbgrader="solution" grade_id="check_quorum_answer"
def check_quorum(last_heard, now, elected_at, timeout):
    """True when the leader keeps leading, False when it steps down (see the rules above)."""
    ### BEGIN SOLUTION
    if now - elected_at < timeout:
        return True
    replies = [tick for tick in last_heard.values() if tick is not None]
    heard = 1 + sum(1 for tick in replies if now - tick < timeout)
    return 2 * heard > len(last_heard) + 1
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
check_quorum({"n2": 95, "n3": None}, 100, 50, 20)

# %% [markdown]
# ### Check C1 · a leader with and without a majority (3 points)

# %% nbgrader="tests" grade_id="check_quorum_tests_examples" points=3
"""check_quorum keeps a leader that hears a majority and steps down one that does not."""
from advpy.checks import expect_same

expect_same(
    check_quorum({"n2": 95, "n3": None}, 100, 50, 20),
    True,
    "3 nodes, n2 replied 5 ticks ago",
    show=True,
)
expect_same(
    check_quorum({"n2": 70, "n3": None}, 100, 50, 20),
    False,
    "3 nodes, the last reply is 30 ticks old",
    show=True,
)
expect_same(
    check_quorum({"n2": None, "n3": None}, 60, 50, 20),
    True,
    "elected 10 ticks ago: too early to step down",
    show=True,
)
### BEGIN HIDDEN TESTS
_five = {"n2": 99, "n3": 90, "n4": 10, "n5": None}
expect_same(check_quorum(_five, 100, 0, 20), True, "5 nodes, the leader and 2 live nodes")
_five = {"n2": 99, "n3": 40, "n4": 10, "n5": None}
expect_same(check_quorum(_five, 100, 0, 20), False, "5 nodes, the leader and 1 live node")
expect_same(check_quorum({"n2": 99, "n3": 98}, 100, 0, 20), True, "3 nodes, both others live")
expect_same(check_quorum({"n2": None, "n3": None}, 100, 0, 20), False, "3 nodes, no reply ever")
expect_same(
    check_quorum({"n2": 1, "n3": 2}, 35, 30, 20),
    True,
    "old replies, but elected only 5 ticks ago",
)
expect_same(check_quorum({"n2": 5, "n3": 6}, 100, 0, 50), False, "a longer timeout, old replies")
expect_same(check_quorum({"n2": 55, "n3": 6}, 100, 0, 50), True, "a longer timeout, one live")
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · boundaries, even clusters, a single node, types (2 points)

# %% nbgrader="tests" grade_id="check_quorum_tests_edges" points=2
"""check_quorum: a reply timeout ticks old is stale; the grace ends at timeout; 4 nodes need 3."""
import copy

from advpy.checks import expect_same

expect_same(
    check_quorum({"n2": 80, "n3": None}, 100, 0, 20),
    False,
    "a reply exactly timeout ticks old does not count",
    show=True,
)
expect_same(
    check_quorum({"n2": 81, "n3": None}, 100, 0, 20),
    True,
    "a reply timeout - 1 ticks old counts",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    check_quorum({"n2": None, "n3": None}, 70, 50, 20),
    False,
    "exactly timeout ticks after the election, with no reply: the grace is over",
)
expect_same(
    check_quorum({"n2": None, "n3": None}, 69, 50, 20),
    True,
    "timeout - 1 ticks after the election: still within the grace",
)
expect_same(
    check_quorum({"n2": 99, "n3": None, "n4": None}, 100, 0, 20),
    False,
    "4 nodes: the leader and 1 live node are not more than half",
)
expect_same(
    check_quorum({"n2": 99, "n3": 95, "n4": None}, 100, 0, 20),
    True,
    "4 nodes: the leader and 2 live nodes are 3 of 4",
)
expect_same(check_quorum({}, 500, 0, 20), True, "a single node is its own majority")
expect_same(
    check_quorum({"n2": 100, "n3": None}, 100, 0, 20), True, "a reply in this very tick counts"
)
assert check_quorum({"n2": 95, "n3": None}, 100, 0, 20) is True, "return the bool True"
assert check_quorum({"n2": None, "n3": None}, 100, 0, 20) is False, "return the bool False"
assert check_quorum({"n2": 1, "n3": 2}, 10, 5, 20) is True, "return the bool True in the grace"
_heard = {"n2": 99, "n3": None, "n4": 12}
_heard_copy = copy.deepcopy(_heard)
check_quorum(_heard, 100, 0, 20)
expect_same(_heard, _heard_copy, "last_heard must be left unchanged")
### END HIDDEN TESTS

# %% [markdown]
# ## Part D · your two rules in a Raft network
#
# Nothing new to write: the test cells run `raft_run` (imported in the setup cell), a
# deterministic Raft network of 3 or 5 nodes, with the lesson's `request_vote` and
# `append_entries` and **your** `pre_vote` and `check_quorum`. A node whose timer fires asks for
# pre-votes first (a node counts as having heard from a leader for 10 ticks after its last
# AppendEntries); every leader asks `check_quorum` after every tick, with a timeout of 20 ticks.
# Messages take 1-3 ticks and 10% of them are lost. At tick 80 something breaks, and at tick
# 160 the network heals (no partition, no loss):
#
# - `cut="leader"`: the leader is cut off from every other node;
# - `cut="follower"`: a follower is cut off from every other node;
# - `cut="link"`: only the link between the leader and one follower is cut, and no command is
#   proposed until the heal (an idle cluster with one broken link).
#
# The checks:
#
# - **safety** (D1): after every tick, never two leaders in one term and never a committed entry
#   lost, whatever is cut, over many seeds, with 10% and 30% loss;
# - **no election for nothing** (D2): while one link is cut, the highest term of any node does
#   not change (`term_at_heal == term_at_cut`), and the commands proposed once it heals are
#   committed;
# - **a cut-off leader steps down** (D3): it leads for at most 25 ticks of the 80 it is cut off
#   (`cut_off_led_for <= 25`), and the commands proposed once the network heals are committed.
#
# Try it: `raft_run(request_vote, append_entries, seed=1, cut="link", pre_vote=pre_vote,
# check_quorum=check_quorum)` returns what the run saw.

# %%
# Scratch cell: run the network with your rules. It is not graded.
raft_run(
    request_vote,
    append_entries,
    seed=1,
    cut="link",
    pre_vote=pre_vote,
    check_quorum=check_quorum,
)

# %% [markdown]
# ### Check D1 · safety whatever is cut (1 point)

# %% nbgrader="tests" grade_id="raft_tests_safety" points=1
"""With your pre_vote and check_quorum, no safety rule is broken, whatever is cut."""
from advpy.checks import expect_same, raft_run

run = raft_run(
    request_vote, append_entries, seed=1, cut="leader", pre_vote=pre_vote, check_quorum=check_quorum
)
expect_same(run["violations"], [], "safety rules broken in the run with seed 1", show=True)
assert run["committed"] > 0, "the run with seed 1 committed nothing"
### BEGIN HIDDEN TESTS
for _seed, _cut in itertools.product(range(2, 6), ["leader", "follower", "link"]):
    _run = raft_run(
        request_vote,
        append_entries,
        seed=_seed,
        nodes=5 if _seed % 2 else 3,
        cut=_cut,
        pre_vote=pre_vote,
        check_quorum=check_quorum,
    )
    assert not _run["violations"], "a safety rule was broken in a run with a hidden seed"
    assert _run["committed"] > 0, "a run with a hidden seed committed nothing"
for _seed in range(6, 8):
    _run = raft_run(
        request_vote,
        append_entries,
        seed=_seed,
        loss=0.3,
        pre_vote=pre_vote,
        check_quorum=check_quorum,
    )
    assert not _run["violations"], "a safety rule was broken in a run with heavy message loss"
### END HIDDEN TESTS

# %% [markdown]
# ### Check D2 · one broken link elects nobody (2 points)

# %% nbgrader="tests" grade_id="raft_tests_link" points=2
"""While one link is cut no node raises its term; once it heals, commands are committed."""
from advpy.checks import expect_same, raft_run

run = raft_run(
    request_vote, append_entries, seed=1, cut="link", pre_vote=pre_vote, check_quorum=check_quorum
)
expect_same(
    run["term_at_heal"],
    run["term_at_cut"],
    "the highest term rose while only one link was cut (seed 1): an election for nothing",
    show=True,
)
assert run["proposed_after_heal"] > 0, "no leader took commands after the network healed"
assert run["committed_after_heal"] == run["proposed_after_heal"], (
    "commands proposed after the link healed were not committed (seed 1)"
)
### BEGIN HIDDEN TESTS
for _seed in range(2, 10):
    _run = raft_run(
        request_vote,
        append_entries,
        seed=_seed,
        nodes=5 if _seed % 3 == 0 else 3,
        cut="link",
        pre_vote=pre_vote,
        check_quorum=check_quorum,
    )
    assert _run["term_at_heal"] == _run["term_at_cut"], (
        "the highest term rose while only one link was cut (a hidden seed)"
    )
    assert _run["committed_after_heal"] == _run["proposed_after_heal"] > 0, (
        "commands proposed after the link healed were not committed (a hidden seed)"
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check D3 · a cut-off leader steps down (2 points)

# %% nbgrader="tests" grade_id="raft_tests_stale_leader" points=2
"""A leader cut off from the others stops leading within 25 ticks; the healed network commits."""
from advpy.checks import raft_run

run = raft_run(
    request_vote, append_entries, seed=1, cut="leader", pre_vote=pre_vote, check_quorum=check_quorum
)
assert run["cut_off_led_for"] <= 25, (
    f"the cut-off leader led for {run['cut_off_led_for']} ticks of the partition (seed 1)"
)
assert run["committed_after_heal"] == run["proposed_after_heal"] > 0, (
    "commands proposed after the network healed were not committed (seed 1)"
)
### BEGIN HIDDEN TESTS
for _seed in range(20, 26):
    _run = raft_run(
        request_vote,
        append_entries,
        seed=_seed,
        nodes=5 if _seed % 2 else 3,
        cut="leader",
        pre_vote=pre_vote,
        check_quorum=check_quorum,
    )
    assert _run["cut_off_led_for"] <= 25, "a cut-off leader kept leading (a hidden seed)"
    assert _run["committed_after_heal"] == _run["proposed_after_heal"] > 0, (
        "commands proposed after the network healed were not committed (a hidden seed)"
    )
### END HIDDEN TESTS
