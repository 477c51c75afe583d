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
from advpy.checks import beside, expect, expect_same


def small_tree():
    """Runs where your code runs: a root, its children "a" and "b", and "a1" under "a"; what
    the nodes answered at each step."""
    seen = {}
    root = TreeNode("root")
    seen["a new root's parent is None"] = root.parent is None
    seen["a new root's children are a list"] = type(root.children) is list
    seen["a new root has no children"] = len(root.children) == 0
    a = root.add_child("a")
    b = root.add_child("b")
    seen["a's name"] = a.name
    seen["a's parent is root"] = a.parent is root
    seen["root's children are a, b"] = (
        len(root.children) == 2 and root.children[0] is a and root.children[1] is b
    )
    grandchild = a.add_child("a1")
    seen["a1's parent's parent is root"] = grandchild.parent.parent is root
    return seen


seen = beside(small_tree)
expect(seen["a new root's parent is None"], "a new TreeNode is a root: its parent must be None")
expect(seen["a new root's children are a list"], "node.children must be a plain list")
expect(seen["a new root has no children"], "a new TreeNode must have no children")
expect_same(seen["a's name"], "a", 'root.add_child("a").name', show=True)
expect(
    seen["a's parent is root"],
    "a child's parent must be the parent node itself (not a weak reference)",
)
expect(
    seen["root's children are a, b"],
    "root.children must hold the nodes add_child returned, in the order they were added",
)
expect(seen["a1's parent's parent is root"], "the parent of a grandchild's parent must be the root")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: children sharing a name, a chain six deep, a name that is
    # not a string; what the nodes answered, as plain data.
    seen = {}
    top = TreeNode("top")
    twins = [top.add_child("twin") for _ in range(3)]
    seen["distinct"] = all(twins[i] is not twins[j] for i in range(3) for j in range(i))
    seen["TreeNodes"] = all(type(node) is TreeNode for node in twins)
    seen["parents"] = all(node.parent is top for node in twins)
    seen["a child's children are a list"] = type(twins[0].children) is list
    seen["a child has no children"] = len(twins[0].children) == 0
    chain = [top]
    for level in range(6):
        chain.append(chain[-1].add_child(f"level{level}"))
    seen["chain"] = all(chain[i + 1].parent is chain[i] for i in range(len(chain) - 1))
    seen["names"] = [node.name for node in top.children]
    seen["top's parent is None"] = top.parent is None
    seen["name 7"] = TreeNode(7).name
    return seen


_seen = beside(_observed)
expect(_seen["distinct"], "add_child must make a new node on every call, even when names repeat")
expect(_seen["TreeNodes"], "add_child must return TreeNode objects")
expect(
    _seen["parents"],
    "every child made by add_child must have the node it was added to as its parent",
)
expect(_seen["a child's children are a list"], "a new child's children must be a plain list")
expect(_seen["a child has no children"], "a new child must have no children of its own")
expect(_seen["chain"], "in a chain of nodes, every node's parent must be the node above it")
expect(
    _seen["names"] == ["twin", "twin", "twin", "level0"],
    "children must be listed in the order they were added, with their names",
)
expect(_seen["top's parent is None"], "a root must keep None as its parent after it gets children")
expect_same(_seen["name 7"], 7, "the name must be stored exactly as given")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · dropping the root frees the whole tree without the collector (3 points)
# With the cyclic collector off, the test builds a tree, watches every node with
# `weakref.finalize`, drops the root and counts the nodes freed at once.

# %% nbgrader="tests" grade_id="weak_tree_tests_frees" points=3
"""With the collector off, dropping the last reference to the root frees every node of
the tree immediately."""
from advpy.checks import beside, expect


def drop_the_root():
    """Runs where your code runs: with the collector off, a root with children "a" and "b",
    each with a child of its own, every node watched; the names of the nodes freed as soon as
    the root is dropped."""
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
        return sorted(freed)


freed = beside(drop_the_root)
expect(
    freed == ["a", "a1", "b", "b1", "root"],
    "with the collector off, dropping the root must free all 5 nodes at once; "
    f"freed only {freed}. A child that refers to its parent with a normal "
    "attribute makes a cycle that only gc.collect() frees: refer to it weakly.",
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: a tree of 121 nodes dropped with the collector off, and a
    # root dropped while its child is held elsewhere; what was freed at each step.
    import gc
    import weakref

    def grow(node, depth, width):
        if depth:
            for index in range(width):
                grow(node.add_child(f"{node.name}.{index}"), depth - 1, width)

    def watch_all(node, log):
        weakref.finalize(node, log.append, node.name)
        count = 1
        for child in node.children:
            count += watch_all(child, log)
        return count

    seen = {}
    log = []
    with collector_off():
        root = TreeNode("r")
        grow(root, 4, 3)
        total = watch_all(root, log)
        del root
        seen["freed of the larger tree"] = (len(log), total)
    log = []
    with collector_off():
        root = TreeNode("single")
        only = root.add_child("only")
        weakref.finalize(root, log.append, "root")
        weakref.finalize(only, log.append, "only")
        del root
        seen["freed after the root"] = list(log)
        del only
        seen["freed after its child"] = list(log)
    seen["collector on afterwards"] = gc.isenabled()
    return seen


_seen = beside(_observed)
_freed, _total = _seen["freed of the larger tree"]
expect(
    _freed == _total,
    "on a larger tree, dropping the root with the collector off must free every node at "
    f"once; {_freed} of {_total} nodes were freed",
)
expect(
    _seen["freed after the root"] == ["root"],
    "a root whose child is still held elsewhere must be freed at once when dropped: "
    "the child must not keep its parent alive",
)
expect(
    _seen["freed after its child"] == ["root", "only"],
    "dropping the last reference to a node must free it",
)
expect(_seen["collector on afterwards"], "the garbage collector must be on again after the test")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · parents keep children alive, children outlive parents safely (2 points)
# What happens to a node you still hold once its parent has been freed. (Whether dropping the
# root frees it is Check A2's question: where it is not freed, this check does not ask.)

# %% nbgrader="tests" grade_id="weak_tree_tests_children" points=2
"""A node keeps its children alive; a node still held after its parent is freed has parent
None."""
from advpy.checks import beside, expect, expect_same


def outlive_the_root():
    """Runs where your code runs: with the collector off, a root with one child, watched; then
    the child is kept and the root dropped. What was freed and what the child answered."""
    seen = {}
    freed = []
    with collector_off():
        root = TreeNode("root")
        watch(root.add_child("kept by root"), freed, "child")
        seen["freed while the root lives"] = list(freed)
        seen["root's first child's name"] = root.children[0].name
        survivor = root.children[0]
        watch(root, freed, "root")
        del root
        seen["root freed"] = "root" in freed
        if seen["root freed"]:  # whether dropping the root frees it at all is Check A2's question
            seen["survivor's parent is None"] = survivor.parent is None
        seen["survivor's name"] = survivor.name
    return seen


seen = beside(outlive_the_root)
expect(
    seen["freed while the root lives"] == [],
    "a child that only its parent holds must stay alive while the parent is",
)
expect_same(seen["root's first child's name"], "kept by root", "root.children[0].name", show=True)
if seen["root freed"]:
    expect(
        seen["survivor's parent is None"],
        "once its parent is freed, a node's parent must be None (not an error, not a dead proxy)",
    )
expect_same(seen["survivor's name"], "kept by root", "the surviving node's name", show=True)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: with the collector off, a root with five children that have a
    # leaf each; one leaf kept, the root dropped; what was freed and what the kept leaf answered.
    import weakref

    seen = {}
    gone = []
    with collector_off():
        root = TreeNode("base")
        for index in range(5):
            weakref.finalize(root.add_child(f"c{index}").add_child("leaf"), gone.append, index)
        seen["freed while the root lives"] = list(gone)
        seen["leaf names"] = [child.children[0].name for child in root.children]
        leaf = root.children[2].children[0]
        root_freed = []
        weakref.finalize(root, root_freed.append, "root")
        del root
        seen["root freed"] = bool(root_freed)
        if root_freed:  # (whether the root is freed at all is Check A2's question)
            seen["freed after the root"] = sorted(gone)
            seen["leaf's parent is None"] = leaf.parent is None
        new_parent_child = leaf.add_child("after")
        seen["a new child's parent is the leaf"] = new_parent_child.parent is leaf
    return seen


_seen = beside(_observed)
expect(
    _seen["freed while the root lives"] == [],
    "grandchildren held only through the tree must stay alive with the root",
)
expect(
    _seen["leaf names"] == ["leaf"] * 5,
    "every child must still list the grandchild added to it",
)
if _seen["root freed"]:
    expect(
        _seen["freed after the root"] == [0, 1, 3, 4],
        "after the root was freed, only the grandchild still held elsewhere must stay alive",
    )
    expect(
        _seen["leaf's parent is None"],
        "a kept grandchild's parent must be None once that parent has been freed",
    )
expect(
    _seen["a new child's parent is the leaf"],
    "a surviving node must still work as a parent for new children",
)
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
from advpy.checks import beside, expect, expect_same


def share_values():
    """Runs where your code runs: a new cache asked for "a" twice, then for "b", every value
    kept; what the cache and its factory answered at each step."""
    seen = {}
    factory = CountingFactory()
    cache = WeakCache(factory)
    seen["a new cache is empty"] = len(cache) == 0
    first = cache.get("a")
    seen["first is the factory's value"] = type(first) is Blob and first.key == "a"
    seen["a second get is first"] = cache.get("a") is first
    other = cache.get("b")
    seen["other is not first"] = other is not first
    seen["factory calls"] = list(factory.calls)
    seen["a and b in the cache"] = "a" in cache and "b" in cache
    seen["two live keys"] = len(cache) == 2
    return seen


seen = beside(share_values)
expect(seen["a new cache is empty"], "a new cache must be empty: len(cache) == 0")
expect(seen["first is the factory's value"], "get must return the value the factory made")
expect(seen["a second get is first"], 'a second cache.get("a") must return the very same value')
expect(seen["other is not first"], "different keys must get different values")
expect_same(seen["factory calls"], ["a", "b"], "the keys the factory was called with", show=True)
expect(seen["a and b in the cache"], "keys whose values are alive must be `in` the cache")
expect(seen["two live keys"], "len(cache) must count the keys whose values are alive")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: repeated keys of several kinds, and a value that is false in
    # a boolean context; what the cache answered, as plain data.
    import weakref

    seen = {}
    made = []

    def tracked_factory(key):
        value = Blob(key)
        made.append(weakref.ref(value))
        return value

    cache = WeakCache(tracked_factory)
    held = [cache.get(k) for k in [3, "x", (1, 2), 3, "x", 3]]
    seen["factory calls"] = len(made)
    seen["values are the factory's"] = len(made) == 3 and all(
        held[i] is made[j]() for i, j in [(0, 0), (1, 1), (2, 2), (3, 0), (4, 1), (5, 0)]
    )
    seen["a key never asked for is in"] = "never asked" in cache
    seen["three live keys"] = len(cache) == 3
    del held

    class EmptyBatch:
        """A value that is false in a boolean context, as an empty container is."""

        def __init__(self, key):
            self.key = key

        def __len__(self):
            return 0

    made_empty = []

    def empty_factory(key):
        made_empty.append(key)
        return EmptyBatch(key)

    cache = WeakCache(empty_factory)
    empty = cache.get("batch")
    seen["a false value is kept"] = cache.get("batch") is empty and made_empty == ["batch"]
    return seen


_seen = beside(_observed)
expect(
    _seen["factory calls"] == 3,
    "the factory must be called once per distinct key while values live",
)
expect(
    _seen["values are the factory's"],
    "every get must return the value the factory made for that key",
)
expect(not _seen["a key never asked for is in"], "a key never asked for must not be `in` the cache")
expect(
    _seen["three live keys"],
    "len must count each live key once, however often it was asked for",
)
expect(
    _seen["a false value is kept"],
    "a live value that is false in a boolean context (len() == 0) was made again instead of "
    "returned: a missing value is None, so test `is None`, not for truth",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · a value nobody uses is freed and forgotten (3 points)

# %% nbgrader="tests" grade_id="weak_cache_tests_lets_go" points=3
"""With the collector off, a value is freed as soon as its last user drops it; the cache then
forgets the key and makes a new value on the next get."""
from advpy.checks import beside, expect, expect_same


def drop_the_value():
    """Runs where your code runs: with the collector off, a value got from the cache, watched,
    then dropped, then asked for again; what was freed and what the cache answered."""
    seen = {}
    freed = []
    factory = CountingFactory()
    with collector_off():
        cache = WeakCache(factory)
        value = cache.get("a")
        watch(value, freed, "a")
        del value
        seen["freed"] = list(freed)
        seen["a not in the cache"] = "a" not in cache
        seen["no live keys"] = len(cache) == 0
        again = cache.get("a")
        seen["factory calls"] = list(factory.calls)
        seen["the new value is for a"] = again.key == "a"
    return seen


seen = beside(drop_the_value)
expect(seen["freed"] == ["a"], "the cache must not keep a value alive once its user drops it")
expect(seen["a not in the cache"], "a key whose value was freed must not be `in` the cache")
expect(seen["no live keys"], "len(cache) must not count keys whose values were freed")
expect_same(seen["factory calls"], ["a", "a"], "factory calls after the value was freed", show=True)
expect(seen["the new value is for a"], "the new value must come from the factory")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: with the collector off, twenty values, every other one
    # dropped, then all; what was freed and what the cache answered.
    import weakref

    seen = {}
    gone = []
    factory = CountingFactory()
    with collector_off():
        cache = WeakCache(factory)
        values = {key: cache.get(key) for key in range(20)}
        for key, value in values.items():
            weakref.finalize(value, gone.append, key)
        del value
        for key in range(0, 20, 2):
            del values[key]
        seen["freed"] = sorted(gone)
        seen["ten live keys"] = len(cache) == 10
        seen["in for the odd keys"] = all((key in cache) == (key % 2 == 1) for key in range(20))
        values.clear()
        seen["all freed and forgotten"] = len(gone) == 20 and len(cache) == 0
    return seen


_seen = beside(_observed)
expect(
    _seen["freed"] == list(range(0, 20, 2)),
    "dropping some values must free exactly those, at once, and keep the others",
)
expect(_seen["ten live keys"], "len must count only the keys whose values are still alive")
expect(
    _seen["in for the odd keys"],
    "`in` must be True exactly for keys whose values are still alive",
)
expect(_seen["all freed and forgotten"], "once every value is dropped, none may stay")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · many gets and drops against a model (2 points)

# %% nbgrader="tests" grade_id="weak_cache_tests_model" points=2
"""Over a long sequence of gets and drops, the cache calls the factory, counts and answers
`in` exactly as the contract says."""
from advpy.checks import beside, expect, expect_same


def two_users():
    """Runs where your code runs: two users get the same value, then drop it one after the
    other; what the cache answered after each drop."""
    factory = CountingFactory()
    cache = WeakCache(factory)
    user1 = cache.get("k")
    user2 = cache.get("k")
    del user1
    still_cached = "k" in cache
    del user2
    return still_cached, len(cache)


still_cached, live_keys = beside(two_users)
expect(still_cached, "a value still used by someone must stay cached")
expect_same(live_keys, 0, "len(cache) after both users dropped the value", show=True)
### BEGIN HIDDEN TESTS
import random


def _run_steps(seed, steps, keys):
    # Runs where the answer runs: with the collector off, `steps` random gets (holding what they
    # return) and drops over `keys` keys. For each step: what was done to which key; for a get,
    # how many factory calls it made, whether it returned the first value held for that key
    # (None when none was held) and the returned value's key; then len(cache) and `in` for
    # every key.
    import random

    rng = random.Random(seed)
    calls = []

    def model_factory(key):
        calls.append(key)
        return Blob(key)

    steps_seen = []
    with collector_off():
        cache = WeakCache(model_factory)
        holding = {}  # key -> list of values held
        for _ in range(steps):
            key = rng.randrange(keys)
            step = {"key": key}
            if rng.random() < 0.55:
                held = holding.get(key)
                before = len(calls)
                value = cache.get(key)
                step["get"] = len(calls) - before
                step["is the held value"] = value is held[0] if held else None
                step["value's key"] = value.key
                holding.setdefault(key, []).append(value)
                del value
            elif holding.get(key):
                holding[key].pop()
                step["drop"] = True
            step["len"] = len(cache)
            step["in"] = [k in cache for k in range(keys)]
            steps_seen.append(step)
    return steps_seen


_rng = random.Random(2)
_steps = beside(_run_steps, 2, 600, 12)
expect(len(_steps) == 600, "the sequence of gets and drops did not run to its end")
_holding = {}  # key -> how many values the test holds
for _step in _steps:
    _key = _rng.randrange(12)
    expect(_step["key"] == _key, "the sequence of gets and drops did not run as planned")
    if _rng.random() < 0.55:
        _alive = _holding.get(_key, 0) > 0
        expect(
            _step["get"] == (0 if _alive else 1),
            "get must call the factory only for a key with no live value",
        )
        if _alive:
            expect(_step["is the held value"], "get must return the live value for a key")
        expect(_step["value's key"] == _key, "get must return a value made for that key")
        _holding[_key] = _holding.get(_key, 0) + 1
    elif _holding.get(_key):
        _holding[_key] -= 1
    _live = {k for k, held in _holding.items() if held}
    expect(_step["len"] == len(_live), "len(cache) must equal the number of live keys")
    expect(
        all(_step["in"][k] == (k in _live) for k in range(12)),
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
from advpy.checks import beside, expect, expect_list_of, expect_same


def sites_of_hold_blocks():
    """Runs where your code runs: snapshots taken before and after hold_blocks(200, 1000);
    what top_allocation_sites(before, after, limit=2) returned, and hold_blocks' line
    (HOLD_FILE, HOLD_LINE) there."""
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        blocks = hold_blocks(200, 1000)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del blocks
    return top_allocation_sites(before, after, limit=2), (HOLD_FILE, HOLD_LINE)


sites, hold_line = beside(sites_of_hold_blocks)
expect_list_of(sites, tuple, "top_allocation_sites must return a list of tuples")
expect(len(sites) == 2, "with limit=2 and more lines that grew, return exactly 2 tuples")
expect(
    all(len(s) == 3 and type(s[2]) is int for s in sites),
    "each tuple must be (filename, lineno, size_diff) with an int size_diff",
)
expect_same(sites[0][:2], hold_line, "the first site's (filename, lineno)", show=True)
expect(sites[0][2] >= 200 * 1000, "the first site must have grown by the bytes it allocated")
### BEGIN HIDDEN TESTS
from advpy.checks import same


def _top_sites_match(result, grown, count):
    """True when `result` lists the `count` largest growths of `grown` ((filename, lineno) ->
    bytes, the lines that grew between the snapshots; all of them if fewer lines grew),
    largest first, each as (filename, lineno, size_diff) of a line that grew by exactly that
    much. Lines that grew equally may come in any order here: that order is Check C3's."""
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


def _observed():
    # Runs where the answer runs: snapshots around records and strings made on two lines, with
    # 5 frames of traceback; the lines that grew as compare_to reports them, and what
    # top_allocation_sites returned with limits 1, 3 and 10 and without a limit.
    def make_records(count):
        return [{"id": n, "tags": [n, n + 1]} for n in range(count)]

    def make_text(count):
        return ["x" * (n % 97 + 30) for n in range(count)]

    tracemalloc.start(5)
    try:
        first = tracemalloc.take_snapshot()
        records = make_records(800)
        text = make_text(1500)
        second = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del records, text
    grown = {
        (stat.traceback[0].filename, stat.traceback[0].lineno): stat.size_diff
        for stat in second.compare_to(first, "lineno")
        if stat.size_diff > 0
    }
    results = {limit: top_allocation_sites(first, second, limit=limit) for limit in (1, 3, 10)}
    return grown, results, top_allocation_sites(first, second)


_grown, _results, _without_limit = beside(_observed)
for _limit in (1, 3, 10):
    expect(
        _top_sites_match(_results[_limit], _grown, _limit),
        "with several lines that grew, the sites (or their sizes, or the largest-first order) "
        "are not the expected ones",
    )
expect(
    _top_sites_match(_without_limit, _grown, 3),
    "without a limit argument, top_allocation_sites must return the top 3 sites",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · only lines that grew (2 points)
# Memory freed between the snapshots makes some lines *shrink*; `compare_to` lists those too,
# and they must not be reported.

# %% nbgrader="tests" grade_id="alloc_sites_tests_growth_only" points=2
"""Lines whose memory shrank or did not change are left out, and limit bounds the result."""
from advpy.checks import beside, expect, expect_same


def sites_after_a_free():
    """Runs where your code runs: hold_blocks' blocks freed and 50 new blocks made between two
    snapshots; what top_allocation_sites returned with limit=50 and with limit=0, and
    hold_blocks' line (HOLD_FILE, HOLD_LINE) there."""
    tracemalloc.start()
    try:
        blocks_gone = hold_blocks(300, 2000)
        before = tracemalloc.take_snapshot()
        del blocks_gone
        blocks = [bytearray(1000) for _ in range(50)]
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del blocks
    return (
        top_allocation_sites(before, after, limit=50),
        top_allocation_sites(before, after, limit=0),
        (HOLD_FILE, HOLD_LINE),
    )


sites, sites_of_limit_0, hold_line = beside(sites_after_a_free)
expect(all(s[2] > 0 for s in sites), "every size_diff returned must be positive (growth)")
expect(
    all(s[:2] != hold_line for s in sites),
    "the line of hold_blocks only lost memory here (its blocks were freed): leave it out",
)
expect_same(sites_of_limit_0, [], "limit=0", show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import same


def _top_sites_match(result, grown, count):
    """True when `result` lists the `count` largest growths of `grown` ((filename, lineno) ->
    bytes, the lines that grew between the snapshots; all of them if fewer lines grew),
    largest first, each as (filename, lineno, size_diff) of a line that grew by exactly that
    much. Lines that grew equally may come in any order here: that order is Check C3's."""
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


def _observed():
    # Runs where the answer runs: between two snapshots a line's memory is freed, a line's
    # stays, a line allocates a little; then one line holds a single byte more. The lines that
    # grew as compare_to reports them, what top_allocation_sites returned, and the lines of
    # the helpers.
    def big_old(count):
        return [bytes(4000) for _ in range(count)]

    def steady(count):
        return [bytes(3000) for _ in range(count)]

    def small_new(count):
        return [bytes(500) for _ in range(count)]

    def one_line_bytes(size):
        return bytes(size)

    def grown_between(first, second):
        return {
            (stat.traceback[0].filename, stat.traceback[0].lineno): stat.size_diff
            for stat in second.compare_to(first, "lineno")
            if stat.size_diff > 0
        }

    seen = {}
    tracemalloc.start()
    try:
        old = big_old(400)
        kept = steady(100)
        first = tracemalloc.take_snapshot()
        del old
        new = small_new(60)
        second = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del kept, new
    seen["grown"] = grown_between(first, second)
    seen["all"] = top_allocation_sites(first, second, limit=1000)
    seen["top 2"] = top_allocation_sites(first, second, limit=2)
    seen["steady line"] = (steady.__code__.co_filename, steady.__code__.co_firstlineno + 1)
    seen["old line"] = (big_old.__code__.co_filename, big_old.__code__.co_firstlineno + 1)
    tracemalloc.start()
    try:
        kept = one_line_bytes(1000)
        first = tracemalloc.take_snapshot()
        kept = one_line_bytes(1001)  # the same line now holds one byte more
        second = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del kept
    seen["one byte more"] = top_allocation_sites(first, second, limit=1000)
    seen["one byte line"] = (
        one_line_bytes.__code__.co_filename,
        one_line_bytes.__code__.co_firstlineno + 1,
    )
    return seen


_seen = beside(_observed)
_all = _seen["all"]
_lines = {(row[0], row[1]) for row in _all}
expect(_seen["old line"] not in _lines, "a line whose memory was freed must not be listed")
expect(_seen["steady line"] not in _lines, "a line whose memory did not change must not be listed")
expect(
    _top_sites_match(_all, _seen["grown"], 1000),
    "with a limit larger than the number of lines that grew, return every line that grew, "
    "and only those",
)
expect(
    _top_sites_match(_seen["top 2"], _seen["grown"], 2),
    "when large frees and small growth mix, the top growing lines are not the expected ones",
)
_rows = _seen["one byte more"]
expect(
    type(_rows) is list
    and any(
        type(row) is tuple and row[:2] == _seen["one byte line"] and same(row[2], 1)
        for row in _rows
    ),
    "a line whose memory grew by a single byte grew: it must be listed, with size_diff 1",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · largest growth first, ties by file and line (2 points)

# %% nbgrader="tests" grade_id="alloc_sites_tests_order" points=2
"""Sites come largest growth first; equal growth is ordered by filename, then line number."""
from advpy.checks import beside, expect


def sites_of_two_allocations():
    """Runs where your code runs: snapshots before and after 10 blocks from hold_blocks and
    100 more; what top_allocation_sites(before, after, limit=10) returned."""
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        blocks_small = hold_blocks(10, 1000)
        blocks_large = [bytearray(1000) for _ in range(100)]
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del blocks_small, blocks_large
    return top_allocation_sites(before, after, limit=10)


sites = beside(sites_of_two_allocations)
growth = [s[2] for s in sites]
expect(growth == sorted(growth, reverse=True), "sites must come largest size_diff first")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: two lines of one function that grow equally, two lines of two
    # files that grow equally, and a line that grows less than its total; what
    # top_allocation_sites returned and the lines of the helpers.
    def twin_blocks():
        left = bytearray(40_000)
        right = bytearray(40_000)
        return left, right

    def grows_again(count):
        return [bytearray(1000) for _ in range(count)]

    def all_new(count):
        return [bytearray(1000) for _ in range(count)]

    seen = {}
    tracemalloc.start()
    try:
        first = tracemalloc.take_snapshot()
        pair = twin_blocks()
        second = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del pair
    seen["twins"] = top_allocation_sites(first, second, limit=2)
    seen["twin lines"] = [
        (twin_blocks.__code__.co_filename, twin_blocks.__code__.co_firstlineno + 1),
        (twin_blocks.__code__.co_filename, twin_blocks.__code__.co_firstlineno + 2),
    ]
    # Equal growth in two files: the file named first comes first, whatever the line numbers.
    makers = {}
    exec(
        compile(
            "\n" * 40 + "def early_file():\n    return bytearray(30_000)\n", "<alloc-a>", "exec"
        ),
        makers,
    )
    exec(compile("def late_file():\n    return bytearray(30_000)\n", "<alloc-b>", "exec"), makers)
    tracemalloc.start()
    try:
        first = tracemalloc.take_snapshot()
        both = (makers["late_file"](), makers["early_file"]())
        second = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del both
    seen["two files"] = top_allocation_sites(first, second, limit=2)
    tracemalloc.start()
    try:
        early = grows_again(300)
        first = tracemalloc.take_snapshot()
        later = grows_again(100)
        fresh = all_new(150)
        second = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    del early, later, fresh
    seen["ranked"] = top_allocation_sites(first, second, limit=2)
    seen["ranked lines"] = [
        (all_new.__code__.co_filename, all_new.__code__.co_firstlineno + 1),
        (grows_again.__code__.co_filename, grows_again.__code__.co_firstlineno + 1),
    ]
    return seen


_seen = beside(_observed)
_top_two = _seen["twins"]
expect(
    [row[:2] for row in _top_two] == _seen["twin lines"],
    "two lines that grew by exactly as much must be ordered by filename, then line number",
)
expect(
    _top_two[0][2] == _top_two[1][2] >= 40_000,
    "each of two equal allocations must be reported with its full growth in bytes",
)
expect(
    [row[:2] for row in _seen["two files"]] == [("<alloc-a>", 42), ("<alloc-b>", 2)],
    "two lines in different files that grew by exactly as much must be ordered by filename "
    "first, and only then by line number",
)
expect(
    [row[:2] for row in _seen["ranked"]] == _seen["ranked lines"],
    "sites must be ranked by how much they grew between the snapshots, not by their total size",
)
### END HIDDEN TESTS
