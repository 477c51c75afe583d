# %% [markdown]
# # ps38 · Validate a binary search tree (10 points)
#
# A binary search tree (BST) finds a key in O(height) steps because every node splits the
# keys: smaller ones to the left, larger ones to the right. That promise holds only if the
# tree really is a BST, at every node and for whole subtrees, not just for each node's two
# children. Checking it is a classic, and a classic place for three bugs: comparing a node
# only with its children, letting duplicates through, and recursing so deep on a lopsided
# tree that Python gives up.
#
# **How this notebook is graded.** You write one function, `isValidBST`, in the answer cell.
# The test cells below check it; each shows its points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run the
# visible ones): passing the visible asserts is necessary, not
# sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it defines the tree node the exercise uses, and a helper for examples.
import random
import time


class TreeNode:
    """A node of a binary tree: a value and two optional children (TreeNode or None)."""

    def __init__(self, val, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right


def build_tree(values):
    """The tree written level by level, None marking a missing child (LeetCode's notation):
    build_tree([5, 1, 4, None, None, 3, 6]) is 5 with children 1 and 4, and 4 with 3 and 6."""
    if not values or values[0] is None:
        return None
    root = TreeNode(values[0])
    parents = [root]
    rest = iter(values[1:])
    for parent in parents:  # the list grows as children are added
        left, right = next(rest, None), next(rest, None)
        if left is not None:
            parent.left = TreeNode(left)
            parents.append(parent.left)
        if right is not None:
            parent.right = TreeNode(right)
            parents.append(parent.right)
    return root


# %% [markdown]
# ## The problem
#
# `isValidBST(root)` takes the root of a binary tree made of `TreeNode`s (or `None`, the
# empty tree) and returns `True` when it is a binary search tree:
#
# - every value in a node's **left subtree** is strictly **less** than the node's value, and
# - every value in its **right subtree** is strictly **greater**,
#
# at every node. Equal values anywhere are therefore invalid. Trees below are written level
# by level with `build_tree` (setup cell); `None` marks a missing child.
#
# | tree | result | why |
# |---|---|---|
# | `build_tree([2, 1, 3])` | `True` | 1 < 2 < 3 |
# | `build_tree([5, 1, 4, None, None, 3, 6])` | `False` | 4 < 5 in 5's right subtree |
# | `build_tree([5, 4, 6, None, None, 3, 7])` | `False` | 3 < 5 in 5's right subtree |
# | `build_tree([2, 2])` | `False` | a duplicate: 2 is not strictly less than 2 |
# | `None` | `True` | the empty tree is a valid BST |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `root` is `None` or a `TreeNode(val, left=None, right=None)` (the class in the setup
#   cell); values are ints or floats, negative ones and infinities included (never NaN);
# - the result is exactly `True` or `False`, as defined above; duplicates are invalid;
# - it works on a **degenerate tree 10,000 levels deep** (every node has one child), with
#   Python's default recursion limit.
#
# ### Where the usual sketch falls short
# The textbook answer passes a range down the tree:
# `check(node, low=float("-inf"), high=float("inf"))` tests `low < node.val < high`, then
# checks the left child within `(low, node.val)` and the right child within
# `(node.val, high)`. The idea is exactly right (strict `<` makes duplicates invalid, and the
# range catches the grandchild in the third example). Two details are not:
#
# 1. **Recursion depth.** It makes one nested call per level. A tree built by inserting
#    sorted keys into a plain BST is a chain, as deep as it is long: at 10,000 levels Python
#    stops with `RecursionError` at about 1,000 nested calls. Raising the limit with
#    `sys.setrecursionlimit` is a global change that only moves the wall (and where the
#    recursion passes through C code it can crash the interpreter instead of raising an
#    error); the tests run with the default limit. Keep the pending `(node, low, high)`
#    ranges on an explicit stack instead, or walk the tree in order with a stack.
# 2. **Infinite bounds that are also values.** With `float("-inf")` meaning "no lower
#    bound", a node whose value *is* `-inf` fails `-inf < -inf`, and a valid tree is
#    rejected (likewise for `inf`). Say "no bound" with `None` and test `low is not None`.
#    Do not test a bound for truth either: `if low and ...` skips a bound of `0`.
#
# ### The cost target, and why
# Look at each node once: **O(n)** time for n nodes, and O(height) extra memory for the
# stack. Comparing every node with the largest and smallest values of its subtrees,
# recomputed from scratch at each node, is O(n²) on a chain; the deep-tree check stops an
# answer that takes far longer than the reference.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# A node is not only bounded by its parent: each ancestor whose left subtree holds it caps
# it from above, each one whose right subtree holds it bounds it from below. What is the
# tightest range a node's value must lie in, given the path from the root?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Going left from a node with value `v` keeps the lower bound and sets the upper bound to
# `v`; going right sets the lower bound to `v` and keeps the upper one. The root has no
# bounds (`None`). Alternatively: an in-order walk (left, node, right) of a BST visits the
# values in strictly increasing order.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# ```
# todo = [(root, None, None)]
# while todo:
#     node, lo, hi = todo.pop()
#     if node is None:
#         continue
#     if (lo is not None and node.val <= lo) or (hi is not None and node.val >= hi):
#         return False
#     todo.append((node.left, lo, node.val))
#     todo.append((node.right, node.val, hi))
# return True
# ```
# </details>


# %% nbgrader="solution" grade_id="validate_bst_answer"
def isValidBST(root):
    """Return True when the tree under root (a TreeNode, or None) is a binary search tree:
    left subtrees strictly smaller, right subtrees strictly greater, at every node."""
    ### BEGIN SOLUTION
    pending = [(root, None, None)]
    while pending:
        node, low, high = pending.pop()
        if node is None:
            continue
        if (low is not None and node.val <= low) or (high is not None and node.val >= high):
            return False
        pending.append((node.left, low, node.val))
        pending.append((node.right, node.val, high))
    return True
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(isValidBST(build_tree([2, 1, 3])))  # expected: True
print(isValidBST(build_tree([5, 4, 6, None, None, 3, 7])))  # expected: False

# %% [markdown]
# ## Tests
#
# ### Check 1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="validate_bst_tests_examples" points=2
"""isValidBST gives the worked examples' answers, as exactly True or False."""
from advpy.checks import expect_same

expect_same(isValidBST(build_tree([2, 1, 3])), True, "build_tree([2, 1, 3])", show=True)
expect_same(
    isValidBST(build_tree([5, 1, 4, None, None, 3, 6])),
    False,
    "build_tree([5, 1, 4, None, None, 3, 6])",
    show=True,
)
expect_same(
    isValidBST(build_tree([5, 4, 6, None, None, 3, 7])),
    False,
    "build_tree([5, 4, 6, None, None, 3, 7]): 3 is in the right subtree of 5",
    show=True,
)
expect_same(isValidBST(build_tree([2, 2])), False, "build_tree([2, 2]): a duplicate", show=True)
expect_same(isValidBST(None), True, "isValidBST(None): the empty tree", show=True)
### BEGIN HIDDEN TESTS
_N = TreeNode
_perfect = _N(40, _N(20, _N(10), _N(30)), _N(60, _N(50), _N(70)))
expect_same(isValidBST(_perfect), True, "a perfectly balanced valid BST must be valid")
_grandchild_low = _N(10, _N(5), _N(15, _N(6), _N(20)))
expect_same(
    isValidBST(_grandchild_low),
    False,
    "a value in a right subtree that is smaller than an ancestor must make the tree invalid",
)
_grandchild_high = _N(10, _N(5, _N(1), _N(12)), _N(15))
expect_same(
    isValidBST(_grandchild_high),
    False,
    "a value in a left subtree that is larger than an ancestor must make the tree invalid",
)
expect_same(isValidBST(_N(1, None, _N(2, None, _N(3)))), True, "a short right chain")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (2 points)
# Empty and one-node trees, duplicates anywhere, negative values, floats between ints, a
# bound of zero, infinite values and very large integers.

# %% nbgrader="tests" grade_id="validate_bst_tests_edge_cases" points=2
"""Edge cases: tiny trees, duplicates, negatives, floats, zero, infinities, big integers."""
from advpy.checks import expect_same

expect_same(isValidBST(TreeNode(7)), True, "a single node", show=True)
expect_same(
    isValidBST(build_tree([2, None, 2])), False, "build_tree([2, None, 2]): a duplicate", show=True
)
expect_same(
    isValidBST(build_tree([-1.5, -2, 0.25])), True, "build_tree([-1.5, -2, 0.25])", show=True
)
### BEGIN HIDDEN TESTS
_N = TreeNode
expect_same(
    isValidBST(_N(5, _N(3, None, _N(5)))),
    False,
    "a duplicate of an ancestor deep in a subtree must make the tree invalid",
)
expect_same(
    isValidBST(_N(5, None, _N(8, _N(5)))),
    False,
    "a duplicate of an ancestor in the right subtree must make the tree invalid",
)
expect_same(isValidBST(_N(2, _N(2.0))), False, "2 and 2.0 are equal values: a duplicate")
expect_same(isValidBST(_N(2, _N(1.5), _N(2.5))), True, "floats between ints must be fine")
expect_same(isValidBST(_N(-10, _N(-20, _N(-30), _N(-15)), _N(-5))), True, "an all-negative BST")
expect_same(
    isValidBST(_N(0, None, _N(5, _N(-3)))),
    False,
    "a value below a bound of 0 must make the tree invalid (a bound of 0 is still a bound)",
)
expect_same(
    isValidBST(_N(0, _N(-5, None, _N(3)))),
    False,
    "a value above an upper bound of 0 must make the tree invalid",
)
expect_same(isValidBST(_N(0, _N(-1), _N(1))), True, "a tree around 0 must be valid")
expect_same(isValidBST(_N(float("-inf"))), True, "a single node holding -inf must be valid")
expect_same(
    isValidBST(_N(0, _N(float("-inf")), _N(float("inf")))),
    True,
    "values -inf and inf are ordinary values: a tree holding them can be valid",
)
expect_same(
    isValidBST(_N(float("inf"), _N(1e308))), True, "a root of inf with a smaller left child"
)
expect_same(
    isValidBST(_N(float("-inf"), _N(float("-inf")))),
    False,
    "two -inf values are a duplicate",
)
_big = 10**20
expect_same(
    isValidBST(_N(_big, _N(_big - 1), _N(_big + 1))),
    True,
    "very large integers must be compared exactly (no conversion to float)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · degenerate trees 10,000 levels deep (3 points)
# Chains leaning left, leaning right and zigzagging, valid ones and ones broken at the very
# bottom, checked with Python's default recursion limit. The visible chain is 2,500 levels
# deep, already more than a recursive answer survives; the hidden ones are 10,000 deep.

# %% nbgrader="tests" grade_id="validate_bst_tests_deep" points=3
"""isValidBST works on chains 10,000 levels deep without hitting the recursion limit."""
from advpy.checks import expect_same, recursion_limit

deep = None
for value in range(1, 2501):  # 2,500 at the root, 1 at the bottom: each node a left child
    deep = TreeNode(value, left=deep)
with recursion_limit():
    deep_result = isValidBST(deep)
expect_same(deep_result, True, "a valid chain of 2,500 left children", show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import TimeLimitExceeded as _TimeLimitExceeded
from advpy.checks import time_limit as _time_limit


def _reference_valid(root):
    stack, node, previous, started = [], root, None, False
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        if started and not previous < node.val:
            return False
        previous, started = node.val, True
        node = node.right
    return True


def _check_deep(root, what):
    # An answer far slower than the reference on the same tree is stopped: on a chain of
    # 10,000 nodes an O(n^2) answer takes tens of seconds.
    started = time.perf_counter()
    expected = _reference_valid(root)
    allowed = max(2.0, 20 * (time.perf_counter() - started))
    try:
        with recursion_limit(), _time_limit(allowed):
            result = isValidBST(root)
    except RecursionError:
        raise AssertionError(
            f"isValidBST hit Python's recursion limit on {what}: keep the pending nodes on "
            "an explicit stack instead of recursing"
        ) from None
    except _TimeLimitExceeded:
        raise AssertionError(
            f"isValidBST took more than 20 times as long as the reference on {what} and was "
            "stopped: is each node compared with its whole subtree?"
        ) from None
    expect_same(result, expected, f"wrong answer on {what}")


_levels = 10_000
_right = None
for _value in range(_levels, 0, -1):  # 1 at the root, each node a right child
    _right = TreeNode(_value, right=_right)
_check_deep(_right, "a valid chain of 10,000 right children")

# Broken at the bottom: the last node fits its parent but not the root.
_bottom = _right
while _bottom.right is not None:
    _bottom = _bottom.right
_bottom.left = TreeNode(0.5)
_check_deep(_right, "a chain of 10,000 right children whose deepest node is below the root")
_bottom.left = TreeNode(_levels - 0.5)
_check_deep(_right, "a chain of 10,000 right children with a valid leaf added at the bottom")

_left = None
for _value in range(1, _levels + 1):  # 0.0 at the root, each node a smaller left child
    _left = TreeNode(-1.5 * (_levels - _value), left=_left)
_check_deep(_left, "a valid chain of 10,000 left children holding negative floats")
_bottom = _left
while _bottom.left is not None:
    _bottom = _bottom.left
_bottom.right = TreeNode(1.0)
_check_deep(_left, "a chain of 10,000 left children whose deepest node is above the root")

# A zigzag: left, right, left, ... each step narrowing the range the next value must be in.
_zigzag = TreeNode(0)
_node = _zigzag
for _k in range(1, _levels // 2 + 1):
    _node.left = TreeNode(-10_001 + _k)
    _node.left.right = TreeNode(-_k)
    _node = _node.left.right
_check_deep(_zigzag, "a valid zigzag path 10,000 levels deep")
_node.left = TreeNode(-9000)  # below its parent, as a left child must be, but out of range
_check_deep(_zigzag, "a zigzag path 10,000 levels deep whose deepest node is out of range")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · many random trees against a reference (3 points)
# Hundreds of seeded random trees: valid BSTs, and near-misses made from them by changing one
# value (often one that fits its parent but not an ancestor) or swapping two. The trees are
# never empty and hold distinct values, none of them 0: the empty tree is a worked example
# (Check 1), duplicates and a bound of 0 are Check 2's.

# %% nbgrader="tests" grade_id="validate_bst_tests_random" points=3
"""isValidBST agrees with a reference on hundreds of random valid and nearly valid trees."""
from advpy.checks import expect_same

near_miss = build_tree([8, 3, 10, 1, 9])  # 9 fits its parent 3 (right child) but not the root
expect_same(isValidBST(near_miss), False, "build_tree([8, 3, 10, 1, 9])", show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import expect as _expect


def _reference_valid(root):
    stack, node, previous, started = [], root, None, False
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        if started and not previous < node.val:
            return False
        previous, started = node.val, True
        node = node.right
    return True


def _insert_all(values):
    root = None
    for value in values:
        if root is None:
            root = TreeNode(value)
            continue
        node = root
        while True:
            side = "left" if value < node.val else "right"
            child = getattr(node, side)
            if child is None:
                setattr(node, side, TreeNode(value))
                break
            node = child
    return root


def _all_nodes(root):
    found, stack = [], [root] if root is not None else []
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(child for child in (node.left, node.right) if child is not None)
    return found


_rng = random.Random(38)
_counts = {True: 0, False: 0}
for _case in range(600):
    _size = _rng.randint(1, 30)
    _pool = [k for k in range(-40, 41) if k != 0] + [k + 0.5 for k in range(-40, 40)]
    _values = _rng.sample(_pool, _size)
    _root = _insert_all(_values)
    _nodes = _all_nodes(_root)
    _kind = _case % 4
    if _kind in (1, 2):  # one value replaced by one not in the tree: often still fits its parent
        _rng.choice(_nodes).val = _rng.choice([v for v in _pool if v not in _values])
    elif len(_nodes) >= 2 and _kind == 3:  # two values swapped
        _a, _b = _rng.sample(_nodes, 2)
        _a.val, _b.val = _b.val, _a.val
    _expected = _reference_valid(_root)
    _counts[_expected] += 1
    expect_same(
        isValidBST(_root),
        _expected,
        "on a random tree the answer differs from a reference (check whole subtrees, not "
        "just children; negative and fractional values)",
    )
_expect(min(_counts.values()) > 150, "the random trees must include valid and invalid ones")
### END HIDDEN TESTS
