# %% [markdown]
# # ps37 · Topological sort (10 points)
#
# A build tool must compile every module after the modules it imports; a task scheduler must
# run every job after the jobs it depends on; a database migration tool must apply every
# migration after the ones it builds on. All three need a *topological order* of a directed
# graph, and all three must notice when the dependencies go round in a circle.
#
# **How this notebook is graded.** You write one function, `topological_sort`, in the answer
# cell. The test cells below check it; each shows its points. Every test cell also holds
# **hidden tests** that run only when your instructor grades the notebook (Validate and `advpy
# check` run the visible ones): passing the visible asserts is
# necessary, not sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import random
import time

# %% [markdown]
# ## The problem
#
# `topological_sort(nodes, edges)` takes a list of distinct nodes (any hashable values) and
# a list of edges `(u, v)`, each meaning "`u` must come before `v`". It returns a list that
# holds every node exactly once, with `u` before `v` for every edge. Most graphs have many
# such orders, and **any** of them is accepted. When no such order exists, because the
# edges form a cycle (`a` before `b` before `a`, or a node that must come before itself), it
# returns `[]`.
#
# | `nodes` | `edges` | a correct result | why |
# |---|---|---|---|
# | `["a", "b", "c"]` | `[("a", "b"), ("a", "c")]` | `["a", "b", "c"]` | or `["a", "c", "b"]` |
# | `["c", "b", "a"]` | `[("a", "b"), ("b", "c")]` | `["a", "b", "c"]` | the only order |
# | `[1, 2, 3]` | `[]` | `[1, 2, 3]` | no edges: any order is valid |
# | `["a", "b"]` | `[("a", "b"), ("b", "a")]` | `[]` | a cycle: no order exists |
# | `["x"]` | `[("x", "x")]` | `[]` | a self-loop is a cycle too |
# | `[]` | `[]` | `[]` | nothing to order |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `nodes` is a list of distinct hashable values, possibly of mixed kinds (`0`, `""`,
#   `None`, tuples, strings...); `edges` is a list of pairs `(u, v)` naming only given nodes,
#   and the same edge may appear more than once;
# - the result is a new plain `list` holding every node exactly once, with `u` before `v`
#   for every edge; any such order is accepted;
# - when the graph has a cycle (a self-loop included) the result is `[]`;
# - time **O(V + E)** for V nodes and E edges, also on a single path of 100,000 nodes, with
#   Python's default recursion limit.
#
# ### Where the usual sketch falls short, and where it does not
# The classic answer is **Kahn's algorithm**: count each node's incoming edges (its
# *in-degree*), put the nodes with none in a queue, and repeatedly take a node out, append
# it to the result and "remove" its outgoing edges by lowering its successors' counts; a
# successor whose count reaches 0 joins the queue. If the result ends up shorter than the
# node list, the nodes left over sit on a cycle. A sketch with a `collections.deque` queue
# and a dictionary of in-degrees is exactly right, including in the cases people worry
# about:
#
# - **Repeated edges** are fine *as long as they are counted consistently*: an edge listed
#   twice raises the in-degree by 2 and is removed twice. Keep the successors in a list (one
#   entry per edge). Storing successors in a `set` while counting in-degrees per edge is a
#   classic bug: the count never reaches 0 and a valid graph is reported as cyclic.
# - **Self-loops** need no special case: `(x, x)` gives `x` an in-degree that only `x`
#   itself could lower, so `x` never enters the queue and the length check reports the
#   cycle.
# - **Falsy nodes** (`0`, `""`, `None`) are ordinary nodes: ask `node in seen`, never test a
#   node itself for truth (`if node:`).
#
# What does go wrong in practice is the data structure around the loop:
#
# - `queue.pop(0)` on a `list` (or `queue.remove(...)`) shifts every element left: one
#   step costs O(V), the whole sort O(V²). `deque.popleft()` is O(1).
# - Scanning all nodes for "one with in-degree 0" at every step is also O(V²).
# - A **recursive** depth-first search recurses once per node along a path: on a chain of
#   100,000 nodes it needs 100,000 nested calls, and Python stops at about 1,000
#   (`RecursionError`). Raising the limit with `sys.setrecursionlimit` is a global change
#   that only moves the wall (and where the recursion passes through C code it can crash
#   the interpreter instead of raising an error); the tests run with the default limit.
#   Use Kahn's algorithm, or a depth-first search with an explicit stack.
#
# ### Why O(V + E), and how it is measured
# Every node enters and leaves the queue once, and every edge is looked at twice (counting,
# then removing), so the work is proportional to V + E. The complexity check times your
# function on a graph and on one 64 times larger, next to the reference solution in the same
# run, and compares how much the times grew. It counts processor time rather than wall-clock
# time, so other programs running on the machine do not disturb the comparison. Its graphs
# have many nodes ready at the start (a long queue) and a long chain of dependencies (many
# rounds).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Which nodes can go first? Those that nothing has to precede: no edge points into them.
# Once they are placed, pretend their edges are gone: which nodes can go next?
# </details>
#
# <details><summary>Hint 2</summary>
#
# In one pass over `edges`, build `after = {node: [] for node in nodes}` (the successors of
# each node, one entry per edge) and `waiting = dict.fromkeys(nodes, 0)` (the in-degrees).
# Start a `collections.deque` with every node that waits for nothing. The graph has a cycle
# exactly when fewer than `len(nodes)` nodes ever leave the queue.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# ```
# while ready:
#     node = ready.popleft()
#     order.append(node)
#     for later in after[node]:
#         waiting[later] -= 1
#         if waiting[later] == 0:
#             ready.append(later)
# return order if len(order) == len(waiting) else []
# ```
# </details>


# %% nbgrader="solution" grade_id="topological_sort_answer"
def topological_sort(nodes, edges):
    """Return a list of all nodes with u before v for every edge (u, v), or [] when the
    edges form a cycle."""
    ### BEGIN SOLUTION
    from collections import deque

    successors = {node: [] for node in nodes}
    indegree = dict.fromkeys(nodes, 0)
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = deque(node for node in nodes if indegree[node] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order if len(order) == len(indegree) else []
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
topological_sort(
    ["wake", "shower", "dress", "eat"], [("wake", "shower"), ("shower", "dress"), ("wake", "eat")]
)

# %% [markdown]
# ## Tests
#
# A test never compares your order with one particular order: it checks that each node is
# there once and that every edge points forward.
#
# ### Check 1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="topological_sort_tests_examples" points=2
"""topological_sort gives a valid order for the worked examples, and [] for their cycles."""
from advpy.checks import expect_same, expect_topological_order

fork = [("a", "b"), ("a", "c")]
expect_topological_order(
    topological_sort(["a", "b", "c"], fork), ["a", "b", "c"], fork, "a fork", show=True
)
line = [("a", "b"), ("b", "c")]
expect_topological_order(
    topological_sort(["c", "b", "a"], line), ["c", "b", "a"], line, "a line", show=True
)
expect_topological_order(topological_sort([1, 2, 3], []), [1, 2, 3], [], "no edges", show=True)
expect_same(
    topological_sort(["a", "b"], [("a", "b"), ("b", "a")]), [], "a two-node cycle", show=True
)
expect_same(topological_sort(["x"], [("x", "x")]), [], "a self-loop", show=True)
expect_same(topological_sort([], []), [], "an empty graph", show=True)
### BEGIN HIDDEN TESTS
_morning = ["wake", "shower", "dress", "eat"]
_steps = [("wake", "shower"), ("shower", "dress"), ("wake", "eat")]
expect_topological_order(
    topological_sort(_morning, _steps), _morning, _steps, "a four-step morning routine"
)
_courses = ["intro", "data", "algo", "systems", "db", "web", "capstone"]
_prereqs = [
    ("intro", "data"),
    ("data", "algo"),
    ("intro", "systems"),
    ("systems", "db"),
    ("data", "db"),
    ("db", "web"),
    ("algo", "capstone"),
    ("web", "capstone"),
]
expect_topological_order(
    topological_sort(_courses, _prereqs), _courses, _prereqs, "a course-prerequisite graph"
)
_diamond = [4, 3, 2, 1]
_diamond_edges = [(1, 2), (1, 3), (2, 4), (3, 4)]
expect_topological_order(
    topological_sort(_diamond, _diamond_edges),
    _diamond,
    _diamond_edges,
    "a diamond whose nodes are listed backwards",
)
expect_same(
    topological_sort(["p", "q", "r"], [("p", "q"), ("q", "r"), ("r", "p")]),
    [],
    "a three-node cycle must give []",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (2 points)
# Repeated edges, self-loops, cycles hidden behind valid parts, isolated nodes, falsy nodes
# and nodes of mixed kinds.

# %% nbgrader="tests" grade_id="topological_sort_tests_edge_cases" points=2
"""Edge cases: repeated edges, self-loops, partial cycles, isolated, falsy and mixed nodes."""
from advpy.checks import expect_same, expect_topological_order

expect_topological_order(
    topological_sort(["b", "a"], [("a", "b"), ("a", "b")]),
    ["b", "a"],
    [("a", "b")],
    "the same edge listed twice",
    show=True,
)
expect_same(
    topological_sort([1, 2, 3], [(1, 2), (3, 3)]), [], "a self-loop beside a valid part", show=True
)
mixed = [0, "", None, (1, 2)]
expect_topological_order(
    topological_sort(mixed, [(None, 0), ((1, 2), "")]),
    mixed,
    [(None, 0), ((1, 2), "")],
    "falsy nodes and nodes of mixed kinds",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_topological_order(
    topological_sort(["solo"], []), ["solo"], [], "a single node without edges"
)
_nodes = ["a", "b", "c", "d", "e"]
_edges = [("a", "b"), ("b", "c"), ("a", "b"), ("b", "c"), ("b", "c"), ("d", "c")]
expect_topological_order(
    topological_sort(_nodes, _edges), _nodes, _edges, "edges repeated several times"
)
expect_same(
    topological_sort(_nodes, _edges + [("e", "e")]),
    [],
    "a self-loop on an otherwise isolated node must give []",
)
expect_same(
    topological_sort(["s", "t", "u", "v", "w"], [("s", "t"), ("u", "v"), ("v", "w"), ("w", "v")]),
    [],
    "a cycle beside a valid part must give [] (not a partial order)",
)
expect_same(
    topological_sort(["s", "t", "u", "v"], [("s", "t"), ("t", "u"), ("u", "t"), ("u", "v")]),
    [],
    "a cycle reachable from a valid start must give []",
)
_mixed = [0, "", None, (1, 2), "a", frozenset({3}), -1, 2.5, b"x"]
_mixed_edges = [
    (b"x", 0),
    (0, None),
    (None, ""),
    ("", (1, 2)),
    ((1, 2), "a"),
    (frozenset({3}), -1),
    (-1, 2.5),
    (2.5, b"x"),
]
expect_topological_order(
    topological_sort(_mixed, _mixed_edges),
    _mixed,
    _mixed_edges,
    "a chain through falsy nodes and nodes of mixed kinds (they cannot be sorted or tested "
    "for truth)",
)
_isolated = [("node", i) for i in range(50)]
expect_topological_order(
    topological_sort(_isolated, []), _isolated, [], "many isolated nodes must all appear"
)
expect_topological_order(
    topological_sort([3, 2, 1], [(1, 2), (2, 3)]), [3, 2, 1], [(1, 2), (2, 3)], "a short chain"
)
_given = [5, 6, 7]
_given_edges = [(5, 6), (6, 7)]
_result = topological_sort(_given, _given_edges)
expect_same(_given, [5, 6, 7], "topological_sort must not change the node list")
expect_same(_given_edges, [(5, 6), (6, 7)], "topological_sort must not change the edge list")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · many random graphs (2 points)
# Hundreds of seeded random graphs, with and without cycles: each result must be a valid
# order, or `[]` exactly when the graph has a cycle. Their nodes are all strings or all
# ints, and no edge is repeated: repeated edges and nodes of mixed kinds are Check 2's.

# %% nbgrader="tests" grade_id="topological_sort_tests_random" points=2
"""On hundreds of random graphs the result is a valid order, or [] exactly for cycles."""
from advpy.checks import expect_topological_order

graph_nodes = [10, 20, 30, 40, 50, 60]
graph_edges = [(60, 10), (10, 30), (60, 30), (20, 50), (50, 40), (30, 40)]
expect_topological_order(
    topological_sort(graph_nodes, graph_edges), graph_nodes, graph_edges, "a 6-node DAG", show=True
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect as _expect
from advpy.checks import expect_same as _expect_same


def _has_cycle(nodes, edges):
    successors = {node: [] for node in nodes}
    indegree = dict.fromkeys(nodes, 0)
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = [node for node in nodes if indegree[node] == 0]
    placed = 0
    while ready:
        node = ready.pop()
        placed += 1
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return placed < len(nodes)


_rng = random.Random(37)
_cyclic_seen = 0
for _case in range(400):
    _size = _rng.randint(0, 25)
    if _case % 2 == 0:
        _nodes = [f"n{i}" for i in range(_size)]
    else:
        _nodes = list(range(_size))
    _rank = list(_nodes)
    _rng.shuffle(_rank)
    _edges = []
    if _size >= 2:
        for _ in range(_rng.randint(0, 3 * _size)):
            _i, _j = sorted(_rng.sample(range(_size), 2))
            _edges.append((_rank[_i], _rank[_j]))
    if _size and _rng.random() < 0.4:  # close a cycle through 1 to 4 nodes (1: a self-loop)
        _picked = sorted(_rng.sample(range(_size), min(_size, _rng.randint(1, 4))))
        _edges += [
            (_rank[i], _rank[j]) for i, j in zip(_picked, _picked[1:] + _picked[:1], strict=True)
        ]
    _edges = list(dict.fromkeys(_edges))  # each edge once
    _rng.shuffle(_edges)
    _rng.shuffle(_nodes)
    _result = topological_sort(list(_nodes), list(_edges))
    if _has_cycle(_nodes, _edges):
        _cyclic_seen += 1
        _expect_same(_result, [], "on a random graph with a cycle the result must be []")
    else:
        expect_topological_order(
            _result,
            _nodes,
            _edges,
            "on a random acyclic graph the result is not a valid order",
        )
_expect(_cyclic_seen > 100, "the random graphs must include cycles")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · a single path of 100,000 nodes (2 points)
# Runs with Python's default recursion limit: a recursive depth-first search fails here.

# %% nbgrader="tests" grade_id="topological_sort_tests_long_path" points=2
"""A long chain of dependencies is sorted without hitting the recursion limit."""
from advpy.checks import expect_topological_order, recursion_limit

chain = list(range(3000))
chain_edges = [(i, i + 1) for i in range(2999)]
shuffled = random.Random(0).sample(chain, len(chain))  # the nodes in a random order
with recursion_limit():
    chain_order = topological_sort(shuffled, chain_edges)
expect_topological_order(chain_order, chain, chain_edges, "a path of 3,000 nodes")
### BEGIN HIDDEN TESTS
from advpy.checks import TimeLimitExceeded as _TimeLimitExceeded
from advpy.checks import expect_same as _expect_same
from advpy.checks import time_limit as _time_limit


def _reference_sort(nodes, edges):
    from collections import deque

    successors = {node: [] for node in nodes}
    indegree = dict.fromkeys(nodes, 0)
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = deque(node for node in nodes if indegree[node] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order if len(order) == len(nodes) else []


def _sort_long(nodes, edges, what, allowed):
    try:
        with recursion_limit(), _time_limit(allowed):
            return topological_sort(nodes, edges)
    except RecursionError:
        raise AssertionError(
            f"topological_sort hit Python's recursion limit on {what}: use Kahn's algorithm "
            "or a depth-first search with an explicit stack"
        ) from None
    except _TimeLimitExceeded:
        raise AssertionError(
            f"topological_sort took more than 20 times as long as the reference on {what} and "
            "was stopped: is one step O(V) (list.pop(0), a scan over all nodes)?"
        ) from None


_rng = random.Random(3737)
_path = list(range(100_000))
_path_edges = [(i, i + 1) for i in range(len(_path) - 1)]
_shuffled = _rng.sample(_path, len(_path))
_rng.shuffle(_path_edges)
# An answer far slower than the reference on the same input is stopped: on a path of
# 100,000 nodes an O(V^2) answer would run for many minutes.
_started = time.process_time()
_reference_sort(_shuffled, _path_edges)
_allowed = max(2.0, 20 * (time.process_time() - _started))
expect_topological_order(
    _sort_long(_shuffled, _path_edges, "a path of 100,000 nodes", _allowed),
    _path,
    _path_edges,
    "on a path of 100,000 nodes (given in random order) the result is not a valid order",
)
# Whether a cycle is noticed at all is for the checks before; here, that noticing a long one
# does not go too deep or too slow.
if topological_sort([1, 2, 3], [(1, 2), (2, 3), (3, 1)]) == []:
    _looped = _path_edges + [(_path[-1], _path[0])]
    _expect_same(
        _sort_long(_path[::-1], _looped, "a cycle of 100,000 nodes", _allowed),
        [],
        "a cycle through 100,000 nodes must give []",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check 5 · grows like O(V + E) (2 points)
# Times your function on graphs of 1,000 and of 64,000 nodes, next to the reference. An
# answer whose single step costs O(V) (`list.pop(0)`, `list.remove`, a scan for the next
# ready node) loses these points; the message says what growth was seen.

# %% nbgrader="tests" grade_id="topological_sort_tests_complexity" points=2
"""topological_sort's processor time grows like the reference's when the graph grows 64x."""
from advpy.checks import expect_topological_order

expect_topological_order(topological_sort([2, 1], [(1, 2)]), [2, 1], [(1, 2)], "a two-node graph")
### BEGIN HIDDEN TESTS
from advpy.checks import expect_scaling as _expect_scaling
from advpy.checks import is_topological_order as _is_topological_order


def _reference_sort(nodes, edges):
    from collections import deque

    successors = {node: [] for node in nodes}
    indegree = dict.fromkeys(nodes, 0)
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = deque(node for node in nodes if indegree[node] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order if len(order) == len(nodes) else []


def _make_graph(size, seed):
    # 15/16 of the nodes are free from the start: the queue holds almost all of them at
    # once, so taking a node from its front must not cost O(V). The last 1/16 form a chain,
    # listed backwards and tied by repeated and skipping edges: thousands of rounds in which
    # only one node becomes ready, so looking for it must not cost O(V) either. The graph is
    # acyclic, so every answer must place every node: none can stop early.
    rng = random.Random(seed)
    nodes = list(range(size))
    chain = nodes[: size - size // 16 - 1 : -1]
    edges = [(chain[i], chain[i + 1]) for i in range(len(chain) - 1)]
    edges += [(chain[i], chain[i + 2]) for i in range(len(chain) - 2)]
    edges += rng.sample(edges, len(edges) // 8)
    rng.shuffle(edges)
    return (nodes, edges)


_report = _expect_scaling(
    topological_sort,
    _reference_sort,
    _make_graph,
    small=1000,
    factor=64,
    target="O(V + E)",
    name="topological_sort",
    agree=lambda order, _expected, graph: _is_topological_order(order, *graph),
)
### END HIDDEN TESTS
