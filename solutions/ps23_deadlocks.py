# %% [markdown]
# # ps23 · Deadlocks: wait-for graphs, cycles, and a fenced lease lock (20 points)
#
# Three pieces of deadlock handling from [23 · Deadlocks](../23_deadlocks.ipynb):
#
# - **Part A** · `wait_for_graph(held, wanted)`: the wait-for graph of a lock table, as a
#   database builds it from its lock manager (5 points);
# - **Part B** · `find_deadlock(graph)`: a cycle of a wait-for graph, the deadlock, or None
#   (8 points);
# - **Part C** · `acquire_lease`, `release_lease` and `fenced_write`: a lock across machines,
#   kept in a real Redis server, with fencing tokens that storage checks (7 points).
#
# **How this notebook is graded.** You write one answer cell per part. The test cells below each
# part check it and show their points. Every test cell also holds **hidden tests** that run only
# when your instructor grades the notebook (Validate and `advpy check` run the visible ones):
# passing the visible checks is necessary, not sufficient. Each part's contract lists exactly
# what the hidden tests check. Part C's tests start a Redis server of their own on this machine
# and give your functions its address.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import random

import redis

# %% [markdown]
# ## Part A · `wait_for_graph`: who waits for whom
# *5 points, in two checks.*
#
# A lock manager knows, for each resource (a row, an account, a file), which transactions hold
# it, and for each blocked transaction, which resource it waits for. A deadlock detector first
# turns that into a **wait-for graph**: an edge `T1 -> T2` when T1 waits for a resource that
# T2 holds.
#
# `wait_for_graph(held, wanted)` takes
#
# - `held`: a dict from each resource (a string) to the list of transactions (strings) holding
#   it. A shared lock can have several holders; the list may be empty;
# - `wanted`: a dict from each blocked transaction to the one resource it waits for;
#
# and returns a dict from each blocked transaction to the **sorted** list of the transactions
# it waits for: every holder of the resource it wants, **except itself**. (A transaction that
# holds a shared lock and waits to make it exclusive, a lock *upgrade*, waits for the other
# holders only.)
#
# | `held` | `wanted` | result |
# |---|---|---|
# | `{"x": ["T1"], "y": ["T2"]}` | `{"T1": "y", "T2": "x"}` | `{"T1": ["T2"], "T2": ["T1"]}` |
# | `{"x": ["T3", "T1", "T2"]}` | `{"T1": "x"}` | `{"T1": ["T2", "T3"]}` |
# | `{"x": ["T1"]}` | `{"T2": "z"}` | `{"T2": []}` |
# | `{}` | `{}` | `{}` |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - the result is a new plain `dict` with exactly the keys of `wanted` (a blocked transaction
#   that waits for nobody maps to `[]`: a resource missing from `held` or held by nobody, or
#   held by itself only);
# - each value is a plain `list` of strings, sorted, each transaction **once** (a holder listed
#   twice in `held` appears once), without the waiter itself;
# - `held` and `wanted` are not changed.
#
# <details><summary>Hint</summary>
#
# `held.get(resource, [])` handles a resource nobody holds; a `set` of the holders, minus the
# waiter, then `sorted(...)`, gives each list. Never edit the lists of `held` themselves: they
# are the lock table's.
# </details>

# %% nbgrader="solution" grade_id="wait_for_graph_answer"
def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the other transactions holding the
    resource it waits for."""
    ### BEGIN SOLUTION
    return {
        waiter: sorted(set(held.get(resource, ())) - {waiter})
        for waiter, resource in wanted.items()
    }
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
wait_for_graph({"x": ["T1"], "y": ["T2"]}, {"T1": "y", "T2": "x"})

# %% [markdown]
# ### Check A1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="wait_for_graph_tests_examples" points=2
"""wait_for_graph gives the worked examples' graphs."""
from advpy.checks import expect_same

expect_same(
    wait_for_graph({"x": ["T1"], "y": ["T2"]}, {"T1": "y", "T2": "x"}),
    {"T1": ["T2"], "T2": ["T1"]},
    "two transactions waiting for each other",
    show=True,
)
expect_same(
    wait_for_graph({"x": ["T3", "T1", "T2"]}, {"T1": "x"}),
    {"T1": ["T2", "T3"]},
    "a lock upgrade: T1 waits for the other holders, sorted",
    show=True,
)
expect_same(wait_for_graph({"x": ["T1"]}, {"T2": "z"}), {"T2": []}, "a free resource", show=True)
expect_same(wait_for_graph({}, {}), {}, "an empty lock table", show=True)
### BEGIN HIDDEN TESTS
expect_same(
    wait_for_graph(
        {"r1": ["a"], "r2": ["b"], "r3": ["c"]}, {"a": "r2", "b": "r3", "c": "r1"}
    ),
    {"a": ["b"], "b": ["c"], "c": ["a"]},
    "a ring of three transactions",
)
expect_same(
    wait_for_graph(
        {"row": ["reader2", "reader1", "reader3"], "page": ["writer"]},
        {"writer": "row", "reader2": "page"},
    ),
    {"writer": ["reader1", "reader2", "reader3"], "reader2": ["writer"]},
    "a writer waiting for three readers of a shared lock, one of which waits for it",
)
expect_same(
    wait_for_graph({"q": ["T9", "T10", "T1"]}, {"T5": "q"}),
    {"T5": ["T1", "T10", "T9"]},
    "the holders must be sorted as strings",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · edge cases (3 points)
# The waiter among the holders, a holder listed twice, empty holder lists, a resource nobody
# holds, the result's types, and the inputs left unchanged.

# %% nbgrader="tests" grade_id="wait_for_graph_tests_edges" points=3
"""Edge cases: self, duplicates, empty lists, unknown resources, types, unchanged inputs."""
from advpy.checks import expect_same

expect_same(
    wait_for_graph({"x": ["T1"]}, {"T1": "x"}),
    {"T1": []},
    "a transaction never waits for itself",
    show=True,
)
expect_same(
    wait_for_graph({"x": ["T2", "T2"]}, {"T1": "x"}),
    {"T1": ["T2"]},
    "a holder listed twice is waited for once",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect as _expect
from advpy.checks import expect_list_of as _expect_list_of
from advpy.checks import expect_type as _expect_type

expect_same(
    wait_for_graph({"x": []}, {"T1": "x"}), {"T1": []}, "a resource with an empty holder list"
)
expect_same(
    wait_for_graph({"x": ["T1", "T2"]}, {"T1": "x", "T2": "x"}),
    {"T1": ["T2"], "T2": ["T1"]},
    "two holders of a shared lock that both wait to upgrade it wait for each other",
)
expect_same(
    wait_for_graph({"x": ["T1", "T2", "T3"]}, {"T3": "x", "T2": "x", "T4": "x"}),
    {"T3": ["T1", "T2"], "T2": ["T1", "T3"], "T4": ["T1", "T2", "T3"]},
    "several waiters on one resource each see all its other holders",
)
expect_same(
    wait_for_graph({"x": ["T1", "T2", "T1"], "y": ["T1"]}, {"T1": "x", "T3": "y", "T4": "nope"}),
    {"T1": ["T2"], "T3": ["T1"], "T4": []},
    "the waiter among repeated holders, and a resource missing from the table",
)
_held = {"x": ["T2", "T1"], "y": ["T3"]}
_wanted = {"T1": "x", "T4": "y"}
_result = wait_for_graph(_held, _wanted)
expect_same(_held, {"x": ["T2", "T1"], "y": ["T3"]}, "wait_for_graph must not change held")
expect_same(_wanted, {"T1": "x", "T4": "y"}, "wait_for_graph must not change wanted")
_expect_type(_result, dict, "wait_for_graph must return a dict")
for _value in _result.values():
    _expect_list_of(_value, str, "each value must be a list of strings")
expect_same(_result, {"T1": ["T2"], "T4": ["T3"]}, "a small table")
_again = wait_for_graph(_held, _wanted)
_expect(_again is not _result, "each call must return a new dict")
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `find_deadlock`: a cycle, or None
# *8 points, in three checks.*
#
# A deadlock is a **cycle** in the wait-for graph. `find_deadlock(graph)` takes a dict from
# each node to the list of nodes it waits for (Part A's result is one) and returns one cycle:
# a list `[n0, n1, ..., nk]` in which `n0` waits for `n1`, `n1` for `n2`, and so on, and the
# last waits for `n0`. When there is no cycle it returns **None**.
#
# | `graph` | a correct result | why |
# |---|---|---|
# | `{"T1": ["T2"], "T2": ["T1"]}` | `["T1", "T2"]` | or `["T2", "T1"]` |
# | `{"a": ["b"], "b": ["c"], "c": ["b"]}` | `["b", "c"]` | `a` waits, but is not on the cycle |
# | `{"T1": ["T1"]}` | `["T1"]` | waiting for itself is a cycle too |
# | `{"a": ["b", "c"], "b": ["d"], "c": ["d"]}` | `None` | `d` is reached twice, no cycle |
# | `{}` | `None` | nobody waits |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - nodes are strings or ints (the two kinds are not mixed in one graph; `0` and `""` are
#   nodes like any other); a node that waits for nobody may be missing from the keys (it
#   appears only in lists), and a list may name the same node twice;
# - the result is a plain `list` of distinct nodes forming a cycle, each waiting for the next
#   and the last for the first; **any** cycle of the graph, from **any** of its nodes, is
#   accepted; the nodes that only lead into the cycle must not be in it, and the first node
#   must not be repeated at the end;
# - when the graph has no cycle the result is `None` (not `[]`);
# - `graph` is not changed;
# - time **O(V + E)**, also on a chain of 50,000 nodes, with Python's default recursion limit
#   (a recursive search fails there: keep your own stack).
#
# <details><summary>Hint 1 (a nudge)</summary>
#
# A depth-first search that keeps its current path: reaching a node that is **on the path**
# closes a cycle (from that node to the end of the path). Reaching a node whose search has
# already **finished** closes nothing: everything reachable from it has been seen.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Keep `path` (a list), `position` (a dict from each node on the path to its index, so that
# "is it on the path?" costs O(1)), a set `finished`, and a stack of iterators, one per node on
# the path, over the nodes it waits for (`iter(graph.get(node, ()))`). The cycle is then
# `path[position[node]:]`. Start a search from every key not yet finished.
# </details>

# %% nbgrader="solution" grade_id="find_deadlock_answer"
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    ### BEGIN SOLUTION
    finished = set()
    for start in graph:
        if start in finished:
            continue
        position = {start: 0}
        path = [start]
        pending = [iter(graph.get(start, ()))]
        while pending:
            for node in pending[-1]:
                if node in position:
                    return path[position[node] :]
                if node not in finished:
                    position[node] = len(path)
                    path.append(node)
                    pending.append(iter(graph.get(node, ())))
                    break
            else:
                pending.pop()
                done = path.pop()
                del position[done]
                finished.add(done)
    return None
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
find_deadlock({"a": ["b"], "b": ["c"], "c": ["b"]})

# %% [markdown]
# ### Check B1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="find_deadlock_tests_examples" points=2
"""find_deadlock returns a cycle for the worked examples with one, and None for the others."""
from advpy.checks import expect_cycle, expect_same, time_limit


def search(graph):
    """find_deadlock(graph), stopped after 2 seconds: an answer that never returns fails."""
    with time_limit(2):
        return find_deadlock(graph)


pair = {"T1": ["T2"], "T2": ["T1"]}
expect_cycle(search(pair), pair, "two transactions waiting for each other", show=True)
lead_in = {"a": ["b"], "b": ["c"], "c": ["b"]}
expect_cycle(search(lead_in), lead_in, "a cycle with a node leading into it", show=True)
expect_cycle(search({"T1": ["T1"]}), {"T1": ["T1"]}, "waiting for itself", show=True)
diamond = {"a": ["b", "c"], "b": ["d"], "c": ["d"]}
expect_same(search(diamond), None, "a diamond has no cycle", show=True)
expect_same(search({}), None, "an empty graph", show=True)
### BEGIN HIDDEN TESTS
_ring = {"T1": ["T2"], "T2": ["T3"], "T3": ["T4"], "T4": ["T1"]}
expect_cycle(search(_ring), _ring, "a ring of four transactions")
_tail = {"w": ["x"], "x": ["y"], "y": ["z"], "z": ["x"], "v": ["w"]}
expect_cycle(search(_tail), _tail, "a cycle reached through a long lead-in")
expect_same(
    search({"a": ["b"], "b": ["c"], "c": []}), None, "a chain that ends has no cycle"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · edge cases (3 points)
# Nodes only named as targets, repeated targets, falsy nodes and ints, cycles behind acyclic
# parts, a self-wait beside other edges, the graph left unchanged.

# %% nbgrader="tests" grade_id="find_deadlock_tests_edges" points=3
"""Edge cases: target-only nodes, repeats, falsy and int nodes, hidden cycles, no changes."""
from advpy.checks import expect_cycle, expect_same, time_limit


def search(graph):
    """find_deadlock(graph), stopped after 2 seconds: an answer that never returns fails."""
    with time_limit(2):
        return find_deadlock(graph)


expect_same(search({"a": ["b"]}), None, "b waits for nobody and is not a key", show=True)
falsy = {0: [1], 1: [0]}
expect_cycle(search(falsy), falsy, "int nodes, one of them 0", show=True)
### BEGIN HIDDEN TESTS
_twice = {"a": ["b", "b"], "b": ["c", "c"]}
expect_same(search(_twice), None, "repeated targets without a cycle must give None")
_twice_cycle = {"a": ["b", "b"], "b": ["a", "a"]}
expect_cycle(search(_twice_cycle), _twice_cycle, "a cycle through repeated targets")
_empty_names = {"": ["x"], "x": [""]}
expect_cycle(search(_empty_names), _empty_names, "a cycle through the node ''")
_self_beside = {"a": ["b"], "b": ["c"], "c": ["c"], "d": ["a"]}
expect_cycle(search(_self_beside), _self_beside, "a self-wait at the end of a chain")
_late = {"a": ["b"], "b": [], "c": ["d"], "d": ["e"], "e": ["c"]}
expect_cycle(search(_late), _late, "a cycle in a part visited after an acyclic one")
_cross = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": ["e"], "e": [], "f": ["b"], "g": ["f"]}
expect_same(search(_cross), None, "nodes reached several ways, no cycle: None")
_back = {"a": ["b"], "b": ["c"], "c": ["d"], "d": ["b"]}
expect_cycle(search(_back), _back, "a cycle that does not go back to the first node")
_ints = {5: [3], 3: [7], 7: [], 9: [5, 7], 2: [9, 2]}
expect_cycle(search(_ints), _ints, "a self-wait on an int node after other nodes")
_given = {"p": ["q"], "q": ["p"], "r": ["p"]}
search(_given)
expect_same(_given, {"p": ["q"], "q": ["p"], "r": ["p"]}, "find_deadlock must not change graph")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · random graphs and a chain of 50,000 (3 points)
# Hundreds of seeded random graphs, with and without cycles; then a chain of 50,000 waiting
# transactions, open and closed into a ring, with the default recursion limit. An answer much
# slower than the reference on the same input is stopped.

# %% nbgrader="tests" grade_id="find_deadlock_tests_scale" points=3
"""Random graphs: a cycle exactly when there is one; long chains within the recursion limit."""
from advpy.checks import expect_cycle, expect_same, recursion_limit, time_limit

chain = {i: [i + 1] for i in range(3000)}
with recursion_limit(), time_limit(5):
    expect_same(find_deadlock(chain), None, "a chain of 3,000 nodes has no cycle")
### BEGIN HIDDEN TESTS
import time as _time

from advpy.checks import TimeLimitExceeded as _TimeLimitExceeded
from advpy.checks import expect as _expect
from advpy.checks import time_limit as _time_limit


def _has_cycle(graph):
    nodes = set(graph)
    for targets in graph.values():
        nodes.update(targets)
    indegree = dict.fromkeys(nodes, 0)
    for targets in graph.values():
        for target in targets:
            indegree[target] += 1
    ready = [node for node in nodes if indegree[node] == 0]
    placed = 0
    while ready:
        node = ready.pop()
        placed += 1
        for target in graph.get(node, ()):
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return placed < len(nodes)


_rng = random.Random(23)
_cyclic = 0
for _case in range(200):
    _size = _rng.randint(1, 14)
    _names = [f"T{i}" for i in range(_size)] if _case % 2 else list(range(_size))
    _rank = _rng.sample(_names, _size)
    _graph = {}
    for _ in range(_rng.randint(0, 2 * _size)):
        if _size < 2:
            break
        _i, _j = sorted(_rng.sample(range(_size), 2))
        _graph.setdefault(_rank[_i], []).append(_rank[_j])
    if _rng.random() < 0.5:  # close a cycle through 1 to 4 nodes
        _picked = sorted(_rng.sample(range(_size), min(_size, _rng.randint(1, 4))))
        for _i, _j in zip(_picked, _picked[1:] + _picked[:1], strict=True):
            _graph.setdefault(_rank[_j], []).append(_rank[_i])
    _graph = dict(_rng.sample(list(_graph.items()), len(_graph)))
    with _time_limit(2):  # each small graph: an answer that never returns fails here
        _answer = find_deadlock({key: list(value) for key, value in _graph.items()})
    if _has_cycle(_graph):
        _cyclic += 1
        expect_cycle(
            _answer, _graph, "on a random graph with a cycle, no valid cycle came back"
        )
    else:
        expect_same(_answer, None, "on a random graph without a cycle the result must be None")
_expect(_cyclic > 40, "the random graphs must include cycles")


def _reference(graph):
    finished = set()
    for start in graph:
        if start in finished:
            continue
        position = {start: 0}
        path = [start]
        pending = [iter(graph.get(start, ()))]
        while pending:
            for node in pending[-1]:
                if node in position:
                    return path[position[node] :]
                if node not in finished:
                    position[node] = len(path)
                    path.append(node)
                    pending.append(iter(graph.get(node, ())))
                    break
            else:
                pending.pop()
                done = path.pop()
                del position[done]
                finished.add(done)
    return None


def _search_long(graph, what, allowed):
    try:
        with recursion_limit(), _time_limit(allowed):
            return find_deadlock(graph)
    except RecursionError:
        raise AssertionError(
            f"find_deadlock hit Python's recursion limit on {what}: keep your own stack"
        ) from None
    except _TimeLimitExceeded:
        raise AssertionError(
            f"find_deadlock took more than 20 times as long as the reference on {what} and was "
            "stopped: does one step cost O(V) (a list searched with `in`, a path copied)?"
        ) from None


_long = {i: [i + 1] for i in range(50_000)}
_long_keys = list(_long)
_rng.shuffle(_long_keys)
_long = {key: _long[key] for key in _long_keys}
_started = _time.process_time()
_reference(_long)
_allowed = max(5.0, 20 * (_time.process_time() - _started))
expect_same(
    _search_long(_long, "a chain of 50,000 nodes", _allowed),
    None,
    "a chain of 50,000 waiting nodes has no cycle",
)
_backwards = {i: [i + 1] for i in reversed(range(50_000))}
expect_same(
    _search_long(_backwards, "a chain of 50,000 nodes listed from its end", _allowed),
    None,
    "a chain of 50,000 nodes listed from its end has no cycle",
)
_ring = {i: [(i + 1) % 50_000] for i in range(50_000)}
expect_cycle(
    _search_long(_ring, "a ring of 50,000 nodes", _allowed),
    _ring,
    "a ring of 50,000 nodes is one long cycle",
)
_spine = {i: [i + 1] for i in range(50_000)}
_spine[50_000] = [25_000]
expect_cycle(
    _search_long(_spine, "a chain of 50,000 nodes that ends in a loop", _allowed),
    _spine,
    "a chain of 50,000 nodes whose end waits for its middle",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · a lease lock with fencing tokens, on Redis
# *7 points, in three checks.*
#
# A lock shared by processes on several machines lives in a server, here Redis, and must be a
# **lease**: it expires unless given back, so that a crashed holder does not keep it forever.
# Because a paused holder can outlive its lease, every grant comes with a **fencing token**, a
# number that grows with each grant, and the storage refuses writes whose token is smaller
# than one it has already accepted.
#
# Each function takes the server's address `url` (such as `"redis://127.0.0.1:6379/0"`) and
# connects itself, for instance with `redis.Redis.from_url(url)` (`redis` is imported above).
# Redis runs each Lua script (`EVAL`, or `client.register_script`) atomically, and so is one
# `SET` with its options; a `GET` followed by a `SET` is not.
#
# - `acquire_lease(url, name, owner, ttl_ms)`: if nobody holds the lease `name` (no key
#   `name` exists), take it: set the key `name` to `owner`, expiring after `ttl_ms`
#   **milliseconds**, and return the fencing token, an `int`: the counter stored at the key
#   `name + ":token"` increased by one (1 for the first grant ever). If the key exists (whoever
#   holds it, `owner` included), change nothing (the counter included) and return `None`.
#   Taking the lease and counting the grant happen together: no other client may take the lease
#   in between.
# - `release_lease(url, name, owner)`: delete the key `name` **only if** its value is `owner`,
#   atomically (a lease that expired and was taken by someone else is not theirs to delete);
#   return `True` if it was deleted, `False` otherwise (not held, or held by another owner).
# - `fenced_write(url, key, value, token)`: the storage side. The record at `key` is a Redis
#   hash with fields `value` and `token`. Store `value` and `token` there and return `True`
#   when there is no record yet or `token` is **at least** the record's token (the same holder
#   may write twice with its token); otherwise change nothing and return `False`. Atomically.
#
# `name`, `owner`, `key` and `value` are non-empty strings, `ttl_ms` and `token` positive
# ints. The hidden tests check these rules on a real Redis server and nothing beyond them:
# the keys and values stored, the lease's expiry time as Redis reports it (`PTTL`), the
# counter after refused acquisitions, and the return values and their types. (An expiry
# is tested by deleting the key, as Redis does when the lease runs out, not by waiting.)
#
# <details><summary>Hint</summary>
#
# `client.eval(script, number_of_keys, *keys, *args)` runs a Lua script; inside it,
# `redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])` is false when the key exists, and
# a script that returns `false` gives Python `None`. Arguments arrive in Lua as strings: compare
# numbers with `tonumber(...)`.
# </details>

# %% nbgrader="solution" grade_id="lease_answer"
def acquire_lease(url, name, owner, ttl_ms):
    """Take the lease `name` for `owner` for `ttl_ms` milliseconds; return the fencing token
    (an int), or None if the lease is held."""
    ### BEGIN SOLUTION
    script = """
    if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
      return redis.call('INCR', KEYS[2])
    end
    return false
    """
    with redis.Redis.from_url(url) as client:
        token = client.eval(script, 2, name, name + ":token", owner, ttl_ms)
    return None if token is None else int(token)
    ### END SOLUTION


def release_lease(url, name, owner):
    """Delete the lease `name` if `owner` holds it; return whether it was deleted."""
    ### BEGIN SOLUTION
    script = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('DEL', KEYS[1])
    end
    return 0
    """
    with redis.Redis.from_url(url) as client:
        return client.eval(script, 1, name, owner) == 1
    ### END SOLUTION


def fenced_write(url, key, value, token):
    """Store value and token in the hash `key` unless it holds a larger token; return whether
    the write was accepted."""
    ### BEGIN SOLUTION
    script = """
    local seen = redis.call('HGET', KEYS[1], 'token')
    if seen and tonumber(ARGV[2]) < tonumber(seen) then
      return 0
    end
    redis.call('HSET', KEYS[1], 'value', ARGV[1], 'token', ARGV[2])
    return 1
    """
    with redis.Redis.from_url(url) as client:
        return client.eval(script, 1, key, value, token) == 1
    ### END SOLUTION


# %%
# Scratch cell: try your functions here. It is not graded. A server of your own:
#     from advpy.services import redis_server
#     server = redis_server()
#     acquire_lease(server.url, "report", "A", 5000)
#     ...
#     server.stop()

# %% [markdown]
# ### Check C1 · taking a lease (3 points)

# %% nbgrader="tests" grade_id="lease_tests_acquire" points=3
"""acquire_lease takes a free lease with a growing token and refuses a held one."""
from advpy.checks import expect, expect_same, expect_type
from advpy.services import redis_server

with redis_server() as server:
    check = server.client
    first = acquire_lease(server.url, "report", "A", 5000)
    expect_same(first, 1, "the first grant's token", show=True)
    expect_same(check.get("report"), "A", "the key 'report' holds the owner's name", show=True)
    expect_same(acquire_lease(server.url, "report", "B", 5000), None, "a held lease", show=True)
    check.delete("report")  # as if the lease ran out
    expect_same(acquire_lease(server.url, "report", "B", 5000), 2, "the next grant", show=True)
    ttl = check.pttl("report")
    expect(0 < ttl <= 5000, f"the lease expires in ttl_ms milliseconds (PTTL said {ttl})")
    ### BEGIN HIDDEN TESTS
    _token = acquire_lease(server.url, "nightly-job", "worker-7", 60_000)
    expect_type(_token, int, "the token must be an int")
    expect_same(_token, 1, "each lease name has its own counter, starting at 1")
    _ttl = check.pttl("nightly-job")
    expect(
        55_000 < _ttl <= 60_000,
        "the lease must expire after ttl_ms milliseconds (check the unit: PX, not EX)",
    )
    expect_same(
        acquire_lease(server.url, "nightly-job", "worker-7", 60_000),
        None,
        "a lease held by the same owner must not be granted again",
    )
    for _other in ("worker-1", "worker-2", "worker-3"):
        acquire_lease(server.url, "nightly-job", _other, 60_000)
    expect_same(
        check.get("nightly-job:token"), "1", "refused acquisitions must not advance the counter"
    )
    expect_same(check.get("nightly-job"), "worker-7", "a refused acquisition changes no holder")
    for _round in range(2, 6):
        check.delete("nightly-job")
        expect_same(
            acquire_lease(server.url, "nightly-job", f"worker-{_round}", 1500),
            _round,
            "after each expiry the next grant's token must be one more",
        )
    _short = check.pttl("nightly-job")
    expect(0 < _short <= 1500, "a short lease must expire after ttl_ms milliseconds")
    check.set("other:token", 41)
    expect_same(
        acquire_lease(server.url, "other", "A", 1000), 42, "the token continues the stored counter"
    )
    ### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · giving a lease back (2 points)

# %% nbgrader="tests" grade_id="lease_tests_release" points=2
"""release_lease deletes the lease only for its holder."""
from advpy.checks import expect_same
from advpy.services import redis_server

with redis_server() as server:
    check = server.client
    acquire_lease(server.url, "report", "A", 5000)
    expect_same(release_lease(server.url, "report", "B"), False, "B does not hold it", show=True)
    expect_same(check.get("report"), "A", "A still holds the lease", show=True)
    expect_same(release_lease(server.url, "report", "A"), True, "A gives it back", show=True)
    expect_same(check.exists("report"), 0, "the lease is gone", show=True)
    ### BEGIN HIDDEN TESTS
    expect_same(
        release_lease(server.url, "report", "A"), False, "releasing a lease nobody holds: False"
    )
    acquire_lease(server.url, "job", "old-holder", 5000)
    check.delete("job")  # the old holder's lease ran out...
    acquire_lease(server.url, "job", "new-holder", 5000)  # ...and someone else took it
    expect_same(
        release_lease(server.url, "job", "old-holder"),
        False,
        "a holder whose lease expired must not delete the new holder's lease",
    )
    expect_same(check.get("job"), "new-holder", "the new holder must keep the lease")
    expect_same(
        acquire_lease(server.url, "job", "third", 5000), None, "the new holder's lease still holds"
    )
    expect_same(release_lease(server.url, "job", "new-holder"), True, "the holder releases")
    expect_same(check.get("job:token"), "2", "releasing must not change the counter")
    expect_same(acquire_lease(server.url, "job", "third", 5000), 3, "free again after release")
    ### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · the storage checks fencing tokens (2 points)

# %% nbgrader="tests" grade_id="lease_tests_fencing" points=2
"""fenced_write accepts a token at least the highest seen, and refuses a smaller one."""
from advpy.checks import expect_same
from advpy.services import redis_server

with redis_server() as server:
    check = server.client
    expect_same(fenced_write(server.url, "report", "by B", 34), True, "a first write", show=True)
    expect_same(fenced_write(server.url, "report", "by A", 33), False, "a stale token", show=True)
    expect_same(check.hget("report", "value"), "by B", "B's value stays", show=True)
    ### BEGIN HIDDEN TESTS
    expect_same(check.hget("report", "token"), "34", "the record must keep the highest token")
    expect_same(
        fenced_write(server.url, "report", "by B again", 34),
        True,
        "the same token may write again (the same holder writing twice)",
    )
    expect_same(check.hget("report", "value"), "by B again", "the second write is stored")
    expect_same(
        fenced_write(server.url, "report", "by C", 35), True, "a larger token must be accepted"
    )
    expect_same(check.hget("report", "token"), "35", "the record must store the new token")
    expect_same(
        fenced_write(server.url, "report", "late", 34),
        False,
        "a token that was the highest before must be refused once a larger one wrote",
    )
    expect_same(check.hget("report", "value"), "by C", "a refused write changes nothing")
    expect_same(check.hget("report", "token"), "35", "a refused write keeps the token")
    expect_same(
        fenced_write(server.url, "ledger", "v1", 9),
        True,
        "each key has its own record: a small token on a new key is accepted",
    )
    expect_same(
        fenced_write(server.url, "tens", "v", 10), True, "a first write with token 10"
    )
    expect_same(
        fenced_write(server.url, "tens", "w", 9),
        False,
        "tokens must be compared as numbers, not as text (9 < 10)",
    )
    expect_same(check.hget("tens", "value"), "v", "the value of token 10 stays")
    ### END HIDDEN TESTS
