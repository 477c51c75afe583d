# %% [markdown]
# # ps33 · Merge intervals (10 points)
#
# A room-booking service shows when a meeting room is busy. Bookings arrive as
# `(start, end)` pairs, in no particular order, and many overlap; the display wants the
# fewest blocks that cover exactly the busy times. The same question comes up when merging
# time ranges in logs, address ranges in firewall rules, or regions of a genome.
#
# **How this notebook is graded.** You write one function, `merge`, in the answer cell. The
# test cells below check it; each shows its points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run the
# visible ones): passing the visible asserts is necessary, not
# sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import random

# %% [markdown]
# ## The problem
#
# `merge(intervals)` takes a list of intervals. Each interval is a pair `[start, end]` of
# integers with `start <= end`, given as a list or as a tuple (both kinds may appear in one
# call), and the intervals come in any order. Return the intervals you get by merging every
# group of intervals that **overlap or touch**, as a new list of `[start, end]` lists sorted
# by start.
#
# Two intervals touch when one starts exactly where the other ends: `[1, 4]` and `[4, 5]`
# share the point 4, so they merge into `[1, 5]`. `[1, 2]` and `[3, 4]` do not (3 > 2).
#
# | call | result | why |
# |---|---|---|
# | `merge([[1, 3], [2, 6], [8, 9]])` | `[[1, 6], [8, 9]]` | `[1, 3]` and `[2, 6]` overlap |
# | `merge([[1, 4], [4, 5]])` | `[[1, 5]]` | touching intervals merge too |
# | `merge([(5, 7), (1, 2)])` | `[[1, 2], [5, 7]]` | any order and tuples in; sorted lists out |
# | `merge([[1, 10], [2, 3]])` | `[[1, 10]]` | one interval inside another |
# | `merge([])` | `[]` | nothing to merge |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - the result is a new plain `list` of plain two-item `list`s `[start, end]`, sorted by start;
#   no two of them overlap or touch, and together they cover exactly the points the input
#   intervals cover;
# - the argument is not modified: neither the outer list (its order) nor the pairs inside it;
# - `merge([])` returns `[]`;
# - time **O(n log n)** for n intervals.
#
# ### Why O(n log n), and how it is measured
# Once the intervals are sorted by start, an interval can only overlap the block you are
# currently building: everything before that block ended before this interval starts. So one
# pass from left to right does the merging in O(n), and the sort, O(n log n), is the whole
# cost. Without sorting, each interval has to be compared with every block found so far, or
# blocks have to be merged again and again until nothing changes: O(n²) on an input where
# nothing overlaps, which for a day of a million log ranges is hours instead of a second.
# The complexity check times your function on a few hundred intervals and on 8 times as many
# (all disjoint and shuffled, so nothing can stop early), and compares how much the time grew
# with how much the reference solution's grew in the same run.
#
# ### Where the source notes' sketch falls short
# The sketch in the course notes gets the merging idea right but has three flaws a caller
# would trip over:
#
# - **It sorts the caller's list in place** (`intervals.sort(...)`). After the call, the
#   caller's bookings are in a different order, a side effect nobody asked for. `sorted(...)`
#   returns a sorted copy and leaves the argument alone.
# - **It puts the caller's own pairs in the result** (`merged = [intervals[0]]`,
#   `merged.append(current)`). Given tuples, the result holds tuples, not lists; given lists,
#   the result shares them with the input, so whoever edits the result later edits the input
#   too. The tempting shortcut `merged[-1][1] = max(...)` then even changes the caller's pair
#   during the call. Build a fresh `[start, end]` for every block.
# - **It needs a special case for `[]`** because it starts from `intervals[0]`. A loop that
#   starts from an empty result handles the empty input by itself.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Imagine the intervals drawn on a line from left to right, sorted by where they start. Which
# earlier block can the next interval possibly overlap?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Sort a copy by start: `sorted(intervals, key=lambda pair: pair[0])`. (A plain `sorted`
# compares whole pairs, which fails when a list meets a tuple.) Then walk once, keeping the
# blocks in a new list, and compare each interval's start with the end of the last block.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# `merged = []`; for each `start, end` in the sorted copy: if `merged` is not empty and
# `start <= merged[-1][1]`, set `merged[-1][1] = max(merged[-1][1], end)`; otherwise append a
# **new** list `[start, end]`. Return `merged`. Never change `intervals` or its pairs.
# </details>


# %% nbgrader="solution" grade_id="merge_answer"
def merge(intervals):
    """Return a new list of [start, end] lists, sorted by start, in which every group of
    overlapping or touching intervals is merged into one; intervals is not modified."""
    ### BEGIN SOLUTION
    merged = []
    for start, end in sorted(intervals, key=lambda pair: pair[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
merge([[1, 3], [2, 6], [8, 9]])

# %% [markdown]
# ## Tests
#
# ### Check 1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="merge_tests_examples" points=2
"""merge gives the worked examples' results, as a plain list of [start, end] lists."""
from advpy.checks import expect_list_of, expect_same

result = merge([[1, 3], [2, 6], [8, 9]])
expect_list_of(result, list, "merge must return a list of lists")
expect_same(result, [[1, 6], [8, 9]], "merge([[1, 3], [2, 6], [8, 9]])", show=True)
expect_same(merge([[1, 4], [4, 5]]), [[1, 5]], "merge([[1, 4], [4, 5]])", show=True)
expect_same(merge([(5, 7), (1, 2)]), [[1, 2], [5, 7]], "merge([(5, 7), (1, 2)])", show=True)
expect_same(merge([[1, 10], [2, 3]]), [[1, 10]], "merge([[1, 10], [2, 3]])", show=True)
### BEGIN HIDDEN TESTS
expect_same(
    merge([[2, 3], [4, 5], [6, 7], [8, 9], [1, 10]]),
    [[1, 10]],
    "an interval that covers all the others, given last, must swallow them all",
)
expect_same(merge([[1, 4], [0, 4]]), [[0, 4]], "two intervals with the same end must merge")
expect_same(
    merge([[1, 4], [2, 3], [6, 8], [7, 7]]),
    [[1, 4], [6, 8]],
    "an interval inside another must not shorten it",
)
expect_same(
    merge([[9, 12], [1, 2], [5, 6], [2, 4]]),
    [[1, 4], [5, 6], [9, 12]],
    "a longer example gave a wrong list of blocks",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (3 points)
# The empty list, a single interval, intervals of length zero, negative numbers, touching and
# nearly touching intervals, tuples and mixed pairs, duplicates, and the caller's list and
# pairs left untouched.

# %% nbgrader="tests" grade_id="merge_tests_edge_cases" points=3
"""Edge cases: empty, single, zero-length, negatives, touching, tuples, mixed, no mutation."""
from advpy.checks import expect, expect_same

expect_same(merge([]), [], "merge([])", show=True)
expect_same(merge([(5, 5)]), [[5, 5]], "merge([(5, 5)]): a tuple in, a list out", show=True)
bookings = [[3, 4], [1, 2]]
merge(bookings)
expect_same(bookings, [[3, 4], [1, 2]], "merge must not change the list it is given", show=True)
### BEGIN HIDDEN TESTS
expect_same(merge([[-3, 7]]), [[-3, 7]], "a single interval must come back as it is (as a list)")
expect_same(merge([[0, 0], [0, 0]]), [[0, 0]], "equal zero-length intervals must merge into one")
expect_same(
    merge([[-10, -5], [-6, -1], [0, 0]]),
    [[-10, -1], [0, 0]],
    "negative numbers must merge like any other",
)
expect_same(merge([[1, 2], [3, 4]]), [[1, 2], [3, 4]], "intervals with a gap must stay apart")
expect_same(
    merge([[5, 7], [3, 5], [1, 3]]),
    [[1, 7]],
    "a chain of touching intervals must merge into one",
)
expect_same(merge([[4, 4], [1, 4]]), [[1, 4]], "a point at the end of an interval touches it")
expect_same(merge([[2, 6], [2, 6], [2, 6]]), [[2, 6]], "duplicate intervals must merge")
expect_same(
    merge([(8, 9), [1, 3], (2, 5), [7, 8]]),
    [[1, 5], [7, 9]],
    "a call with lists and tuples mixed in one list gave wrong blocks",
)
_given = [[6, 8], (1, 3), [2, 4], (7, 7)]
_snapshot = [[6, 8], (1, 3), [2, 4], (7, 7)]
_result = merge(_given)
expect_same(_given, _snapshot, "merge changed the caller's list or the pairs inside it")
expect(_result is not _given, "merge must return a new list, not the list it was given")
_given = [(1, 5), (2, 3)]
expect_same(merge(_given), [[1, 5]], "tuples that merge must give a [start, end] list")
expect_same(_given, [(1, 5), (2, 3)], "merge changed the caller's tuples list")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · many random inputs against a reference (3 points)
# The merging itself, on hundreds of lists of `[start, end]` lists. Tuples, lists and tuples
# mixed in one call, and leaving the argument untouched are Check 2's.

# %% nbgrader="tests" grade_id="merge_tests_random" points=3
"""merge agrees with a reference solution on hundreds of random lists of [start, end] lists."""
from advpy.checks import expect_same

expect_same(
    merge([[4, 6], [0, 2], [1, 3]]),
    [[0, 3], [4, 6]],
    "merge([[4, 6], [0, 2], [1, 3]])",
    show=True,
)
### BEGIN HIDDEN TESTS
_rng = random.Random(33)


def _reference_merge(intervals):
    blocks = []
    for low, high in sorted(intervals, key=lambda pair: pair[0]):
        if blocks and low <= blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], high)
        else:
            blocks.append([low, high])
    return blocks


for _case in range(400):
    _pairs = []
    for _ in range(_rng.randint(1, 12)):
        _low = _rng.randint(-10, 30)
        _pairs.append([_low, _low + _rng.randint(0, 6)])
    _expected = _reference_merge([list(pair) for pair in _pairs])
    expect_same(
        merge(_pairs),
        _expected,
        "on a random list of intervals the merged blocks differ from the reference "
        "(check touching intervals, intervals inside others, and the order of the result)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · grows like O(n log n) (2 points)
# Times your function on a few hundred disjoint intervals in random order and on 8 times as
# many, next to the reference. A correct but quadratic answer loses these points; the message
# says what growth was seen.

# %% nbgrader="tests" grade_id="merge_tests_complexity" points=2
"""merge's running time grows like the reference's O(n log n) when the input grows 8x."""
from advpy.checks import expect_same

expect_same(merge([[1, 3], [2, 4]]), [[1, 4]], "merge([[1, 3], [2, 4]])", show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import expect_scaling


def _sorted_merge(intervals):
    blocks = []
    for low, high in sorted(intervals, key=lambda pair: pair[0]):
        if blocks and low <= blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], high)
        else:
            blocks.append([low, high])
    return blocks


def _disjoint_shuffled(size, seed):
    # Disjoint intervals with gaps between them, in random order: every one survives the
    # merge, so no answer can finish early.
    rng = random.Random(seed)
    starts = rng.sample(range(0, 40 * size, 4), size)
    return ([[start, start + rng.randrange(3)] for start in starts],)


_report = expect_scaling(
    merge, _sorted_merge, _disjoint_shuffled, small=300, target="O(n log n)", name="merge"
)
### END HIDDEN TESTS
