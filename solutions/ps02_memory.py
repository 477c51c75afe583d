# %% [markdown]
# # ps02 · Memory: weak parent links, a cache that lets go, allocation sites (20 points)
#
# Three tools for code that runs for weeks without growing, each a direct use of
# [02 · Memory management](../02_memory.ipynb):
#
# - **Part A** · `TreeNode`: a tree whose nodes own their children and refer to their parent
#   *weakly*, so that dropping the root frees the whole tree without the cyclic collector
#   (7 points);
# - **Part B** · `WeakCache`: a cache that shares a value while someone uses it and never keeps
#   it alive (7 points);
# - **Part C** · `top_allocation_sites(before, after, limit)`: the source lines whose memory
#   grew most between two tracemalloc snapshots (6 points).
#
# **How this notebook is graded.** You write one class or function per part, in its answer
# cell. The test cells below each part check it and show their points. Every test cell also
# holds **hidden tests** that run only when your instructor grades the notebook (Validate and `advpy
# check` run the visible ones): passing the visible checks is
# necessary, not sufficient. Several tests turn the cyclic garbage collector off (and back on)
# so that only reference counting can free objects, exactly as in the lesson.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the helpers the visible
# tests use. Try them in the scratch cells.
import gc
import random
import tracemalloc
import weakref
from contextlib import contextmanager


@contextmanager
def collector_off():
    """Inside the block only reference counting frees objects: the cyclic garbage collector
    is off. It is turned back on afterwards, even if the block fails."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def watch(obj, freed, label):
    """Append `label` to the list `freed` at the moment `obj` is freed."""
    weakref.finalize(obj, freed.append, label)


class Blob:
    """A value to cache: it remembers the key it was made for, and accepts weak references."""

    def __init__(self, key):
        self.key = key


class CountingFactory:
    """Makes a new Blob for a key each time it is called, and records the keys it was called
    with in `calls`, in order."""

    def __init__(self):
        self.calls = []

    def __call__(self, key):
        self.calls.append(key)
        return Blob(key)


def hold_blocks(count, size):
    """Allocate `count` bytearrays of `size` bytes, all on one line, and return them."""
    return [bytearray(size) for _ in range(count)]


HOLD_FILE = hold_blocks.__code__.co_filename
HOLD_LINE = hold_blocks.__code__.co_firstlineno + 2  # the line of the return statement

# %% [markdown]
# ## Part A · `TreeNode`: parents own children, children do not own parents
#
# A tree where each node lists its children and each child knows its parent is full of
# reference cycles: parent → child → parent. With plain attributes, dropping the root frees
# nothing until the cyclic collector runs, and a service that builds many trees (parsed
# documents, UI widgets, org charts) holds all of them in the meantime. Make the parent link
# **weak** and reference counting frees a tree as soon as its root is dropped.
#
# Write the class `TreeNode`:
#
# | call | result |
# |---|---|
# | `root = TreeNode("root")` | a root: `root.name == "root"`, `root.parent is None`, no children |
# | `a = root.add_child("a")` | a new `TreeNode` `"a"`, appended to `root.children`, returned |
# | `a.parent` | `root` itself (the very same object) |
# | `del root` (nothing else holds it) | every node is freed at once, even with the collector off |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `node.name` is the name given; `node.children` is a plain `list` of the node's children in
#   the order they were added (several children may share a name);
# - `node.parent` is the parent node itself, or `None` for a root, and `None` too once the
#   parent no longer exists;
# - a node keeps its children alive (strong references), a child does **not** keep its parent
#   alive; so, with the cyclic collector off, dropping the last reference to the root frees
#   every node that nothing else holds, immediately, and a node you still hold survives with
#   `parent` becoming `None`;
# - nodes accept weak references (the tests watch them with `weakref.finalize`): an ordinary
#   class does; with `__slots__`, include `"__weakref__"`.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `weakref.ref(obj)` makes a weak reference `r`; calling `r()` gives the object back, or `None`
# once it has been freed. A weak reference does not count towards the object's reference count.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Keep the weak reference in a private attribute and expose `parent` as a `@property` that
# calls it. A root can store `None` there instead of a weak reference.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# `weakref.proxy` looks tempting but a proxy is not the parent itself (`child.parent is root`
# is false) and using it after the parent is gone raises `ReferenceError`. Store a
# `weakref.ref` and call it inside the `parent` property.
# </details>


# %% nbgrader="solution" grade_id="weak_tree_answer"
class TreeNode:
    """A tree node that owns its children and refers to its parent weakly."""

    def __init__(self, name):
        """A new root node called `name`, with no parent and no children."""
        ### BEGIN SOLUTION
        self.name = name
        self.children = []
        self._parent_ref = None
        ### END SOLUTION

    @property
    def parent(self):
        """The parent node, or None for a root or when the parent no longer exists."""
        ### BEGIN SOLUTION
        if self._parent_ref is None:
            return None
        return self._parent_ref()
        ### END SOLUTION

    def add_child(self, name):
        """Make a new node called `name`, add it at the end of `self.children`, return it."""
        ### BEGIN SOLUTION
        child = TreeNode(name)
        child._parent_ref = weakref.ref(self)
        self.children.append(child)
        return child
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
freed = []
with collector_off():
    root = TreeNode("root")
    watch(root, freed, "root")
    watch(root.add_child("a"), freed, "a")
    del root
print("freed:", freed)

# %% [markdown]
# ### Check A1 · names, children and parents (2 points)

# %% nbgrader="tests" grade_id="weak_tree_tests_structure" points=2
"""TreeNode keeps names, lists children in order in a plain list, and gives each child its
parent node itself."""
from advpy.checks import expect, expect_same, expect_type

root = TreeNode("root")
expect(root.parent is None, "a new TreeNode is a root: its parent must be None")
expect_type(root.children, list, "node.children must be a plain list")
expect(len(root.children) == 0, "a new TreeNode must have no children")
a = root.add_child("a")
b = root.add_child("b")
expect_same(a.name, "a", 'root.add_child("a").name', show=True)
expect(a.parent is root, "a child's parent must be the parent node itself (not a weak reference)")
expect(
    len(root.children) == 2 and root.children[0] is a and root.children[1] is b,
    "root.children must hold the nodes add_child returned, in the order they were added",
)
grandchild = a.add_child("a1")
expect(grandchild.parent.parent is root, "the parent of a grandchild's parent must be the root")
### BEGIN HIDDEN TESTS
_top = TreeNode("top")
_twins = [_top.add_child("twin") for _ in range(3)]
expect(
    all(_twins[i] is not _twins[j] for i in range(3) for j in range(i)),
    "add_child must make a new node on every call, even when names repeat",
)
expect(
    all(type(node) is TreeNode for node in _twins),
    "add_child must return TreeNode objects",
)
expect(
    all(node.parent is _top for node in _twins),
    "every child made by add_child must have the node it was added to as its parent",
)
expect_type(_twins[0].children, list, "a new child's children must be a plain list")
expect(len(_twins[0].children) == 0, "a new child must have no children of its own")
_chain = [_top]
for _level in range(6):
    _chain.append(_chain[-1].add_child(f"level{_level}"))
expect(
    all(_chain[i + 1].parent is _chain[i] for i in range(len(_chain) - 1)),
    "in a chain of nodes, every node's parent must be the node above it",
)
expect(
    [node.name for node in _top.children] == ["twin", "twin", "twin", "level0"],
    "children must be listed in the order they were added, with their names",
)
expect(_top.parent is None, "a root must keep None as its parent after it gets children")
expect_same(TreeNode(7).name, 7, "the name must be stored exactly as given")
del _top, _twins, _chain
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · dropping the root frees the whole tree without the collector (3 points)
# With the cyclic collector off, the test builds a tree, watches every node with
# `weakref.finalize`, drops the root and counts the nodes freed at once.

# %% nbgrader="tests" grade_id="weak_tree_tests_frees" points=3
"""With the cyclic collector off, dropping the last reference to the root frees every node of
the tree immediately."""
from advpy.checks import expect

freed = []
with collector_off():
    root = TreeNode("root")
    for name in ["a", "b"]:
        child = root.add_child(name)
        watch(child.add_child(name + "1"), freed, name + "1")
        watch(child, freed, name)
    del child
    watch(root, freed, "root")
    del root
    expect(
        sorted(freed) == ["a", "a1", "b", "b1", "root"],
        "with the collector off, dropping the root must free all 5 nodes at once; "
        f"freed only {sorted(freed)}. A child that refers to its parent with a normal "
        "attribute makes a cycle that only gc.collect() frees: refer to it weakly.",
    )


### BEGIN HIDDEN TESTS
def _grow(node, depth, width):
    if depth:
        for index in range(width):
            _grow(node.add_child(f"{node.name}.{index}"), depth - 1, width)


def _watch_all(node, log):
    weakref.finalize(node, log.append, node.name)
    count = 1
    for child in node.children:
        count += _watch_all(child, log)
    return count


_log = []
with collector_off():
    _root = TreeNode("r")
    _grow(_root, 4, 3)
    _total = _watch_all(_root, _log)
    del _root
    expect(
        len(_log) == _total,
        "on a larger tree, dropping the root with the collector off must free every node at "
        f"once; {len(_log)} of {_total} nodes were freed",
    )
_log = []
with collector_off():
    _root = TreeNode("single")
    _only = _root.add_child("only")
    weakref.finalize(_root, _log.append, "root")
    weakref.finalize(_only, _log.append, "only")
    del _root
    expect(
        _log == ["root"],
        "a root whose child is still held elsewhere must be freed at once when dropped: "
        "the child must not keep its parent alive",
    )
    del _only
    expect(_log == ["root", "only"], "dropping the last reference to a node must free it")
expect(gc.isenabled(), "the garbage collector must be on again after the test")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · parents keep children alive, children outlive parents safely (2 points)
# What happens to a node you still hold once its parent has been freed. (Whether dropping the
# root frees it is Check A2's question: where it is not freed, this check does not ask.)

# %% nbgrader="tests" grade_id="weak_tree_tests_children" points=2
"""A node keeps its children alive; a node still held after its parent is freed has parent
None."""
from advpy.checks import expect, expect_same

freed = []
with collector_off():
    root = TreeNode("root")
    watch(root.add_child("kept by root"), freed, "child")
    expect(freed == [], "a child that only its parent holds must stay alive while the parent is")
    expect_same(root.children[0].name, "kept by root", "root.children[0].name", show=True)
    survivor = root.children[0]
    watch(root, freed, "root")
    del root
    if "root" in freed:  # whether dropping the root frees it at all is Check A2's question
        expect(
            survivor.parent is None,
            "once its parent is freed, a node's parent must be None (not an error, not a dead "
            "proxy)",
        )
    expect_same(survivor.name, "kept by root", "the surviving node's name", show=True)
del survivor
### BEGIN HIDDEN TESTS
_gone = []
with collector_off():
    _root = TreeNode("base")
    for _index in range(5):
        weakref.finalize(_root.add_child(f"c{_index}").add_child("leaf"), _gone.append, _index)
    expect(_gone == [], "grandchildren held only through the tree must stay alive with the root")
    expect(
        [child.children[0].name for child in _root.children] == ["leaf"] * 5,
        "every child must still list the grandchild added to it",
    )
    _leaf = _root.children[2].children[0]
    _root_freed = []
    weakref.finalize(_root, _root_freed.append, "root")
    del _root
    if _root_freed:  # (whether the root is freed at all is Check A2's question)
        expect(
            sorted(_gone) == [0, 1, 3, 4],
            "after the root was freed, only the grandchild still held elsewhere must stay alive",
        )
        expect(
            _leaf.parent is None,
            "a kept grandchild's parent must be None once that parent has been freed",
        )
    _new_parent_child = _leaf.add_child("after")
    expect(
        _new_parent_child.parent is _leaf,
        "a surviving node must still work as a parent for new children",
    )
del _leaf, _new_parent_child
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `WeakCache`: share values, never keep them alive
#
# The lesson's report service leaked because its global cache held every report it ever made.
# Write a cache that hands out the same value to everyone who asks while the value is in use,
# and forgets it as soon as nobody uses it.
#
# `WeakCache(factory)` takes a function `factory(key)` that makes a value for a key (values are
# objects that accept weak references, such as instances of ordinary classes).
#
# | call | result |
# |---|---|
# | `cache = WeakCache(factory)` | an empty cache: `len(cache) == 0` |
# | `v = cache.get("a")` | calls `factory("a")` once and returns its value |
# | `cache.get("a") is v` | `True`: while `v` is alive, no new call to the factory |
# | `"a" in cache`, `len(cache)` | `True`, `1` |
# | `del v` (no other user) | `v` is freed at once; `"a" in cache` is `False`, `len(cache) == 0` |
# | `cache.get("a")` | calls `factory("a")` again |
#
# The exact contract:
#
# - `get(key)` returns the cached value for `key` if it is still alive; otherwise it calls
#   `factory(key)` exactly once, remembers the result for `key`, and returns it;
# - a value is a value whatever it holds: one that is false in a boolean context (an object
#   whose `len()` is 0, or whose `__bool__` returns `False`) is returned again while it is
#   alive, like any other;
# - the cache never keeps a value alive: with the cyclic collector off, a value is freed as
#   soon as the last reference outside the cache goes;
# - `len(cache)` is the number of keys whose value is still alive, and `key in cache` is `True`
#   exactly for those keys.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# The lesson's fix for the leaking report cache is exactly this data structure.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `weakref.WeakValueDictionary` removes an entry by itself when its value is freed. Its `get`
# returns `None` for a missing (or already freed) key.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# Look the key up; if nothing is there, call the factory, store the value, and return the local
# variable that holds it: reading it back from the weak dictionary after storing is fine, but
# the local variable is what keeps it alive until the caller has it.
# </details>


# %% nbgrader="solution" grade_id="weak_cache_answer"
class WeakCache:
    """A cache that shares values while someone uses them, and never keeps them alive."""

    def __init__(self, factory):
        """An empty cache whose values are made by `factory(key)`."""
        ### BEGIN SOLUTION
        self._factory = factory
        self._values = weakref.WeakValueDictionary()
        ### END SOLUTION

    def get(self, key):
        """The live value cached for `key`, or a new one from the factory (then cached)."""
        ### BEGIN SOLUTION
        value = self._values.get(key)
        if value is None:
            value = self._factory(key)
            self._values[key] = value
        return value
        ### END SOLUTION

    def __len__(self):
        """How many keys have a value that is still alive."""
        ### BEGIN SOLUTION
        return len(self._values)
        ### END SOLUTION

    def __contains__(self, key):
        """True when `key` has a value that is still alive."""
        ### BEGIN SOLUTION
        return key in self._values
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
factory = CountingFactory()
cache = WeakCache(factory)
first = cache.get("a")
print(cache.get("a") is first, len(cache), factory.calls)

# %% [markdown]
# ### Check B1 · the same value while it is in use (2 points)

# %% nbgrader="tests" grade_id="weak_cache_tests_reuse" points=2
"""While a value is alive, get returns that same value and does not call the factory again."""
from advpy.checks import expect, expect_same

factory = CountingFactory()
cache = WeakCache(factory)
expect(len(cache) == 0, "a new cache must be empty: len(cache) == 0")
first = cache.get("a")
expect(type(first) is Blob and first.key == "a", "get must return the value the factory made")
expect(cache.get("a") is first, 'a second cache.get("a") must return the very same value')
other = cache.get("b")
expect(other is not first, "different keys must get different values")
expect_same(factory.calls, ["a", "b"], "the keys the factory was called with", show=True)
expect("a" in cache and "b" in cache, "keys whose values are alive must be `in` the cache")
expect(len(cache) == 2, "len(cache) must count the keys whose values are alive")
### BEGIN HIDDEN TESTS
_made = []


def _tracked_factory(key):
    value = Blob(key)
    _made.append(weakref.ref(value))
    return value


_cache = WeakCache(_tracked_factory)
_held = [_cache.get(k) for k in [3, "x", (1, 2), 3, "x", 3]]
expect(len(_made) == 3, "the factory must be called once per distinct key while values live")
expect(
    all(_held[i] is _made[j]() for i, j in [(0, 0), (1, 1), (2, 2), (3, 0), (4, 1), (5, 0)]),
    "every get must return the value the factory made for that key",
)
expect("never asked" not in _cache, "a key never asked for must not be `in` the cache")
expect(len(_cache) == 3, "len must count each live key once, however often it was asked for")
del _held


class _EmptyBatch:
    """A value that is false in a boolean context, as an empty container is."""

    def __init__(self, key):
        self.key = key

    def __len__(self):
        return 0


_made_empty = []


def _empty_factory(key):
    _made_empty.append(key)
    return _EmptyBatch(key)


_cache = WeakCache(_empty_factory)
_empty = _cache.get("batch")
expect(
    _cache.get("batch") is _empty and _made_empty == ["batch"],
    "a live value that is false in a boolean context (len() == 0) was made again instead of "
    "returned: a missing value is None, so test `is None`, not for truth",
)
del _empty
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · a value nobody uses is freed and forgotten (3 points)

# %% nbgrader="tests" grade_id="weak_cache_tests_lets_go" points=3
"""With the collector off, a value is freed as soon as its last user drops it; the cache then
forgets the key and makes a new value on the next get."""
from advpy.checks import expect, expect_same

freed = []
factory = CountingFactory()
with collector_off():
    cache = WeakCache(factory)
    value = cache.get("a")
    watch(value, freed, "a")
    del value
    expect(freed == ["a"], "the cache must not keep a value alive once its user drops it")
    expect("a" not in cache, "a key whose value was freed must not be `in` the cache")
    expect(len(cache) == 0, "len(cache) must not count keys whose values were freed")
    again = cache.get("a")
    expect_same(factory.calls, ["a", "a"], "factory calls after the value was freed", show=True)
    expect(again.key == "a", "the new value must come from the factory")
del again
### BEGIN HIDDEN TESTS
_gone = []
_factory = CountingFactory()
with collector_off():
    _cache = WeakCache(_factory)
    _values = {key: _cache.get(key) for key in range(20)}
    for key, value in _values.items():
        weakref.finalize(value, _gone.append, key)
    del value
    for key in range(0, 20, 2):
        del _values[key]
    expect(
        sorted(_gone) == list(range(0, 20, 2)),
        "dropping some values must free exactly those, at once, and keep the others",
    )
    expect(len(_cache) == 10, "len must count only the keys whose values are still alive")
    expect(
        all((key in _cache) == (key % 2 == 1) for key in range(20)),
        "`in` must be True exactly for keys whose values are still alive",
    )
    _values.clear()
    expect(len(_gone) == 20 and len(_cache) == 0, "once every value is dropped, none may stay")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · many gets and drops against a model (2 points)

# %% nbgrader="tests" grade_id="weak_cache_tests_model" points=2
"""Over a long sequence of gets and drops, the cache calls the factory, counts and answers
`in` exactly as the contract says."""
from advpy.checks import expect, expect_same

factory = CountingFactory()
cache = WeakCache(factory)
user1 = cache.get("k")
user2 = cache.get("k")
del user1
expect("k" in cache, "a value still used by someone must stay cached")
del user2
expect_same(len(cache), 0, "len(cache) after both users dropped the value", show=True)
### BEGIN HIDDEN TESTS
_rng = random.Random(2)
_calls = []


def _model_factory(key):
    _calls.append(key)
    return Blob(key)


with collector_off():
    _cache = WeakCache(_model_factory)
    _holding = {}  # key -> list of values the test holds
    for _step in range(600):
        _key = _rng.randrange(12)
        if _rng.random() < 0.55:
            _alive = bool(_holding.get(_key))
            _before = len(_calls)
            _value = _cache.get(_key)
            expect(
                len(_calls) - _before == (0 if _alive else 1),
                "get must call the factory only for a key with no live value",
            )
            if _alive:
                expect(_value is _holding[_key][0], "get must return the live value for a key")
            expect(_value.key == _key, "get must return a value made for that key")
            _holding.setdefault(_key, []).append(_value)
            del _value
        elif _holding.get(_key):
            _holding[_key].pop()
        _live = {k for k, held in _holding.items() if held}
        expect(len(_cache) == len(_live), "len(cache) must equal the number of live keys")
        expect(
            all((k in _cache) == (k in _live) for k in range(12)),
            "`in` must be True exactly for the keys with a live value",
        )
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `top_allocation_sites`: which lines grew?
#
# In the lesson you compared two tracemalloc snapshots and read the top lines by eye. Turn that
# into a function a monitoring job could call every hour.
#
# `top_allocation_sites(before, after, limit=3)` takes two `tracemalloc.Snapshot` objects
# (`before` taken first) and returns a list of at most `limit` tuples
# `(filename, lineno, size_diff)`:
#
# - one tuple per source line whose allocated memory **grew** between the snapshots, as
#   `after.compare_to(before, "lineno")` reports it: `filename` (a `str`) and `lineno` (an
#   `int`) are the line's, `size_diff` (an `int`, in bytes, > 0) is how much it grew;
# - lines whose memory shrank or did not change are left out;
# - largest growth first; lines that grew by exactly as much are ordered by `filename`, then
#   by `lineno`, ascending;
# - `limit` is a whole number ≥ 0; with fewer growing lines than `limit`, return them all.
#
# For example, with `kept = hold_blocks(200, 1000)` run between the two snapshots, the first
# tuple is `(HOLD_FILE, HOLD_LINE, n)` with `n` at least 200 000: the line of `hold_blocks` that
# allocated those 200 blocks (the setup cell defines `HOLD_FILE` and `HOLD_LINE`).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `after.compare_to(before, "lineno")` gives a list of `StatisticDiff` objects with
# `size_diff` and a `traceback` whose first frame has `filename` and `lineno`. Its order is not
# the one asked for: it sorts by the *size* of the change, shrinking lines included.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Build the tuples for the lines with `size_diff > 0`, then sort with a key that makes the
# largest growth come first and breaks ties by filename and line number.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# A sort key of `(-size_diff, filename, lineno)` gives exactly the order asked for; then keep
# the first `limit` items.
# </details>


# %% nbgrader="solution" grade_id="alloc_sites_answer"
def top_allocation_sites(before, after, limit=3):
    """The at most `limit` lines whose allocated memory grew most from snapshot `before` to
    snapshot `after`, as (filename, lineno, size_diff) tuples, largest growth first."""
    ### BEGIN SOLUTION
    grown = []
    for stat in after.compare_to(before, "lineno"):
        if stat.size_diff > 0:
            frame = stat.traceback[0]
            grown.append((frame.filename, frame.lineno, stat.size_diff))
    grown.sort(key=lambda site: (-site[2], site[0], site[1]))
    return grown[:limit]
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
tracemalloc.start()
first_snapshot = tracemalloc.take_snapshot()
kept = hold_blocks(100, 1000)
second_snapshot = tracemalloc.take_snapshot()
tracemalloc.stop()
top_allocation_sites(first_snapshot, second_snapshot, limit=2)

# %% [markdown]
# ### Check C1 · finds the line that allocated (2 points)

# %% nbgrader="tests" grade_id="alloc_sites_tests_examples" points=2
"""top_allocation_sites returns (filename, lineno, size_diff) tuples and puts the line that
allocated most between the snapshots first."""
from advpy.checks import expect, expect_list_of, expect_same

tracemalloc.start()
try:
    before = tracemalloc.take_snapshot()
    blocks_c1 = hold_blocks(200, 1000)
    after = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
sites = top_allocation_sites(before, after, limit=2)
expect_list_of(sites, tuple, "top_allocation_sites must return a list of tuples")
expect(len(sites) == 2, "with limit=2 and more lines that grew, return exactly 2 tuples")
expect(
    all(len(s) == 3 and type(s[2]) is int for s in sites),
    "each tuple must be (filename, lineno, size_diff) with an int size_diff",
)
expect_same(sites[0][:2], (HOLD_FILE, HOLD_LINE), "the first site's (filename, lineno)", show=True)
expect(sites[0][2] >= 200 * 1000, "the first site must have grown by the bytes it allocated")
del blocks_c1


### BEGIN HIDDEN TESTS
from advpy.checks import same


def _top_sites_match(result, first, second, count):
    """True when `result` lists the `count` largest growths between the snapshots (all of
    them if fewer lines grew), largest first, each as (filename, lineno, size_diff) of a line
    that grew by exactly that much. Lines that grew equally may come in any order here: that
    order is Check C3's."""
    grown = {
        (stat.traceback[0].filename, stat.traceback[0].lineno): stat.size_diff
        for stat in second.compare_to(first, "lineno")
        if stat.size_diff > 0
    }
    sizes = sorted(grown.values(), reverse=True)[:count]
    if type(result) is not list or len(result) != len(sizes):
        return False
    seen = set()
    for row, size in zip(result, sizes, strict=True):
        if type(row) is not tuple or len(row) != 3 or type(row[0]) is not str:
            return False
        line = (row[0], row[1])
        if type(row[1]) is not int or line in seen or not same(row[2], size):
            return False
        if grown.get(line) != size:
            return False
        seen.add(line)
    return True


def _make_records(count):
    return [{"id": n, "tags": [n, n + 1]} for n in range(count)]


def _make_text(count):
    return ["x" * (n % 97 + 30) for n in range(count)]


tracemalloc.start(5)
try:
    _first = tracemalloc.take_snapshot()
    _records = _make_records(800)
    _text = _make_text(1500)
    _second = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
for _limit in (1, 3, 10):
    expect(
        _top_sites_match(
            top_allocation_sites(_first, _second, limit=_limit), _first, _second, _limit
        ),
        "with several lines that grew, the sites (or their sizes, or the largest-first order) "
        "are not the expected ones",
    )
expect(
    _top_sites_match(top_allocation_sites(_first, _second), _first, _second, 3),
    "without a limit argument, top_allocation_sites must return the top 3 sites",
)
del _records, _text
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · only lines that grew (2 points)
# Memory freed between the snapshots makes some lines *shrink*; `compare_to` lists those too,
# and they must not be reported.

# %% nbgrader="tests" grade_id="alloc_sites_tests_growth_only" points=2
"""Lines whose memory shrank or did not change are left out, and limit bounds the result."""
from advpy.checks import expect, expect_same

tracemalloc.start()
try:
    blocks_gone = hold_blocks(300, 2000)
    before = tracemalloc.take_snapshot()
    del blocks_gone
    blocks_c2 = [bytearray(1000) for _ in range(50)]
    after = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
sites = top_allocation_sites(before, after, limit=50)
expect(all(s[2] > 0 for s in sites), "every size_diff returned must be positive (growth)")
expect(
    all(s[:2] != (HOLD_FILE, HOLD_LINE) for s in sites),
    "the line of hold_blocks only lost memory here (its blocks were freed): leave it out",
)
expect_same(top_allocation_sites(before, after, limit=0), [], "limit=0", show=True)
del blocks_c2


### BEGIN HIDDEN TESTS
from advpy.checks import same


def _top_sites_match(result, first, second, count):
    """True when `result` lists the `count` largest growths between the snapshots (all of
    them if fewer lines grew), largest first, each as (filename, lineno, size_diff) of a line
    that grew by exactly that much. Lines that grew equally may come in any order here: that
    order is Check C3's."""
    grown = {
        (stat.traceback[0].filename, stat.traceback[0].lineno): stat.size_diff
        for stat in second.compare_to(first, "lineno")
        if stat.size_diff > 0
    }
    sizes = sorted(grown.values(), reverse=True)[:count]
    if type(result) is not list or len(result) != len(sizes):
        return False
    seen = set()
    for row, size in zip(result, sizes, strict=True):
        if type(row) is not tuple or len(row) != 3 or type(row[0]) is not str:
            return False
        line = (row[0], row[1])
        if type(row[1]) is not int or line in seen or not same(row[2], size):
            return False
        if grown.get(line) != size:
            return False
        seen.add(line)
    return True


def _big_old(count):
    return [bytes(4000) for _ in range(count)]


def _steady(count):
    return [bytes(3000) for _ in range(count)]


def _small_new(count):
    return [bytes(500) for _ in range(count)]


tracemalloc.start()
try:
    _old = _big_old(400)
    _same = _steady(100)
    _first = tracemalloc.take_snapshot()
    del _old
    _new = _small_new(60)
    _second = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
_all = top_allocation_sites(_first, _second, limit=1000)
_lines = {(row[0], row[1]) for row in _all}
_steady_line = (_steady.__code__.co_filename, _steady.__code__.co_firstlineno + 1)
_old_line = (_big_old.__code__.co_filename, _big_old.__code__.co_firstlineno + 1)
expect(_old_line not in _lines, "a line whose memory was freed must not be listed")
expect(_steady_line not in _lines, "a line whose memory did not change must not be listed")
expect(
    _top_sites_match(_all, _first, _second, 1000),
    "with a limit larger than the number of lines that grew, return every line that grew, "
    "and only those",
)
expect(
    _top_sites_match(top_allocation_sites(_first, _second, limit=2), _first, _second, 2),
    "when large frees and small growth mix, the top growing lines are not the expected ones",
)
del _same, _new


def _one_line_bytes(size):
    return bytes(size)


tracemalloc.start()
try:
    _kept = _one_line_bytes(1000)
    _first = tracemalloc.take_snapshot()
    _kept = _one_line_bytes(1001)  # the same line now holds one byte more
    _second = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
_line = (_one_line_bytes.__code__.co_filename, _one_line_bytes.__code__.co_firstlineno + 1)
_rows = top_allocation_sites(_first, _second, limit=1000)
expect(
    type(_rows) is list
    and any(type(row) is tuple and row[:2] == _line and same(row[2], 1) for row in _rows),
    "a line whose memory grew by a single byte grew: it must be listed, with size_diff 1",
)
del _kept
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · largest growth first, ties by file and line (2 points)

# %% nbgrader="tests" grade_id="alloc_sites_tests_order" points=2
"""Sites come largest growth first; equal growth is ordered by filename, then line number."""
from advpy.checks import expect

tracemalloc.start()
try:
    before = tracemalloc.take_snapshot()
    blocks_small = hold_blocks(10, 1000)
    blocks_large = [bytearray(1000) for _ in range(100)]
    after = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
sites = top_allocation_sites(before, after, limit=10)
growth = [s[2] for s in sites]
expect(growth == sorted(growth, reverse=True), "sites must come largest size_diff first")
del blocks_small, blocks_large


### BEGIN HIDDEN TESTS
def _twin_blocks():
    left = bytearray(40_000)
    right = bytearray(40_000)
    return left, right


tracemalloc.start()
try:
    _first = tracemalloc.take_snapshot()
    _pair = _twin_blocks()
    _second = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
_top_two = top_allocation_sites(_first, _second, limit=2)
_file = _twin_blocks.__code__.co_filename
_start = _twin_blocks.__code__.co_firstlineno
expect(
    [row[:2] for row in _top_two] == [(_file, _start + 1), (_file, _start + 2)],
    "two lines that grew by exactly as much must be ordered by filename, then line number",
)
expect(
    _top_two[0][2] == _top_two[1][2] >= 40_000,
    "each of two equal allocations must be reported with its full growth in bytes",
)
del _pair

# Equal growth in two files: the file named first comes first, whatever the line numbers.
_makers = {}
exec(
    compile("\n" * 40 + "def early_file():\n    return bytearray(30_000)\n", "<alloc-a>", "exec"),
    _makers,
)
exec(compile("def late_file():\n    return bytearray(30_000)\n", "<alloc-b>", "exec"), _makers)
tracemalloc.start()
try:
    _first = tracemalloc.take_snapshot()
    _both = (_makers["late_file"](), _makers["early_file"]())
    _second = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
expect(
    [row[:2] for row in top_allocation_sites(_first, _second, limit=2)]
    == [("<alloc-a>", 42), ("<alloc-b>", 2)],
    "two lines in different files that grew by exactly as much must be ordered by filename "
    "first, and only then by line number",
)
del _both


def _grows_again(count):
    return [bytearray(1000) for _ in range(count)]


def _all_new(count):
    return [bytearray(1000) for _ in range(count)]


tracemalloc.start()
try:
    _early = _grows_again(300)
    _first = tracemalloc.take_snapshot()
    _later = _grows_again(100)
    _fresh = _all_new(150)
    _second = tracemalloc.take_snapshot()
finally:
    tracemalloc.stop()
_ranked = [row[:2] for row in top_allocation_sites(_first, _second, limit=2)]
expect(
    _ranked
    == [
        (_all_new.__code__.co_filename, _all_new.__code__.co_firstlineno + 1),
        (_grows_again.__code__.co_filename, _grows_again.__code__.co_firstlineno + 1),
    ],
    "sites must be ranked by how much they grew between the snapshots, not by their total size",
)
del _early, _later, _fresh
### END HIDDEN TESTS
