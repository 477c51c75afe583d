# %% [markdown]
# # 08 · Comprehensions, generator expressions, `map` and `filter`
#
# Most Python programs turn one collection into another dozens of times: parse these lines,
# keep those records, add up that column. Python offers several spellings for it, and folklore
# attaches a verdict to each: list comprehensions are fast, generator expressions save memory,
# `map` and `filter` are "functional, often slower". This lesson measures each verdict on your
# machine, for time **and** for memory, finds where it holds and where it does not, and ends
# with a lazy pipeline over a real file far larger than what it ever keeps in memory.
#
# **Learning objectives.** By the end you can:
# - **tell** eager from lazy for every spelling (comprehensions, generator expressions, `map`,
#   `filter`) and **measure** what each holds with `tracemalloc`;
# - **predict** from measurements when `map`/`filter` is slower than a comprehension (a
#   `lambda`) and when it is not (a built-in or an `operator` function);
# - **explain** what Python 3.12 changed by inlining comprehensions, and **check** it on the
#   interpreter you run;
# - **build** lazy pipelines with `itertools` (`islice`, `chain`, `groupby`, `accumulate`,
#   `batched`) that read a file of any size in constant memory;
# - **avoid** the one-shot iterator trap and the `groupby` sort-first trap.
#
# **Prerequisites:** generators and generator pipelines,
# [03 · Generators and async](03_generators_async.ipynb), Part A.

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import dis
import inspect
import itertools
import operator
import sys
import tempfile
from collections import Counter
from pathlib import Path

from advpy.lessons import timing
from advpy.lessons.aio.pipelines import peak_memory
from advpy.lessons.comprehensions import bigfile, inlining, scaling, styles
from advpy.lessons.comprehensions.plots import (
    plot_file_memory,
    plot_iteration_styles,
    plot_size_memory,
    plot_size_time,
)
from advpy.lessons.context import machine_summary, pick

print(machine_summary())
print(timing.load_note())

# %% [markdown]
# ## 1. Five spellings of one job
#
# Squaring the numbers from 0 to 5, five ways. Each prints what it *returns*, before anything
# asks it for items:

# %%
numbers = range(6)
print([n * n for n in numbers])  # list comprehension
print({n * n for n in numbers}, {n: n * n for n in numbers})  # set and dict comprehensions
print(n * n for n in numbers)  # a generator expression (its own brackets may be left out)
print(map(lambda n: n * n, numbers))  # map with a lambda
print(filter(lambda n: n % 2 == 0, numbers))  # filter with a lambda

# %% [markdown]
# The three comprehensions built their whole result at once: they are **eager**. The other
# three returned objects that have computed nothing yet: they are **lazy iterators**, and each
# item is computed when someone asks for it with `next()` (a `for` loop, `list()`, `sum()`).

# %%
lazy = map(lambda n: n * n, numbers)
print("is an iterator:", iter(lazy) is lazy, "| first two:", next(lazy), next(lazy))
print("the rest:", list(lazy))

# %% [markdown]
# **What to notice.** The course notes sum the three up in a table: list comprehension
# *eager*; generator expression *lazy, memory efficient*; `map`/`filter` *functional, often
# slower*. The first row is right. The table misleads on the other two: in Python 3, `map` and
# `filter` are **exactly as lazy** as a generator expression (in Python 2 they returned
# lists, which is where much of the folklore comes from), and "often slower" depends entirely
# on the function you pass, as section 4 measures.
#
# ## 2. Eager holds everything, lazy holds one item
#
# Laziness means work happens only when an item is pulled. A consumer that stops early, like
# `any()` at its first true item, then saves all the work after that point:

# %%
pulled = []


def noted(n):
    pulled.append(n)
    return n > 2


print("any over a generator:", any(noted(n) for n in range(10)), "pulled", pulled)
pulled.clear()
print("any over a list     :", any([noted(n) for n in range(10)]), "pulled", pulled)

# %% [markdown]
# And a consumer that streams (`sum`, `max`, a `for` loop) never needs more than one item at a
# time. `peak_memory(func)` runs `func()` with `tracemalloc` tracing every allocation and
# returns the most memory that was allocated at any moment during the call, and the result:

# %%
data = list(range(pick(1_000_000, 100_000)))
list_peak, total = peak_memory(lambda: sum([x * x for x in data]))
lazy_peak, same_total = peak_memory(lambda: sum(x * x for x in data))
print(f"sum([x * x for x in data]) peak: {list_peak / 1024:10,.1f} KiB")
print(f"sum(x * x for x in data)   peak: {lazy_peak / 1024:10,.1f} KiB")
print("same total:", total == same_total, f"| the list: {list_peak / len(data):.0f} bytes per item")

# %% [markdown]
# **What to notice.** The list comprehension held every square at once: the bytes per item
# printed above are an 8-byte pointer in the list plus the integer object it points to. The
# generator expression held one square at a time, whatever the input size. Laziness helps only
# when the consumer streams: `list(x * x for x in data)` holds everything too.
#
# ### Try it
# Time `any(x > 10 for x in data)` against `any([x > 10 for x in data])` (use
# `timing.best_time(5, lambda: ...)`). Which wins, by how much, and why? (Answer:
# [tryit/08 § 1](../solutions/tryit/08_comprehensions.md#1-any-lazy-or-eager).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. Time and peak memory against input size
#
# One job, the sum of the squares, in every style, on inputs from a thousand items up. Time is
# the best of several untraced runs; the peak is traced in a separate run (tracing slows every
# allocation, so the two are never measured together):

# %%
for style, code in scaling.SUM_OF_SQUARES.items():
    print(f"{style:>21}: {code}")

# %%
sizes = pick([1_000, 10_000, 100_000, 1_000_000], [1_000, 10_000, 50_000])
by_size = scaling.measure_sizes(sizes, repeats=pick(7, 3))
fig, ax = plot_size_time(by_size, "the sum of the squares")

# %%
fig, ax = plot_size_memory(by_size, "the sum of the squares")

# %%
largest = scaling.at_size(by_size, max(sizes))
base = largest["list comprehension"]
for style, record in largest.items():
    print(
        f"{style:>21}: {record.seconds * 1000:7.2f} ms "
        f"({record.seconds / base.seconds:4.2f}x the list comprehension), "
        f"peak {record.peak_bytes / 1024:9,.1f} KiB"
    )

# %% [markdown]
# **What to notice.**
# - **Time** grows in proportion to the input for every style: parallel straight lines on the
#   log-log plot. The styles differ by a constant factor, printed above for the largest input.
# - **Memory** separates the styles into two families. The list comprehension's peak grows
#   with the input; the four lazy styles stay flat, at a few KiB at most: one item in flight.
#   `map` is in the lazy family, the notes' table notwithstanding.
# - Building the list is not free either: at the largest size, compare the list
#   comprehension's time with the generator expression's. Allocating and then freeing millions
#   of integers costs about what pausing and resuming a generator costs, so neither wins
#   by much. Pick by memory and by readability, not by speed.
#
# ## 4. "Often slower": when it is true
#
# The notes' verdict on `map`/`filter` was about speed. Six jobs, each written in every style
# that fits it, timed per item on the same data:

# %%
for case in styles.STYLE_CASES:
    print(f"{case.task:>20} | {case.style:<20} | {case.code}")

# %%
style_records = styles.measure_iteration_styles(pick(200_000, 20_000), repeats=pick(9, 5))
fig, ax = plot_iteration_styles(style_records)

# %%
for task, style, ratio in styles.style_ratios(style_records):
    verdict = timing.describe_ratio(ratio)
    print(f"{task:>20}: {style:<20} {ratio:4.2f}x the list comprehension's time ({verdict})")

# %% [markdown]
# **What to notice** (the ratios above are this machine's; the reasons hold everywhere):
# - **`map`/`filter` with a `lambda`** calls a Python function for every item: a new frame,
#   arguments passed, a return. The comprehension runs its expression inline, with no call.
#   Where those bars stand above the comprehension's, "often slower" is true, and it is the
#   `lambda` that is slow, not `map`.
# - **`map` with a built-in** (`float`, `str`, `pow`) or an **`operator` function**
#   (`itemgetter(1)`, `mul`) calls C code directly and runs no bytecode per item. Read their
#   ratios: where one says "faster" or "about the same", the notes' verdict fails for it.
#   Whether it wins depends on the function and the Python version (recent CPythons run calls
#   such as `str(x)` through fast paths inside comprehensions too).
# - **Generator expressions** are lazy, not fast: `list(... for ...)` pays a pause and a
#   resume per item on top of the comprehension's work.
#
# ### Try it
# Time `list(map(str.upper, words))` against `[w.upper() for w in words]` for
# `words = ["alpha", "beta", "gamma"] * 50_000`. `str.upper` is a method looked up on the
# class: a built-in function in disguise. Predict the winner first. (Answer:
# [tryit/08 § 2](../solutions/tryit/08_comprehensions.md#2-methods-as-functions).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Under the hood: 3.12 inlines comprehensions (PEP 709)
#
# Up to Python 3.11, a comprehension was compiled as a small hidden function, created and
# called each time the comprehension ran. PEP 709 (Python 3.12) compiles list, set and dict
# comprehensions **inline**, into the function that contains them. Generator expressions keep
# their hidden function: they must be able to pause, and only a frame of their own can. Which
# does the interpreter running this notebook do?

# %%
print(sys.version.split()[0], "| inlines comprehensions:", inlining.INLINED)
print(
    "code objects hidden inside squares_four_ways:",
    inlining.nested_code_names(inlining.squares_four_ways),
)

# %% [markdown]
# The code a comprehension runs in tells the same story:

# %%
print("a list comprehension runs in     :", [sys._getframe().f_code.co_name for _ in "x"][0])
print("a generator expression runs in   :", next(sys._getframe().f_code.co_name for _ in "x"))

# %% [markdown]
# On 3.11 the first line says `<listcomp>`, the hidden function; on 3.12 and later it says
# `<module>`, the code of this cell. The bytecode shows where the hidden function is made and
# called (`MAKE_FUNCTION`, then a call) before 3.12, and its absence after:

# %%
dis.dis(compile("[x * x for x in data]", "<cell>", "eval"), depth=0)

# %% [markdown]
# Making and calling that function is a fixed cost paid every time the comprehension runs,
# however few items it has. `measure_fixed_cost` times a comprehension, the same loop with
# `append`, and `list()` of a generator expression on short and long inputs:

# %%
costs = inlining.measure_fixed_cost(pick((0, 1, 10, 100, 1000), (0, 10, 1000)), repeats=pick(7, 3))
for record in costs:
    print(f"{record.items:>5} items | {record.form:<27} {record.ns_per_call:9,.0f} ns per call")

# %% [markdown]
# **What to notice.** Read the 0-item rows: that is the fixed cost alone. On 3.11 the
# comprehension's fixed cost is above the plain loop's, the price of its hidden function; with
# more items the comprehension pulls ahead, because each of its `append`s is one bytecode
# instruction instead of a method lookup and a call. Inlining removes the hidden function, which
# matters for short comprehensions run many times (a comprehension over three fields inside a
# loop over a million rows): run this cell on a 3.12+ interpreter to measure how much.
#
# What inlining does **not** change: the loop variable still does not leak out. What it does
# change: a comprehension no longer appears as a frame of its own in tracebacks and profiles.

# %%
squares = [never_leaks * never_leaks for never_leaks in range(3)]
print(squares, "| loop variable visible afterwards:", "never_leaks" in globals())

# %% [markdown]
# ## 6. `itertools`: lazy building blocks
#
# `itertools` holds lazy tools, written in C, that combine with generator expressions into
# pipelines. Five of them cover most needs.
#
# **`islice`** takes a slice of any iterator, endless ones included, and pulls only what the
# slice needs:

# %%
evens = (n for n in itertools.count() if n % 2 == 0)  # endless
print(
    list(itertools.islice(evens, 5)), "| then items 10 to 12:", list(itertools.islice(evens, 5, 8))
)

# %% [markdown]
# (The second `islice` skipped five more items first: `evens` had already given out five.)
#
# **`chain`** joins iterables end to end; `chain.from_iterable` does it for an iterable *of*
# iterables, which it pulls one at a time, so it flattens lazily:

# %%
print(list(itertools.chain([1, 2], (3, 4), range(5, 7))))
rows = ([i, i * 10] for i in range(3))
print(list(itertools.chain.from_iterable(rows)))

# %% [markdown]
# **`accumulate`** yields running results: sums by default, or any two-argument function:

# %%
deposits = [100, -30, 50, -200, 80]
print("balance :", list(itertools.accumulate(deposits)))
print("highest :", list(itertools.accumulate(deposits, max)))
print("from 500:", list(itertools.accumulate(deposits, operator.add, initial=500)))

# %% [markdown]
# **`groupby`** groups **consecutive** items with the same key. That one word is a trap: it
# does not gather equal keys from across the input, as SQL's `GROUP BY` does.

# %%
sales = [("tea", 3), ("coffee", 5), ("tea", 2), ("coffee", 1), ("tea", 4)]
first = operator.itemgetter(0)
unsorted_groups = [(k, sum(n for _, n in g)) for k, g in itertools.groupby(sales, key=first)]
print("without sorting:", unsorted_groups)
by_product = sorted(sales, key=first)
print(
    "sorted first   :",
    [(k, sum(n for _, n in g)) for k, g in itertools.groupby(by_product, key=first)],
)

# %% [markdown]
# Sorting first costs O(n log n) time and holds every item (`sorted` returns a list). When the
# input is already in key order, such as log lines in time order grouped by minute, `groupby`
# streams: it holds one group's key and one item at a time. When it is not, a `dict` or
# `Counter` that adds up as it goes needs no sorting at all:

# %%
totals = Counter()
for product, count in sales:
    totals[product] += count
print(dict(totals))

# %% [markdown]
# Each group `groupby` hands out is itself a lazy view on the shared input: use it before
# moving to the next group, or it is gone.

# %%
groups = list(itertools.groupby("aaabbc"))  # moving on to the next group empties the last
print([(key, list(group)) for key, group in groups])

# %% [markdown]
# **`batched`** (Python 3.12+) cuts a stream into tuples of `n`, for example to insert rows into
# a database a thousand at a time. The guard keeps this cell working on older Pythons:

# %%
if hasattr(itertools, "batched"):
    print(list(itertools.batched(range(7), 3)))
else:
    print(f"itertools.batched arrived in Python 3.12; this is {sys.version.split()[0]}.")
    print("The graded set of lesson 03 builds the same tool (chunked) from islice.")

# %% [markdown]
# **What to notice.** Each tool pulls from its input only what its output needs, so they chain
# without ever holding a whole stream. `itertools.pairwise` (3.10+) gives overlapping pairs,
# `(a, b), (b, c), ...`, for comparing neighbours.
#
# ### Try it
# With `groupby`, find the length of the longest run of equal consecutive items in
# `"aabbbbcaaad"` (answer: 4) in one expression. Then say why sorting first would give a wrong
# answer here. (Answer:
# [tryit/08 § 3](../solutions/tryit/08_comprehensions.md#3-the-longest-run).)

# %%
# Your experiment here.

# %% [markdown]
# ## 7. A lazy pipeline over a real file
#
# A file object is a lazy iterator over its lines: `for line in file` reads a buffer of a few
# KiB at a time and hands out one line. A pipeline built on it reads files of any size in
# constant memory. To see that, we need real files: `bigfile.write_log` writes made-up access
# logs of a given size into a temporary folder, one batch of lines at a time. Here are the
# first lines of a small one, read with `islice`:

# %%
folder = tempfile.TemporaryDirectory(prefix="advpy-08-")
workdir = Path(folder.name)
bigfile.write_log(workdir / "sample.log", 0.01)
with open(workdir / "sample.log") as sample:
    for line in itertools.islice(sample, 3):
        print(line, end="")

# %% [markdown]
# The job: bytes sent in server errors (status 500 and above), per path. Two versions, the
# same work in the same order, one with `readlines()` and list comprehensions, one streaming:

# %%
print(inspect.getsource(bigfile.lazy_error_bytes))

# %%
print(inspect.getsource(bigfile.eager_error_bytes))

# %% [markdown]
# Files of growing size, up to a few hundred MB (a few MB in fast mode). The eager version
# runs only on the smaller ones: on the largest it would need several GB.

# %%
megabytes = pick([1, 4, 16, 64, 256], [0.5, 1, 2, 4])
eager_up_to = pick(20, 5) * 1_000_000
paths = []
for mb in megabytes:
    path = workdir / f"access-{mb}MB.log"
    bigfile.write_log(path, mb)
    paths.append(path)
    print(f"wrote {path.name}: {path.stat().st_size / 1e6:7.1f} MB")

# %%
file_records, error_bytes = bigfile.measure_file_pipelines(paths, eager_up_to=eager_up_to)
for r in file_records:
    print(
        f"{r.approach:>5}, {r.file_bytes / 1e6:6.1f} MB file: "
        f"peak {r.peak_bytes / 1024:11,.1f} KiB, "
        f"{r.seconds:6.2f} s ({r.file_bytes / 1e6 / r.seconds:5.0f} MB/s)"
    )
print("error bytes per path in the largest file:", error_bytes)

# %%
fig, ax = plot_file_memory(file_records)

# %% [markdown]
# **What to notice.** The lazy pipeline's peak is the same few tens of KiB for every file: a
# read buffer, one line, one parsed record and the small dict of totals. The eager one holds
# the list of lines *and* the list of parsed records at once: several times the file's own size
# (the dotted line), because every line is a separate string object with its own header, and
# every record a tuple of objects. Both compute the same totals (`measure_file_pipelines`
# checks that). The lazy one was not slower either: it skips building and freeing the lists.
#
# Since the log is in time order, `groupby` counts requests per minute while streaming, and
# `chain` reads rotated logs (yesterday's `app.log.1`, then today's `app.log`) as one stream.
# The minute that straddles the two files comes out as one group, because `chain` hides the
# seam:

# %%
older_lines = bigfile.write_log(workdir / "app.log.1", pick(2, 0.5))
bigfile.write_log(workdir / "app.log", pick(2, 0.5), first=older_lines)
with open(workdir / "app.log.1") as older, open(workdir / "app.log") as newer:
    per_minute = bigfile.requests_per_minute(itertools.chain(older, newer))
    print(list(itertools.islice(per_minute, 2)))
    peak, minutes = peak_memory(lambda: list(per_minute))
print(f"{len(minutes)} more minutes counted, peak {peak / 1024:,.1f} KiB")
print("each minute once:", len(minutes) == len({minute for minute, _ in minutes}))
print("full minutes of 3000 requests:", sum(1 for _, n in minutes if n == 3000), "of", len(minutes))

# %%
folder.cleanup()
print("temporary folder removed:", not workdir.exists())

# %% [markdown]
# ### Try it
# Add a stage to the lazy pipeline that keeps the 10 slowest requests (the last field of each
# line is the time in milliseconds), with `heapq.nlargest(10, records, key=...)`. Measure its
# peak on two file sizes. Does it stay flat, unlike `sorted`? Why? (Answer:
# [tryit/08 § 4](../solutions/tryit/08_comprehensions.md#4-the-slowest-requests).)

# %%
# Your experiment here.

# %% [markdown]
# ## 8. The one-shot iterator trap
#
# A list can be read as many times as you like. An iterator (a generator, a `map`, a `filter`,
# a file) is used up by one pass, and afterwards it is silently empty: no error, just nothing.

# %%
prices = map(float, ["9.5", "20", "3.25"])
print("total:", sum(prices))
print("count:", len(list(prices)), "<- the first pass used it up")

# %% [markdown]
# The bug rarely looks this plain. It hides in a helper that reads its argument twice, which
# works with the list it was tested on and fails with the generator it meets in production:


# %%
def mean(values):
    return sum(values) / len(list(values))


print("list     :", mean([2.0, 4.0, 6.0]))
try:
    print("generator:", mean(v for v in [2.0, 4.0, 6.0]))
except ZeroDivisionError as error:
    print("generator: ZeroDivisionError:", error)

# %% [markdown]
# Membership tests consume too: `in` on an iterator pulls items until it finds a match, and
# they are gone:

# %%
ids = iter([3, 7, 11, 15])
print(7 in ids, 3 in ids, list(ids))

# %% [markdown]
# **What to notice.** Three fixes, by situation: compute everything in **one pass** (a loop
# that keeps a running sum *and* a count; the only way for input too large to keep); or
# **materialise** once with `list()` when it fits and is needed several times; or pass a
# **re-iterable** (a list, a `range`, an object whose `__iter__` returns a fresh iterator each
# time) instead of an iterator. A function can tell which it got: `iter(x) is x` is true for
# an iterator and false for a container. `itertools.tee` is rarely the answer: it buffers
# everything one copy has read and the other has not.
#
# ### Try it
# Fix `mean` so that it works on any iterable, including an endless stream cut by
# `itertools.islice`, without building a list. (Answer:
# [tryit/08 § 5](../solutions/tryit/08_comprehensions.md#5-one-pass-two-answers).)

# %%
# Your experiment here.

# %% [markdown]
# ## 9. Readability: rules of thumb
#
# - **One `for`, maybe one `if`.** Nested clauses read in the order of the equivalent nested
#   loops, left to right, which is the opposite of how many people first guess:

# %%
grid = [[1, 2, 3], [4, 5, 6]]
print([cell for row in grid for cell in row])  # for row in grid: for cell in row: ...
print([[cell * 10 for cell in row] for row in grid])  # a comprehension inside one

# %% [markdown]
# - **No side effects.** A comprehension builds a value. Run only for its effect, it builds a
#   list of `None`s to throw away; write a `for` loop.

# %%
thrown_away = [print(f"  sending {n}") for n in range(2)]
print(thrown_away)

# %% [markdown]
# - **Compute once with `:=`.** An expensive value needed by the filter and by the result can
#   be named in the condition (Python 3.8+):

# %%
words = ["Ada", "  ", "Grace ", "", " Linus"]
print([cleaned for w in words if (cleaned := w.strip())])

# %% [markdown]
# - **Name the steps.** Past about two clauses, a pipeline of named generator expressions, or
#   a generator function with ordinary statements, reads better than one long comprehension.
# - **`map`/`filter` when the function already exists** (`map(int, fields)`,
#   `filter(None, items)`), a comprehension when you would have to write a `lambda`.
#
# ## Pitfalls
#
# **A generator expression evaluates its first iterable at once, everything else later.**
# Errors in the `for ... in <this>` part show at creation; errors anywhere else only when
# items are pulled, possibly far away:

# %%
lazy_error = (1 / n for n in [1, 0])  # no error yet
print(next(lazy_error))
try:
    next(lazy_error)
except ZeroDivisionError:
    print("ZeroDivisionError at the second item, not where the expression was written")

# %% [markdown]
# **Late binding.** A comprehension's expression runs when the item is produced, so a lazy
# pipeline sees the values its names have *then*:

# %%
factor = 2
doubled = (n * factor for n in [1, 2, 3])
factor = 100
print(list(doubled))

# %% [markdown]
# **Class bodies are not enclosing scopes.** Inside a class body, a comprehension cannot see
# the class's names, except in its first `for ... in` part (3.12's inlining keeps this rule):

# %%
try:

    class Config:
        scale = 10
        limits = [n * scale for n in range(3)]

except NameError as error:
    print("NameError:", error)

# %% [markdown]
# **Changing a list while a lazy stage reads it.** A generator over a list reads the list as
# it is when each item is pulled: appending or removing items in between changes what it
# yields. Materialise first, or do not mutate what a pipeline is reading.
#
# ## Summary
#
# - List, set and dict comprehensions are eager; generator expressions, `map`, `filter`,
#   files and the `itertools` tools are lazy iterators that compute an item when it is pulled.
# - Measured: an eager list's peak memory grows with the input; a lazy pipeline feeding a
#   streaming consumer stays flat at a few KiB at most. Their times differ by a small
#   constant factor.
# - `map`/`filter` with a `lambda` pay a Python call per item and are slower than a
#   comprehension; with a built-in or an `operator` function they are about as fast or faster.
# - Python 3.12 inlines list, set and dict comprehensions (PEP 709), removing a fixed cost per
#   comprehension; generator expressions keep their own frame.
# - `islice`, `chain`, `accumulate`, `groupby` (consecutive keys only: sort first or use a
#   dict) and `batched` (3.12+) build pipelines that read files of any size in constant memory.
# - An iterator is good for one pass: compute in one pass, or materialise once.
#
# **Graded exercises:**
# [exercises/ps08_comprehensions.ipynb](exercises/ps08_comprehensions.ipynb): rewrite an eager
# log report as a one-pass lazy pipeline under a memory bound, aggregate with `groupby` without
# its trap, and write `flatten` and `windows` helpers that pull exactly what they must.
