# %% [markdown]
# # ps08 · Comprehensions and lazy pipelines: one pass, bounded memory, exact laziness (25 points)
#
# Four small tools for data that may not fit in memory, each a direct use of
# [08 · Comprehensions, generator expressions, map and filter](../08_comprehensions.ipynb):
#
# - **Part A** · `report(lines)`: rewrite an eager log report as a lazy, one-pass pipeline
#   whose peak memory stays under a fixed bound (7 points);
# - **Part B** · `totals_by_day(events)`: a `groupby` aggregation without the sort-first trap
#   (6 points);
# - **Part C** · `flatten(rows)`: join rows into one stream, lazily (5 points);
# - **Part D** · `windows(iterable, n)`: sliding windows that read exactly as far as they must
#   (7 points).
#
# **How this notebook is graded.** You write one function per part, in its answer cell. The
# test cells below each part check it and show their points. Every test cell also holds
# **hidden tests** that run only when your instructor grades the notebook (Validate and `advpy
# check` run the visible ones): passing the visible checks is necessary, not sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the code the tests use too.
# Try these in the scratch cells.
import collections
import itertools
import operator

from advpy.checks import CountingIterator, PulledTooFar, time_limit, traced_peak

PATHS = ("/", "/login", "/api/orders", "/api/users", "/static/app.js")


def log_lines(count, seed=0):
    """Yield `count` lines of a made-up access log, one at a time: mostly requests
    ("GET /login 200 5120\n"), with a comment line or a blank line now and then."""
    for i in range(count):
        k = i * 7 + seed
        if k % 50 == 0:
            yield "# log rotated\n"
        elif k % 37 == 0:
            yield "\n"
        else:
            status = 503 if k % 16 == 0 else 500 if k % 8 == 0 else 404 if k % 11 == 0 else 200
            yield f"GET {PATHS[k % 5]} {status} {(k * 7919) % 30000}\n"


def report_eager(lines):
    """The report of Part A, computed the obvious way: every line and every record in lists."""
    lines = list(lines)
    kept = [line for line in lines if line.strip() and not line.startswith("#")]
    records = [line.split() for line in kept]
    errors = [fields for fields in records if int(fields[2]) >= 500]
    return {
        "requests": len(records),
        "errors": len(errors),
        "error_bytes": sum(int(fields[3]) for fields in errors),
    }


def take(iterable, n, seconds=5):
    """The first `n` items of `iterable` as a list (fewer if it ends first). Fails with
    TimeLimitExceeded if producing them takes more than `seconds`."""
    with time_limit(seconds):
        return list(itertools.islice(iterable, n))


# %% [markdown]
# ## Part A · `report`: one pass, bounded memory
#
# A web server writes one line per request: method, path, status, bytes sent. An on-call
# engineer wants three numbers from a log: how many requests it holds, how many were server
# errors (status 500 or above), and how many bytes those errors sent. `report_eager` in the
# setup cell computes them, but it holds the whole log in lists: on a 20 GB log it dies.
# Write `report(lines)`, which gives the same answer in **one pass**, in constant memory.
#
# For example, with
# `example = ["GET / 200 512\n", "# comment\n", "\n", "POST /login 500 80\n", "GET /a 503 0\n"]`:
#
# | call | returns |
# |---|---|
# | `report(example)` | `{"requests": 3, "errors": 2, "error_bytes": 80}` |
# | `report([])` | `{"requests": 0, "errors": 0, "error_bytes": 0}` |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `lines` is any iterable of strings: a list, a generator, an open file. It may be a
#   **one-shot iterator**, which can be read only once.
# - A line is **blank** if it holds only whitespace (`"\n"`, `"   \n"`, `""`), and a
#   **comment** if it starts with `#`. Blank lines and comments are skipped. Every other line
#   is a request: four fields separated by whitespace, `METHOD PATH STATUS BYTES`, where STATUS
#   and BYTES are whole numbers. The last line may lack its `"\n"`.
# - `report` returns a plain `dict` with exactly the keys `"requests"` (the number of requests),
#   `"errors"` (the number of requests with status 500 or above) and `"error_bytes"` (the BYTES
#   of those requests, added up), each a plain `int`: exactly what `report_eager` returns.
# - Its **peak memory** stays under **96 KiB** whatever the number of lines: it holds a fixed
#   number of values, never a list (or other collection) that grows with the input.
#
# The memory check runs `report` once on a short input first (so that one-off costs such as
# compiling a regular expression do not count), then traces it with `tracemalloc` on a long
# one. `traced_peak(lambda: ...)` in the setup cell measures the same thing: try it.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Section 8 of the lesson: counting with `len(...)` or `sum(1 for ...)` and then adding up the
# bytes with a second expression reads `lines` twice. The second pass finds a used-up
# iterator. One `for` loop can keep all three numbers at once.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `line.split()` with no argument splits on any whitespace and drops the `"\n"`; for a blank
# line it returns `[]`. Add up the bytes as you go: `sum([... for ...])` builds a list first.
# </details>


# %% nbgrader="solution" grade_id="report_answer"
def report(lines):
    """Return {"requests": ..., "errors": ..., "error_bytes": ...} for the log `lines`, reading
    them once and holding a fixed amount of memory."""
    ### BEGIN SOLUTION
    requests = errors = error_bytes = 0
    for line in lines:
        fields = line.split()
        if not fields or line.startswith("#"):
            continue
        requests += 1
        if int(fields[2]) >= 500:
            errors += 1
            error_bytes += int(fields[3])
    return {"requests": requests, "errors": errors, "error_bytes": error_bytes}
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(report(log_lines(20)))
print(report_eager(log_lines(20)))
peak, result = traced_peak(lambda: report(log_lines(10_000)))
print(f"peak {peak / 1024:.1f} KiB")

# %% [markdown]
# ### Check A1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="report_tests_examples" points=2
"""report gives the worked examples' answers, and report_eager's answer on a list of log lines."""
from advpy.checks import expect_same

example = ["GET / 200 512\n", "# comment\n", "\n", "POST /login 500 80\n", "GET /a 503 0\n"]
expect_same(
    report(example),
    {"requests": 3, "errors": 2, "error_bytes": 80},
    "report of the worked example",
    show=True,
)
expect_same(report([]), {"requests": 0, "errors": 0, "error_bytes": 0}, "report([])", show=True)
sample = list(log_lines(500))
expect_same(report(sample), report_eager(sample), "report(list(log_lines(500)))", show=True)
### BEGIN HIDDEN TESTS
_lines = list(log_lines(3000, seed=11))
expect_same(report(_lines), report_eager(_lines), "report of a longer list of log lines")
_tricky = [
    "GET /a 500 0\n",
    "GET /b 499 10\n",
    "GET /c 599 7\n",
    "GET /d 200 1000000000000\n",
    "GET /e 500 3",
]
expect_same(
    report(_tricky),
    {"requests": 5, "errors": 3, "error_bytes": 10},
    "status 500 counts as an error, 499 does not; an error of 0 bytes is still an error; the "
    "last line may lack its newline",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · one-shot inputs, blank lines and comments (2 points)
# A generator and a real file, each readable once; blank lines of spaces; comments.

# %% nbgrader="tests" grade_id="report_tests_one_pass" points=2
"""report reads a one-shot iterator (a generator, an open file) once and still counts
everything; whitespace-only lines and comments are skipped."""
import tempfile

from advpy.checks import expect_same

expect_same(
    report(line for line in ["GET / 500 10\n", "GET / 200 1\n", "GET / 502 5\n"]),
    {"requests": 3, "errors": 2, "error_bytes": 15},
    "report of a generator of three lines (read it only once)",
    show=True,
)
expect_same(
    report(iter(["   \n", "#GET / 500 10\n", "GET / 500 10\n", "\t\n"])),
    {"requests": 1, "errors": 1, "error_bytes": 10},
    "report of an iterator with whitespace-only lines and a comment",
    show=True,
)
with tempfile.TemporaryDirectory() as folder:
    path = f"{folder}/access.log"
    with open(path, "w") as out:
        out.writelines(log_lines(2000))
    with open(path) as log_file:
        from_file = report(log_file)
expect_same(
    from_file, report_eager(log_lines(2000)), "report of an open file of 2000 lines", show=True
)
### BEGIN HIDDEN TESTS
expect_same(
    report(log_lines(5000, seed=3)),
    report_eager(log_lines(5000, seed=3)),
    "report of a generator of log lines must count every request, error and byte (read the "
    "input once)",
)
expect_same(
    report(iter(["# GET / 500 10\n", "", " ", "GET / 500 1\n", "#\n"])),
    {"requests": 1, "errors": 1, "error_bytes": 1},
    "comments and blank lines (also '' and ' ') must be skipped",
)
expect_same(
    report(iter(["# only a comment\n", "\n"])),
    {"requests": 0, "errors": 0, "error_bytes": 0},
    "a log with no requests must give zeros",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · constant memory (3 points)
# 40,000 lines, traced: the peak must stay under 96 KiB.

# %% nbgrader="tests" grade_id="report_tests_memory" points=3
"""report's peak memory stays under 96 KiB on 40,000 lines (traced with tracemalloc, after
one warm-up call), and it still gives report_eager's answer."""
from advpy.checks import Beside, expect_peak_below, expect_same


def report_of_log_lines(count):
    """report over `count` generated log lines, run where your code runs."""
    return report(log_lines(count))


report_of = Beside(report_of_log_lines)
report_of(100)  # warm-up: one-off costs do not count
result = expect_peak_below(
    report_of,
    96 * 1024,
    "report(log_lines(40_000)) held too much memory: keep running totals instead of lists",
    40_000,
)
expect_same(result, report_eager(log_lines(40_000)), "report(log_lines(40_000))", show=True)
### BEGIN HIDDEN TESTS
import os as _os
import tempfile as _tempfile


def _report_of_file(path):
    # Runs where the answer runs: report over the open file, warmed up on its first lines.
    if path is None:
        return report(log_lines(50, seed=1))
    with open(path) as log:
        return report(log)


_report_of_file = Beside(_report_of_file)
_report_of_file(None)
with _tempfile.TemporaryDirectory() as _folder:
    _path = _os.path.join(_folder, "big.log")
    with open(_path, "w") as _out:
        _out.writelines(log_lines(30_000, seed=5))
    _result = expect_peak_below(
        _report_of_file,
        96 * 1024,
        "report over an open log file held too much memory",
        _path,
    )
expect_same(
    _result,
    report_eager(log_lines(30_000, seed=5)),
    "report over an open log file must give report_eager's answer",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `totals_by_day`: `groupby` without its trap
#
# A payments service records events `(day, amount)`: the day as an ISO date string such as
# `"2024-05-01"`, the amount in cents (refunds are negative). The events arrive in no
# particular order. Write `totals_by_day(events)`, which adds up the amounts of each day.
#
# For example, with
# `events = [("2024-05-02", 500), ("2024-05-01", 250), ("2024-05-02", -100), ("2024-05-01", 50)]`:
#
# | call | returns |
# |---|---|
# | `totals_by_day(events)` | `[("2024-05-01", 300), ("2024-05-02", 400)]` |
# | `totals_by_day([])` | `[]` |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `events` is any iterable (a list, a generator) of `(day, amount)` tuples, `day` a `str`
#   `"YYYY-MM-DD"` and `amount` an `int`, in any order.
# - `totals_by_day` returns a plain `list` of `(day, total)` tuples: **one per day** that
#   appears in `events`, in increasing order of day, `total` the sum of that day's amounts (an
#   `int`). A day whose amounts add up to 0 is still listed.
# - It does **not change** `events`: a list passed in holds the same events in the same order
#   afterwards.
#
# `itertools.groupby` is the natural tool; the lesson's section 6 shows what it needs first.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `groupby` groups *consecutive* items with the same key. `sorted(events, key=...)` returns a
# new sorted list and leaves `events` alone; `events.sort()` sorts the caller's list in place,
# and does not exist on a generator.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Each group is a lazy view on the sorted input: add up its amounts inside the loop (or the
# comprehension) that receives it, before moving to the next group.
# </details>


# %% nbgrader="solution" grade_id="totals_by_day_answer"
def totals_by_day(events):
    """Return [(day, total), ...]: one tuple per day, in day order, totals summed."""
    ### BEGIN SOLUTION
    day_of = operator.itemgetter(0)
    by_day = itertools.groupby(sorted(events, key=day_of), key=day_of)
    return [(day, sum(amount for _, amount in group)) for day, group in by_day]
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(totals_by_day([("2024-05-02", 500), ("2024-05-01", 250), ("2024-05-02", -100)]))

# %% [markdown]
# ### Check B1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="totals_by_day_tests_examples" points=2
"""totals_by_day gives the worked examples' answers: one (day, total) tuple per day, days in
order, whatever the order of the events."""
from advpy.checks import expect_same

expect_same(
    totals_by_day(
        [("2024-05-02", 500), ("2024-05-01", 250), ("2024-05-02", -100), ("2024-05-01", 50)]
    ),
    [("2024-05-01", 300), ("2024-05-02", 400)],
    "totals_by_day of the worked example",
    show=True,
)
expect_same(totals_by_day([]), [], "totals_by_day([])", show=True)
### BEGIN HIDDEN TESTS
import random as _random


def _oracle(_events):
    _sums = {}
    for _day, _amount in _events:
        _sums[_day] = _sums.get(_day, 0) + _amount
    return sorted(_sums.items())


_rng = _random.Random(8)
for _size in (1, 2, 7, 60, 400):
    _events = [
        (f"2024-{_rng.randint(1, 3):02d}-{_rng.randint(1, 28):02d}", _rng.randint(-500, 5000))
        for _ in range(_size)
    ]
    expect_same(
        totals_by_day(_events),
        _oracle(_events),
        "totals_by_day of shuffled events over many days must give one total per day, in order",
    )
expect_same(
    totals_by_day([("2024-12-31", 1), ("2024-01-01", 2), ("2023-12-31", 3)]),
    [("2023-12-31", 3), ("2024-01-01", 2), ("2024-12-31", 1)],
    "days must come in increasing order, across months and years",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · edge cases (2 points)
# Totals of zero, refunds, a day with a single event.

# %% nbgrader="tests" grade_id="totals_by_day_tests_edge_cases" points=2
"""Days whose amounts add up to 0 are listed, negative amounts count, a single event is a day
of its own; totals are ints."""
from advpy.checks import expect_same

expect_same(
    totals_by_day([("2024-05-01", 700), ("2024-05-03", 5), ("2024-05-01", -700)]),
    [("2024-05-01", 0), ("2024-05-03", 5)],
    "totals_by_day of a day that adds up to 0 and a day with one event",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    totals_by_day([("2024-02-29", 0)]),
    [("2024-02-29", 0)],
    "a day whose only amount is 0 must still be listed",
)
expect_same(
    totals_by_day([("2024-05-01", -3), ("2024-05-01", -4)]),
    [("2024-05-01", -7)],
    "a day of refunds only must have a negative total",
)
expect_same(
    totals_by_day([("2024-05-01", 5)] * 4),
    [("2024-05-01", 20)],
    "a day with several equal events must add them all up",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · any iterable, left unchanged (2 points)

# %% nbgrader="tests" grade_id="totals_by_day_tests_inputs" points=2
"""totals_by_day takes a generator as well as a list, and leaves a list passed in unchanged."""
from advpy.checks import expect_same

events = [("2024-05-02", 1), ("2024-05-01", 2), ("2024-05-02", 3)]
before = list(events)
expect_same(totals_by_day(events), [("2024-05-01", 2), ("2024-05-02", 4)], "the totals", show=True)
expect_same(events, before, "the events list after totals_by_day(events) (it must not change)")
expect_same(
    totals_by_day(event for event in before),
    [("2024-05-01", 2), ("2024-05-02", 4)],
    "totals_by_day of a generator of the same events",
    show=True,
)
### BEGIN HIDDEN TESTS
_events = [("2024-06-0" + str(9 - _i % 9), _i) for _i in range(30)]
_copy = list(_events)
totals_by_day(_events)
expect_same(_events, _copy, "a list of events passed in must keep its order and contents")
_tuple_events = tuple(_copy)
expect_same(
    totals_by_day(_tuple_events),
    totals_by_day(list(_copy)),
    "a tuple of events must be accepted like a list",
)
expect_same(
    totals_by_day(iter(_copy)),
    totals_by_day(list(_copy)),
    "an iterator of events must give the same totals as a list",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `flatten`: rows into one stream, lazily
#
# A report is built from rows of cells, and each row may be a list, a tuple, a generator, or,
# for a heading, one plain string. Write `flatten(rows)`, which yields the cells of every row
# in turn, keeping a string row whole.
#
# | call | items |
# |---|---|
# | `flatten([[1, 2], (3,), [], [4]])` | `1, 2, 3, 4` |
# | `flatten([["a", "b"], "Total", ("c",)])` | `"a", "b", "Total", "c"` |
# | `flatten(([i, i] for i in itertools.count()))` | `0, 0, 1, 1, 2, 2, ...` without end |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `rows` is any iterable (endless ones included) whose items are rows: each row is either a
#   `str`, which is one item as it is, or any other iterable, whose items are yielded as they
#   are (one level only: a list inside a row stays a list).
# - `flatten` returns an **iterator**.
# - It is **lazy**: calling `flatten` pulls nothing from `rows`; producing an item pulls that
#   one item from its row, and pulls the next row from `rows` only once the current row is
#   used up and another item is asked for.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `itertools.chain(*rows)` unpacks `rows` into arguments: every row is pulled before the first
# item comes out, and an endless `rows` never ends. A generator function with `yield from`, or
# `chain.from_iterable`, pulls rows one at a time.
# </details>


# %% nbgrader="solution" grade_id="flatten_answer"
def flatten(rows):
    """Yield the items of each row of `rows` in turn (a str row as one item), lazily."""
    ### BEGIN SOLUTION
    for row in rows:
        if isinstance(row, str):
            yield row
        else:
            yield from row
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
rows = CountingIterator([[1, 2], (3,), [4]])
items = flatten(rows)
print(next(items), "rows pulled so far:", rows.pulled)

# %% [markdown]
# ### Check C1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="flatten_tests_examples" points=2
"""flatten gives the worked examples' items: every row's items in order, a str row whole."""
from advpy.checks import expect_same

expect_same(take(flatten([[1, 2], (3,), [], [4]]), 20), [1, 2, 3, 4], "flatten(...)", show=True)
expect_same(
    take(flatten([["a", "b"], "Total", ("c",)]), 20),
    ["a", "b", "Total", "c"],
    'flatten([["a", "b"], "Total", ("c",)])',
    show=True,
)
endless_rows = CountingIterator(([i, i] for i in itertools.count()), limit=100, name="rows")
expect_same(
    take(flatten(endless_rows), 5),
    [0, 0, 1, 1, 2],
    "the first 5 items of flatten(endless rows [0, 0], [1, 1], ...)",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    take(flatten([[[1, 2], 3], ([4],)]), 20),
    [[1, 2], 3, [4]],
    "flatten must go one level deep only: lists inside a row stay lists",
)
expect_same(
    take(flatten(["", "xy", [""], (None, 0, False)]), 20),
    ["", "xy", "", None, 0, False],
    "string rows (the empty one too) must be kept whole, and falsy items kept",
)
expect_same(
    take(flatten((n for n in range(k)) for k in range(4)), 20),
    [0, 0, 1, 0, 1, 2],
    "rows that are generators must be flattened like lists",
)
expect_same(take(flatten([]), 5), [], "no rows must give no items")
expect_same(take(flatten([[], (), ""]), 5), [""], "empty rows must give no items")
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · lazy: rows pulled one at a time (3 points)

# %% nbgrader="tests" grade_id="flatten_tests_lazy" points=3
"""flatten returns an iterator that pulls nothing when called, then one item at a time from
the current row and the next row only when it needs it; it works on endless rows."""
from advpy.checks import expect

rows = CountingIterator(([n, n] for n in itertools.count()), limit=50, name="rows")
try:
    items = flatten(rows)
    expect(iter(items) is items, "flatten must return an iterator (next() works on it)")
    expect(rows.pulled == 0, f"flatten pulled {rows.pulled} rows before any item was asked for")
    expect(next(items) == 0 and next(items) == 0, "the first two items must be 0 and 0")
    expect(rows.pulled == 1, f"two items of the first row pulled {rows.pulled} rows, not 1")
    expect(next(items) == 1, "the third item must be 1")
    expect(rows.pulled == 2, f"the first item of row 2 pulled {rows.pulled} rows, not 2")
except PulledTooFar:
    raise AssertionError(
        "flatten tried to read endless rows to the end: pull one row at a time "
        "(itertools.chain(*rows) unpacks them all first)"
    ) from None
### BEGIN HIDDEN TESTS
_row_one = CountingIterator([1, 2, 3], name="a row")
_row_two = CountingIterator([4], name="a row")
_rows = CountingIterator([_row_one, _row_two], name="the rows")
_items = flatten(_rows)
expect(_rows.pulled == 0, "calling flatten must pull no row")
next(_items)
expect(
    _row_one.pulled == 1 and _rows.pulled == 1,
    "the first item must pull one row and one item of it",
)
next(_items)
next(_items)
expect(
    _row_one.pulled == 3 and _rows.pulled == 1,
    "items of the current row must be pulled one at a time, without pulling the next row",
)
expect(next(_items) == 4, "the first item of the next row must follow")
expect(next(_items, "end") == "end", "after the last row the iterator must be exhausted")
try:
    with time_limit(5):
        _endless = CountingIterator(limit=30, name="a row")
        _gen = flatten(CountingIterator([_endless, [1]], limit=5, name="the rows"))
        _got = [next(_gen) for _ in range(20)]
    expect(_got == list(range(20)), "an endless row must be streamed item by item")
except PulledTooFar:
    raise AssertionError("flatten read an endless row further than the items asked for") from None
### END HIDDEN TESTS

# %% [markdown]
# ## Part D · `windows`: sliding windows that read exactly as far as they must
#
# Moving averages, "three failed logins in a row", n-grams of words: all look at a sliding
# window of the last `n` items of a stream. Write `windows(iterable, n)`.
#
# | call | windows |
# |---|---|
# | `windows([1, 2, 3, 4, 5], 3)` | `(1, 2, 3)`, `(2, 3, 4)`, `(3, 4, 5)` |
# | `windows("abc", 1)` | `("a",)`, `("b",)`, `("c",)` |
# | `windows([1, 2], 3)` | nothing: fewer than 3 items |
# | `windows(itertools.count(), 2)` | `(0, 1)`, `(1, 2)`, `(2, 3)`, ... without end |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `iterable` is any iterable (a list, a string, a generator, an endless iterator); `n` is an
#   `int`.
# - `windows` returns an **iterator** of plain **tuples** of `n` consecutive items, in order:
#   one window starting at each item that has `n - 1` items after it. With fewer than `n`
#   items there are no windows.
# - It is **lazy**: calling `windows` pulls nothing from the input; producing the first window
#   pulls exactly `n` items, and each later window exactly one more (the k-th window: `n + k -
#   1` items in all), so it works on endless iterators.
# - `n < 1` raises `ValueError` **when `windows` is called**, not at the first `next()`.
#
# The tests count pulls with a `CountingIterator` (see the setup cell), which fails when it is
# read further than a test allows.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Keep the last `n` items in a `collections.deque(maxlen=n)`: appending to a full one drops
# the oldest item. Yield `tuple(window)`: the deque itself keeps changing after you yield it.
# </details>
#
# <details><summary>Hint 2 (the ValueError)</summary>
#
# The body of a generator function runs only at the first `next()`, checks included. Check `n`
# in a plain function that then returns a generator (from an inner generator function).
# </details>


# %% nbgrader="solution" grade_id="windows_answer"
def windows(iterable, n):
    """Return an iterator of tuples of n consecutive items of iterable (a sliding window),
    pulling items only as the windows need them. Raise ValueError at once if n < 1."""
    ### BEGIN SOLUTION
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    items = iter(iterable)

    def slide():
        window = collections.deque(itertools.islice(items, n - 1), maxlen=n)
        for item in items:
            window.append(item)
            yield tuple(window)

    return slide()
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
source = CountingIterator(limit=100)
slides = windows(source, 3)
print(next(slides), "pulled so far:", source.pulled)

# %% [markdown]
# ### Check D1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="windows_tests_examples" points=2
"""windows gives the worked examples' windows: tuples of n consecutive items, in order."""
from advpy.checks import expect_same

expect_same(
    take(windows([1, 2, 3, 4, 5], 3), 20),
    [(1, 2, 3), (2, 3, 4), (3, 4, 5)],
    "windows([1, 2, 3, 4, 5], 3)",
    show=True,
)
expect_same(take(windows("abc", 1), 20), [("a",), ("b",), ("c",)], 'windows("abc", 1)', show=True)
endless = CountingIterator(limit=100, name="the endless input")
expect_same(
    take(windows(endless, 2), 3),
    [(0, 1), (1, 2), (2, 3)],
    "the first 3 windows of windows(itertools.count(), 2)",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    take(windows(range(6), 2), 20),
    [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)],
    "windows of 2 over a range must overlap by one item",
)
expect_same(
    take(windows((c for c in "hello"), 4), 20),
    [("h", "e", "l", "l"), ("e", "l", "l", "o")],
    "windows over a generator must be cut like windows over a list",
)
expect_same(
    take(windows([0, None, "", 0], 2), 20),
    [(0, None), (None, ""), ("", 0)],
    "falsy items (0, None, '') must be kept like any other item",
)
expect_same(
    take(windows([[1], [2], [3]], 2), 20),
    [([1], [2]), ([2], [3])],
    "items must be put in the windows as they are",
)
_all = list(windows(range(5), 3))
expect_same(
    _all,
    [(0, 1, 2), (1, 2, 3), (2, 3, 4)],
    "windows collected with list() must each keep their own items (yield a new tuple each time)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check D2 · edge cases (2 points)
# Fewer items than `n`, exactly `n`, and `n < 1` refused at the call.

# %% nbgrader="tests" grade_id="windows_tests_edge_cases" points=2
"""Fewer than n items give no window, exactly n give one; n < 1 raises ValueError as soon as
windows is called."""
from advpy.checks import expect, expect_same

expect_same(take(windows([1, 2], 3), 20), [], "windows([1, 2], 3)", show=True)
expect_same(take(windows([1, 2, 3], 3), 20), [(1, 2, 3)], "windows([1, 2, 3], 3)", show=True)
refused = False
try:
    windows([1, 2, 3], 0)
except ValueError:
    refused = True
expect(
    refused,
    "windows([1, 2, 3], 0) must raise ValueError when it is called. (A generator function runs "
    "its body only at the first next(): see Hint 2.)",
)
### BEGIN HIDDEN TESTS
expect_same(take(windows([], 1), 5), [], "an empty input must give no windows")
expect_same(take(windows(iter([]), 2), 5), [], "an empty iterator must give no windows")
expect_same(take(windows([7], 1), 5), [(7,)], "one item and n = 1 must give one window")
expect_same(
    take(windows(iter([1, 2, 3, 4]), 5), 5),
    [],
    "an iterator shorter than n must give no windows (not a shorter one)",
)
for _bad in (-1, -7):
    _refused = False
    try:
        windows([1, 2, 3], _bad)
    except ValueError:
        _refused = True
    expect(_refused, "a negative n must raise ValueError as soon as windows is called")
### END HIDDEN TESTS

# %% [markdown]
# ### Check D3 · lazy: exactly as far as each window needs (3 points)
# Counts the items pulled: none at the call, `n` for the first window, one more for each next.

# %% nbgrader="tests" grade_id="windows_tests_lazy" points=3
"""windows is lazy: it returns an iterator, pulls nothing at the call, n items for the first
window and exactly one more for each later one, so it works on endless iterators."""
from advpy.checks import expect, expect_same

source = CountingIterator(limit=1000)  # endless: 0, 1, 2, ...
try:
    slides = windows(source, 3)
    expect(iter(slides) is slides, "windows must return an iterator (next() works on it)")
    expect(source.pulled == 0, f"windows pulled {source.pulled} items before any window")
    expect_same(next(slides), (0, 1, 2), "the first window of windows(0, 1, 2, ..., 3)", show=True)
    expect(source.pulled == 3, f"the first window of 3 pulled {source.pulled} items, not 3")
    expect_same(next(slides), (1, 2, 3), "the second window", show=True)
    expect(source.pulled == 4, f"the second window pulled {source.pulled} items in all, not 4")
except PulledTooFar:
    raise AssertionError(
        "windows tried to read an endless iterator to the end: yield each window as soon as "
        "it has its items"
    ) from None
### BEGIN HIDDEN TESTS
try:
    with time_limit(5):
        for _n in (1, 2, 5):
            _source = CountingIterator(limit=_n + 5, name="the input")
            _slides = windows(_source, _n)
            expect(_source.pulled == 0, "calling windows must pull nothing")
            for _k in range(1, 7):
                next(_slides)
                expect(
                    _source.pulled == _n + _k - 1,
                    "the k-th window must have pulled exactly n + k - 1 items (no reading ahead)",
                )
        _short = CountingIterator([1, 2, 3])
        expect_same(take(windows(_short, 2), 10), [(1, 2), (2, 3)], "windows of a short input")
        expect(_short.pulled == 3, "windows must pull every item of a finite input once")
        expect(not _short.overrun, "windows read past the end of a finite input")
except PulledTooFar:
    raise AssertionError("windows read further into its input than the windows needed") from None
### END HIDDEN TESTS
