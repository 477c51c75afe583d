# %% [markdown]
# # ps31 · Two sum, every pair in a stream (10 points)
#
# A payments service watches a stream of transaction amounts and must flag every amount that
# completes a pair summing to a target, the moment it arrives. This is the classic *two sum*
# question turned into a streaming one: instead of one pair, report all of them, in order.
#
# **How this notebook is graded.** You write one function, `find_pairs`, in the answer cell.
# The test cells below check it; each shows its points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook: passing the visible checks
# (here, with Validate, or with `advpy check` in a terminal) is necessary, not sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import random

# %% [markdown]
# ## The problem
#
# `find_pairs(transactions, target)` takes a list of integers (negative, zero and positive
# amounts) and an integer `target`. Walk the list from left to right. Whenever the amount
# `num` at the current position has its complement `target - num` **somewhere earlier** in
# the list, record the tuple `(complement, num)`. Return the list of recorded tuples, in the
# order they were found.
#
# | call | result | why |
# |---|---|---|
# | `find_pairs([2, 7, 11, 15, -2], 9)` | `[(2, 7), (11, -2)]` | 7 finds 2 before it; -2 finds 11 |
# | `find_pairs([1, 1, 1], 2)` | `[(1, 1), (1, 1)]` | the 2nd and 3rd `1` each find an earlier `1` |
# | `find_pairs([5], 10)` | `[]` | an amount never pairs with itself |
# | `find_pairs([], 3)` | `[]` | nothing to pair |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - the result is a new plain `list` of plain `tuple`s `(complement, num)`, one per position
#   whose amount has its complement at some earlier position, in input order;
# - duplicates count by position, and an element never pairs with itself;
# - `transactions` is not modified;
# - expected time **O(n)** for n transactions.
#
# ### Why O(n), and how it is measured
# Comparing every amount with every earlier one works, but takes about n²/2 steps: a day of a
# million transactions would need half a trillion comparisons. Remembering what you have seen
# in a `set` makes "is the complement earlier?" one average O(1) lookup, so the whole walk is
# O(n). The complexity check does not use a stopwatch limit: it times your function on an
# input and on one 8 times larger, and compares how much the time grew with how much the
# reference solution's time grew on the same machine in the same run.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# For each amount, the question is "have I already seen `target - num`?" What data structure
# answers "have I seen x?" in constant time?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Check for the complement **before** you record the current amount as seen; otherwise an
# amount of `target / 2` would pair with itself.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# Keep `seen = set()` and `pairs = []`. For each `num`: if `target - num in seen`, append
# `(target - num, num)` to `pairs`; then `seen.add(num)`. Never sort or change the input.
# </details>

# %% nbgrader="solution" grade_id="find_pairs_answer"
def find_pairs(transactions, target):
    """Return [(complement, num), ...]: one tuple for each amount, in order, whose complement
    target - num appears at an earlier position of transactions."""
    ### BEGIN SOLUTION
    seen = set()
    pairs = []
    for num in transactions:
        complement = target - num
        if complement in seen:
            pairs.append((complement, num))
        seen.add(num)
    return pairs
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
find_pairs([2, 7, 11, 15, -2], 9)

# %% [markdown]
# ## Tests
#
# ### Check 1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="find_pairs_tests_examples" points=2
"""find_pairs gives the worked examples' results, as a plain list of plain tuples."""
from advpy.checks import expect_list_of, expect_same

result = find_pairs([2, 7, 11, 15, -2], 9)
expect_list_of(result, tuple, "find_pairs must return a list of tuples")
expect_same(result, [(2, 7), (11, -2)], "find_pairs([2, 7, 11, 15, -2], 9)", show=True)
expect_same(find_pairs([1, 1, 1], 2), [(1, 1), (1, 1)], "find_pairs([1, 1, 1], 2)", show=True)
expect_same(find_pairs([3, 4], 100), [], "find_pairs([3, 4], 100)", show=True)
### BEGIN HIDDEN TESTS
expect_same(
    find_pairs([10, 20, 30, 40], 50),
    [(20, 30), (10, 40)],
    "pairs must come in the order their second amount appears",
)
expect_same(
    find_pairs([4, 6, 1, 9, 5, 5], 10),
    [(4, 6), (1, 9), (5, 5)],
    "a longer example gave a wrong list of pairs",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (3 points)
# Empty input, an amount that would pair with itself, duplicates, negatives and zero, and the
# caller's list left untouched.

# %% nbgrader="tests" grade_id="find_pairs_tests_edge_cases" points=3
"""Edge cases: empty input, no self-pairs, duplicates by position, negatives, zero, no mutation."""
from advpy.checks import expect, expect_same

expect_same(find_pairs([], 3), [], "find_pairs([], 3)", show=True)
expect_same(find_pairs([5], 10), [], "find_pairs([5], 10): never pair with itself", show=True)
amounts = [3, -1, 4]
find_pairs(amounts, 3)
expect_same(amounts, [3, -1, 4], "find_pairs must not change the list it is given", show=True)
### BEGIN HIDDEN TESTS
expect_same(
    find_pairs([7, 7, 7, 7], 14),
    [(7, 7), (7, 7), (7, 7)],
    "each position after the first equal amount must give exactly one pair",
)
expect_same(find_pairs([6], 12), [], "an amount equal to target / 2 must not pair with itself")
expect_same(
    find_pairs([-5, 5, 0, 0, -3, 3], 0),
    [(-5, 5), (0, 0), (-3, 3)],
    "negative amounts and zero must pair like any other",
)
expect_same(find_pairs([-2, -8, 1], -10), [(-2, -8)], "a negative target must work")
expect_same(find_pairs([1, 2, 3], 100), [], "no pairs must give an empty list")
hidden_input = [9, 1, 8, 2, 5, 5, 0, 10]
snapshot = list(hidden_input)
result = find_pairs(hidden_input, 10)
expect_same(hidden_input, snapshot, "find_pairs changed (sorted or emptied?) the caller's list")
expect(result is not hidden_input, "find_pairs must return a new list, not the input list")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · many random inputs against a reference (3 points)
# Hundreds of random lists of different amounts and odd targets. Repeated amounts and an
# amount that is half the target are Check 2's.

# %% nbgrader="tests" grade_id="find_pairs_tests_random" points=3
"""find_pairs agrees with a reference solution on hundreds of seeded random inputs (different
amounts, odd targets)."""
from advpy.checks import expect_same

expect_same(
    find_pairs([4, -1, 6, -3, 2], 3),
    [(4, -1), (6, -3)],
    "find_pairs([4, -1, 6, -3, 2], 3)",
    show=True,
)
### BEGIN HIDDEN TESTS
def _reference_find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


_rng = random.Random(31)
for _case in range(400):
    _values = _rng.sample(range(-20, 21), _rng.randint(1, 25))
    _target = 2 * _rng.randint(-8, 7) + 1
    expect_same(
        find_pairs(list(_values), _target),
        _reference_find_pairs(_values, _target),
        "on a random list of small integers the pairs differ from the reference "
        "(check negatives and the order of pairs)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · grows like O(n) (2 points)
# Times your function on a few thousand amounts and on 8 times as many, next to the reference.
# A correct but quadratic answer loses these points; the message says what growth was seen.

# %% nbgrader="tests" grade_id="find_pairs_tests_complexity" points=2
"""find_pairs's running time grows linearly, like the reference's, when the input grows 8x."""
from advpy.checks import expect_same, expect_scaling

expect_same(find_pairs([1, 2], 3), [(1, 2)], "find_pairs([1, 2], 3)", show=True)
### BEGIN HIDDEN TESTS
def _reference_find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


def _make_amounts(size, seed):
    # Half the amounts complete a pair with another, every pair different: an answer that
    # searches its list of pairs, or scans back for a match, pays its quadratic cost on
    # every input drawn, not only on some.
    rng = random.Random(seed)
    firsts = rng.sample(range(10, 10**9), size // 2)
    amounts = firsts + [7 - first for first in firsts]
    rng.shuffle(amounts)
    return (amounts, 7)


_report = expect_scaling(
    find_pairs, _reference_find_pairs, _make_amounts, small=1000, target="O(n)", name="find_pairs"
)
### END HIDDEN TESTS
