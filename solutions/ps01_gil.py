# %% [markdown]
# # ps01 · Threads, processes and the GIL (20 points)
#
# Lesson 01 measured when threads help, when processes help, and what a process pool costs.
# Here you build the tools that turn those lessons into code: a process-pool `map` that keeps
# order and sends work in chunks, a speed-up table made from measured timings, and a function
# that picks the right executor for a described workload.
#
# **How this notebook is graded.** You write three functions, each in its own answer cell:
# `parallel_map` (Part A, 8 points), `speedup_table` (Part B, 6 points) and
# `choose_executor` (Part C, 6 points). The test cells below check them; each shows its
# points. Every test cell also holds **hidden tests** that run only when your instructor
# grades the notebook (Validate and `advpy check` run the visible ones):
# passing the visible asserts is necessary, not sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses, picks how Part A's pools start their
# worker processes, and defines the Workload record of Part C.
import multiprocessing
import os
from dataclasses import dataclass

from advpy.lessons.gil import pool_probes

#: Part A's start method: "spawn", on every operating system (Part A says why). Pass it to a
#: pool with `mp_context=POOL_CONTEXT`; it is also this notebook's default, so a pool opened
#: without it starts its workers the same way.
POOL_CONTEXT = multiprocessing.get_context("spawn")
multiprocessing.set_start_method("spawn", force=True)

#: Part C's rule of thumb: seconds it takes to send 1 MB of arguments to a worker process.
SHIP_SECONDS_PER_MB = 0.005


@dataclass(frozen=True)
class Workload:
    """A batch of independent tasks, described by what one task spends its time on."""

    tasks: int  # how many independent tasks there are
    compute_seconds: float  # seconds one task spends computing
    wait_seconds: float  # seconds one task spends waiting for the network or the disk
    releases_gil: bool = False  # its computing runs in C code that releases the GIL (NumPy...)
    payload_mb: float = 0.0  # megabytes of input data one task needs
    async_client: bool = False  # its I/O library has an asyncio version
    gil_enabled: bool = True  # the interpreter runs with the GIL on


# %% [markdown]
# ## Part A · `parallel_map` over processes, in order and in chunks
#
# *8 points, in four checks of 2.*
#
# `parallel_map(func, items, workers, chunksize)` runs `func(item)` for every item of the
# iterable `items` in a pool of `workers` **processes** and returns the results. The contract,
# which the hidden tests check and nothing beyond it:
#
# - the result is a new plain `list` of `func`'s results **in the order of `items`** (not the
#   order in which they finish); empty `items` gives `[]`; `items` may be any iterable (a
#   list, a `range`, a generator);
# - items are sent to the workers in **chunks of `chunksize` consecutive items** (the last
#   chunk may be shorter); all items of one chunk run in the same worker process;
# - `func` runs in worker processes, never in the notebook's own process, with at most
#   `workers` of them;
# - when `func` raises for an item, `parallel_map` raises that same exception (same type) to
#   its caller;
# - `workers < 1` or `chunksize < 1` raises `ValueError`;
# - the pool is shut down before `parallel_map` returns: no worker process that the call
#   started is left running;
# - the workers start with *spawn*: the setup cell makes it this notebook's default and names
#   it `POOL_CONTEXT` (pass `mp_context=POOL_CONTEXT` to say so in your code). So `func`,
#   every item and every result travel between processes by pickling and must be picklable.
#   A function pickles as its module and its name, and the worker imports it from there: a
#   function importable from a module works, a function defined in this notebook (a helper
#   of your own, a lambda) does not, because a worker cannot import the notebook.
#
# The tests give `func`s from `advpy.lessons.gil.pool_probes` (`square`, `pid`,
# `slow_pid`, `echo_after`, `fail_on_negative`) and items made of numbers, strings and
# tuples. Whatever else your `parallel_map` sends to the workers must be picklable too: wrap
# `func` in a helper defined in the notebook and every call fails.
#
# ```python
# >>> parallel_map(pool_probes.square, [1, 2, 3], workers=2, chunksize=1)
# [1, 4, 9]
# >>> parallel_map(pool_probes.square, range(6), workers=3, chunksize=4)
# [0, 1, 4, 9, 16, 25]
# >>> parallel_map(pool_probes.square, [], workers=2, chunksize=1)
# []
# >>> parallel_map(pool_probes.fail_on_negative, [1, -2], workers=2, chunksize=1)
# ProbeError: this item is negative          (raised in a worker, re-raised here)
# >>> parallel_map(pool_probes.square, [1], workers=0, chunksize=1)
# ValueError
# ```
#
# Why chunks: every message to a worker costs a pickle, a pipe write and a wake-up (lesson 01,
# section 6). Sending 4 items per message instead of 1 pays that cost a quarter as often.
#
# Why spawn: a start method decides how a worker process begins, and it is the part of a
# pool that differs most from one computer to the next. *fork* copies the notebook's
# whole process, functions defined in cells included, so code that sends such a function
# seems to work; but fork does not exist on Windows, is no longer the default on macOS
# (spawn is, since forking there is unsafe) nor on Linux from Python 3.14 (forkserver is).
# *forkserver* does not exist on Windows either. *spawn* exists everywhere and starts every
# worker as a fresh interpreter that imports what it needs: an answer that works here with
# spawn works on every computer, and one that does not fails here too, in the visible tests,
# instead of only on someone else's machine. Its price is a slower start (each worker
# imports Python's modules anew), which is why the tests keep their pools small.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `concurrent.futures` has a pool of processes whose `map` already keeps input order and takes
# a `chunksize`. What does its `map` return, and when do the results arrive?
# </details>
#
# <details><summary>Hint 2</summary>
#
# `Executor.map` returns an iterator; an exception from `func` is raised when you reach that
# result. Turn it into a list *inside* the `with` block that owns the pool, so that errors
# surface and the pool is shut down when the block ends.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# Check `workers` and `chunksize` first. Then open a `ProcessPoolExecutor` with
# `max_workers=workers` and `mp_context=POOL_CONTEXT`, in a `with` block, and return the
# `list` of its `map(func, items, chunksize=...)` from inside that block. Pass `func` itself
# to `map`, not a helper of your own that calls it.
# </details>


# %% nbgrader="solution" grade_id="parallel_map_answer"
def parallel_map(func, items, workers, chunksize):
    """Return [func(item) for item in items], computed by a pool of `workers` processes that
    receives the items in chunks of `chunksize` consecutive items."""
    ### BEGIN SOLUTION
    from concurrent.futures import ProcessPoolExecutor

    if workers < 1:
        raise ValueError("workers must be at least 1")
    if chunksize < 1:
        raise ValueError("chunksize must be at least 1")
    with ProcessPoolExecutor(max_workers=workers, mp_context=POOL_CONTEXT) as pool:
        return list(pool.map(func, items, chunksize=chunksize))
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
parallel_map(pool_probes.square, range(6), workers=3, chunksize=4)

# %% [markdown]
# ## Tests for Part A
#
# ### Check A1 · results, in input order (2 points)

# %% nbgrader="tests" grade_id="parallel_map_tests_results" points=2
"""parallel_map returns a plain list of func's results in input order, for any iterable."""
from advpy.checks import beside, expect, expect_list_of, expect_same


def results_of_the_examples():
    """Runs where your code runs: parallel_map's results on the three examples, or None when
    a worker process died before it could run func."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        first = parallel_map(pool_probes.square, [1, 2, 3], 2, 1)
    except BrokenProcessPool:
        return None
    return [
        first,
        parallel_map(pool_probes.square, range(6), 3, 4),
        parallel_map(pool_probes.square, [], 2, 1),
    ]


results = beside(results_of_the_examples)
expect(
    results is not None,
    "a worker process died before it could run func: does parallel_map send the workers "
    "something they cannot import, such as a function defined in this notebook? (Part A: "
    "with spawn, what travels to a worker must come from a module)",
)
result, result_of_range, result_of_empty = results
expect_list_of(result, int, "parallel_map must return a list of func's results")
expect_same(result, [1, 4, 9], "parallel_map(square, [1, 2, 3], workers=2, chunksize=1)", show=True)
expect_same(
    result_of_range,
    [0, 1, 4, 9, 16, 25],
    "parallel_map(square, range(6), workers=3, chunksize=4)",
    show=True,
)
expect_same(result_of_empty, [], "parallel_map(square, [], 2, 1)", show=True)
### BEGIN HIDDEN TESTS


def _hidden_results():
    # Runs where the answer runs: a longer range, a generator, and items whose first one takes
    # longest (results in the order they finish would come back shuffled).
    slow_first = [("a", 0.4), ("b", 0.0), ("c", 0.2), ("d", 0.0), ("e", 0.1), ("f", 0.0)]
    return [
        parallel_map(pool_probes.square, range(25), 3, 4),
        parallel_map(pool_probes.square, (x for x in range(-3, 4)), 2, 10),
        parallel_map(pool_probes.echo_after, slow_first, 2, 1),
    ]


_longer, _from_generator, _slow_first = beside(_hidden_results)
expect_same(
    _longer,
    [x * x for x in range(25)],
    "on a longer range the results differ from func applied to each item in order",
)
expect_same(
    _from_generator,
    [x * x for x in range(-3, 4)],
    "items given as a generator, with chunksize larger than the input, gave wrong results",
)
expect_same(
    _slow_first,
    ["a", "b", "c", "d", "e", "f"],
    "when early items take longer than later ones, the results must still come back in the "
    "order of the items, not in the order they finish",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · chunks of `chunksize` consecutive items (2 points)
# `pool_probes.slow_pid(x)` waits a moment and returns `(x, id of the process that ran it)`.
# All items of one chunk must show the same process. (This check reads the results in any
# order and from any iterable: the order and the list are Check A1's.)

# %% nbgrader="tests" grade_id="parallel_map_tests_chunks" points=2
"""Items travel in chunks of chunksize consecutive items, each chunk run by one process."""
from advpy.checks import beside, expect, expect_same


def chunk_pairs(count, workers, size):
    """Runs where your code runs: the (item, process id) pairs of slow_pid over range(count)
    with that many workers and chunks of that size."""
    return list(parallel_map(pool_probes.slow_pid, range(count), workers, size))


def _chunks_in_one_process(pairs, count, size):
    """True when items [k*size, (k+1)*size) all ran in the same process, for every k."""
    process_of = dict(pairs)
    chunks = [range(start, min(start + size, count)) for start in range(0, count, size)]
    return all(len({process_of[i] for i in chunk}) == 1 for chunk in chunks)


pairs = beside(chunk_pairs, 8, 2, 4)
expect_same(
    sorted(x for x, _ in pairs), list(range(8)), "the items slow_pid's results are for", show=True
)
expect(
    _chunks_in_one_process(pairs, 8, 4),
    "with chunksize=4, items 0-3 (and 4-7) must each run in one worker process, one after "
    "the other; they ran in different processes: pass chunksize on to the pool",
)
### BEGIN HIDDEN TESTS
for _count, _workers, _size in ((12, 2, 3), (23, 3, 5)):
    _pairs = beside(chunk_pairs, _count, _workers, _size)
    expect(
        _chunks_in_one_process(_pairs, _count, _size),
        "a chunk of consecutive items was split between processes: every chunk of chunksize "
        "items (the last one may be shorter) must run in a single worker",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · really several processes, and none left behind (2 points)

# %% nbgrader="tests" grade_id="parallel_map_tests_processes" points=2
"""func runs in 2 up to `workers` worker processes, never here; no process it started outlives
the call."""
from advpy.checks import beside, expect


def processes_of_calls(calls):
    """Runs where your code runs: for each (items, workers), the ids of the processes that ran
    slow_pid over range(items); the id of the process your code runs in; and how many
    processes that the calls started were still running after them."""
    import multiprocessing
    import os

    running_before = set(multiprocessing.active_children())  # pools you left open are not counted
    pids = [
        {pid for _, pid in parallel_map(pool_probes.slow_pid, range(items), workers, 1)}
        for items, workers in calls
    ]
    still_running = [
        child for child in multiprocessing.active_children() if child not in running_before
    ]
    return {"pids": pids, "here": os.getpid(), "still running": len(still_running)}


seen = beside(processes_of_calls, [(16, 2)])
pids = seen["pids"][0]
expect(
    seen["here"] not in pids,
    "func ran in the notebook's own process: parallel_map must run it in worker processes "
    "(threads or a plain loop run it here, under the same GIL)",
)
expect(
    len(pids) == 2,
    f"16 slow items with workers=2 ran in {len(pids)} process(es); expected both workers to take "
    "part, and no more processes than workers",
)
expect(
    seen["still running"] == 0,
    "worker processes that parallel_map started were still running after it returned: shut "
    "the pool down (a `with` block does it) before returning",
)
### BEGIN HIDDEN TESTS
_seen = beside(processes_of_calls, [(9, 3), (4, 1)])
_pids = _seen["pids"][0]
expect(_seen["here"] not in _pids, "func must never run in the notebook's own process")
expect(
    2 <= len(_pids) <= 3,
    "with 3 workers and several slow items, between 2 and 3 worker processes should take part "
    "(never more processes than workers)",
)
_pids = _seen["pids"][1]
expect(
    len(_pids) == 1 and _seen["here"] not in _pids,
    "with workers=1 exactly one worker process (not the notebook's) must run every item",
)
expect(
    _seen["still running"] == 0,
    "worker processes outlived a parallel_map call: the pool must be shut down before returning",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A4 · errors reach the caller; bad arguments are refused (2 points)

# %% nbgrader="tests" grade_id="parallel_map_tests_errors" points=2
"""func's exception reaches the caller with its own type; workers or chunksize < 1 raise
ValueError."""
from advpy.checks import beside, expect


def errors_raised(calls):
    """Runs where your code runs: for each call (the name of a pool_probes function, items,
    workers, chunksize), the class of the exception parallel_map raised, or that reading its
    results raised, or None if neither did. (That the results come as a list is Check A1's.)"""

    def error_from(func, items, workers, chunksize):
        try:
            list(parallel_map(func, items, workers, chunksize))
        except Exception as error:
            if type(error) is pool_probes.ProbeError or type(error) is ValueError:
                return type(error).__name__
            return f"{type(error).__name__} (neither ProbeError nor ValueError)"
        return None

    return [
        error_from(getattr(pool_probes, name), items, workers, chunksize)
        for name, items, workers, chunksize in calls
    ]


error, error_of_no_workers = beside(
    errors_raised, [("fail_on_negative", [1, -2, 3], 2, 1), ("square", [1, 2], 0, 1)]
)
expect(
    error is not None,
    "parallel_map(fail_on_negative, [1, -2, 3], 2, 1) returned instead of raising: let the "
    "worker's exception reach the caller",
)
expect(
    error == "ProbeError",
    f"parallel_map(fail_on_negative, [1, -2, 3], 2, 1) raised {error}; expected the ProbeError "
    "that func raised, unchanged",
)
expect(
    error_of_no_workers == "ValueError",
    "parallel_map(square, [1, 2], workers=0, chunksize=1) must raise ValueError",
)
### BEGIN HIDDEN TESTS


def _error_from_a_generator():
    # Runs where the answer runs: func raises for an item that comes from a generator.
    try:
        list(parallel_map(pool_probes.fail_on_negative, (x for x in [2, -1]), 1, 1))
    except Exception as error:
        return type(error) is pool_probes.ProbeError
    return False


_errors = beside(
    errors_raised,
    [
        ("fail_on_negative", [0, 1, 2, 3, 4, -5, 6], 2, 3),
        ("square", [1, 2, 3], 1, 0),
        ("square", [1, 2, 3], 2, -1),
        ("square", [1, 2, 3], -3, 2),
    ],
)
expect(
    _errors[0] == "ProbeError",
    "an exception raised by func for an item in a later chunk must reach the caller unchanged",
)
expect(
    beside(_error_from_a_generator) is True,
    "an exception raised by func must reach the caller also when items is a generator",
)
for _error in _errors[1:]:
    expect(
        _error == "ValueError",
        "workers < 1 or chunksize < 1 must raise ValueError (some pools accept a chunksize "
        "of 0 or less and quietly return nothing: check the arguments yourself)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · a speed-up table from measured timings
#
# *6 points, in three checks of 2.*
#
# Lesson 01 timed the same job with 1, 2, 3... workers. `speedup_table(timings)` turns such
# measurements into the numbers you compare: `timings` maps a worker count to the measured
# wall time of the whole job, in seconds. The contract:
#
# - the result is a new `list` with one `dict` per entry of `timings`, **sorted by worker
#   count**, each with exactly the keys `"workers"` (an `int`), `"seconds"`, `"speedup"` and
#   `"efficiency"` (three `float`s, also when the times were given as `int`s);
# - `speedup = t1 / t` where `t1` is the time with **1 worker** (the baseline, wherever it
#   is in the dict) and `t` this entry's time; `efficiency = speedup / workers`;
# - `timings` is not changed;
# - `ValueError` when `timings` has no entry for 1 worker, has a worker count below 1, or a
#   time that is not positive.
#
# ```python
# >>> speedup_table({1: 8.0, 2: 4.0, 4: 2.5})
# [{'workers': 1, 'seconds': 8.0, 'speedup': 1.0, 'efficiency': 1.0},
#  {'workers': 2, 'seconds': 4.0, 'speedup': 2.0, 'efficiency': 1.0},
#  {'workers': 4, 'seconds': 2.5, 'speedup': 3.2, 'efficiency': 0.8}]
# >>> speedup_table({2: 3, 1: 3})              # int times, keys in any order
# [{'workers': 1, 'seconds': 3.0, 'speedup': 1.0, 'efficiency': 1.0},
#  {'workers': 2, 'seconds': 3.0, 'speedup': 1.0, 'efficiency': 0.5}]
# >>> speedup_table({2: 1.0})                  # no baseline
# ValueError
# ```
#
# Floats are compared with a relative tolerance of 10⁻⁹, so `t1 / t / w` and
# `t1 / (t * w)` are both fine.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# Check the input first, then walk `sorted(timings.items())`: sorting pairs sorts by worker
# count.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `float(seconds)` turns an `int` time into a `float`; `t1 / t` is already a float in Python 3.
# </details>


# %% nbgrader="solution" grade_id="speedup_table_answer"
def speedup_table(timings):
    """Return [{"workers", "seconds", "speedup", "efficiency"}, ...] sorted by workers, where
    speedup = time with 1 worker / time and efficiency = speedup / workers."""
    ### BEGIN SOLUTION
    if 1 not in timings:
        raise ValueError("timings needs the time with 1 worker, the baseline")
    if any(workers < 1 for workers in timings):
        raise ValueError("worker counts must be at least 1")
    if any(not seconds > 0 for seconds in timings.values()):
        raise ValueError("times must be positive")
    baseline = float(timings[1])
    rows = []
    for workers, seconds in sorted(timings.items()):
        speedup = baseline / seconds
        rows.append(
            {
                "workers": workers,
                "seconds": float(seconds),
                "speedup": speedup,
                "efficiency": speedup / workers,
            }
        )
    return rows
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
speedup_table({1: 8.0, 2: 4.0, 4: 2.5})

# %% [markdown]
# ## Tests for Part B
#
# ### Check B1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="speedup_table_tests_examples" points=2
"""speedup_table gives the worked examples' rows, as a list of dicts with float numbers."""
from advpy.checks import describe, expect, same


def _expect_rows(actual, expected, message, show=False):
    if not same(actual, expected, rel_tol=1e-9):
        if show:
            message += (
                f"\n  returned: {describe(actual, 600)}\n  expected: {describe(expected, 600)}"
            )
        raise AssertionError(message)


_expect_rows(
    speedup_table({1: 8.0, 2: 4.0, 4: 2.5}),
    [
        {"workers": 1, "seconds": 8.0, "speedup": 1.0, "efficiency": 1.0},
        {"workers": 2, "seconds": 4.0, "speedup": 2.0, "efficiency": 1.0},
        {"workers": 4, "seconds": 2.5, "speedup": 3.2, "efficiency": 0.8},
    ],
    "speedup_table({1: 8.0, 2: 4.0, 4: 2.5})",
    show=True,
)
### BEGIN HIDDEN TESTS
_expect_rows(
    speedup_table({1: 1.2, 2: 0.7, 3: 0.55, 4: 0.6}),
    [
        {"workers": 1, "seconds": 1.2, "speedup": 1.0, "efficiency": 1.0},
        {"workers": 2, "seconds": 0.7, "speedup": 1.2 / 0.7, "efficiency": 1.2 / 0.7 / 2},
        {"workers": 3, "seconds": 0.55, "speedup": 1.2 / 0.55, "efficiency": 1.2 / 0.55 / 3},
        {"workers": 4, "seconds": 0.6, "speedup": 2.0, "efficiency": 0.5},
    ],
    "a table of four measurements gave wrong rows: speed-up is the 1-worker time divided by "
    "this row's time, and efficiency is the speed-up divided by the worker count",
)
_expect_rows(
    speedup_table({1: 2.0, 2: 2.5}),
    [
        {"workers": 1, "seconds": 2.0, "speedup": 1.0, "efficiency": 1.0},
        {"workers": 2, "seconds": 2.5, "speedup": 0.8, "efficiency": 0.4},
    ],
    "when more workers are slower (threads on pure Python) the speed-up must fall below 1",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · the contract: order, types, input untouched, bad input refused (2 points)

# %% nbgrader="tests" grade_id="speedup_table_tests_contract" points=2
"""Rows sorted by workers; float numbers from int times; input unchanged; ValueError cases."""
from advpy.checks import describe, expect, same

_rows = speedup_table({2: 3, 1: 3})
_expected = [
    {"workers": 1, "seconds": 3.0, "speedup": 1.0, "efficiency": 1.0},
    {"workers": 2, "seconds": 3.0, "speedup": 1.0, "efficiency": 0.5},
]
expect(
    same(_rows, _expected, rel_tol=1e-9),
    "speedup_table({2: 3, 1: 3}): rows must be sorted by workers and the numbers must be "
    f"floats\n  returned: {describe(_rows, 600)}\n  expected: {describe(_expected, 600)}",
)
try:
    speedup_table({2: 1.0})
    _raised = None
except Exception as error:
    _raised = error
expect(type(_raised) is ValueError, "speedup_table({2: 1.0}) must raise ValueError: no baseline")
### BEGIN HIDDEN TESTS
_timings = {4: 1.0, 1: 3.0, 3: 1.5, 2: 2.0}
_snapshot = dict(_timings)
_rows = speedup_table(_timings)
expect(
    same([row["workers"] for row in _rows], [1, 2, 3, 4]) if type(_rows) is list else False,
    "rows must come sorted by worker count whatever the order of the dict's keys",
)
expect(
    same(_timings, _snapshot) and list(_timings) == list(_snapshot),
    "speedup_table changed the timings dict it was given",
)
try:  # the same timings in ascending order must give the same rows
    _same_rows = same(_rows, speedup_table({1: 3.0, 2: 2.0, 3: 1.5, 4: 1.0}), 1e-9)
except TypeError:  # rows holding something other than plain values
    _same_rows = False
expect(
    _same_rows,
    "the rows changed with the order of the dict's entries: the baseline is the time with "
    "1 worker, wherever that entry is in the dict",
)
expect(
    same(
        speedup_table({1: 5}), [{"workers": 1, "seconds": 5.0, "speedup": 1.0, "efficiency": 1.0}]
    ),
    "a single 1-worker entry given as an int must give one row of floats",
)
for _bad in ({}, {0: 1.0, 1: 1.0}, {1: 1.0, 2: 0.0}, {1: -2.0, 2: 1.0}, {1: 1.0, -1: 1.0}):
    try:
        speedup_table(_bad)
        _raised = None
    except Exception as error:
        _raised = error
    expect(
        type(_raised) is ValueError,
        "a dict with no 1-worker entry, a worker count below 1 or a time that is not positive "
        "must raise ValueError",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · many random tables against a reference (2 points)
# The formulas on hundreds of tables. Their times are floats and their worker counts come in
# ascending order: int times, the order of the entries and the baseline's place are Check
# B2's.

# %% nbgrader="tests" grade_id="speedup_table_tests_random" points=2
"""speedup_table agrees with a reference on hundreds of seeded random timings (float times,
worker counts in ascending order)."""
from advpy.checks import describe, expect, same

_rows = speedup_table({1: 1.0, 8: 0.25})
_expected = [
    {"workers": 1, "seconds": 1.0, "speedup": 1.0, "efficiency": 1.0},
    {"workers": 8, "seconds": 0.25, "speedup": 4.0, "efficiency": 0.5},
]
expect(
    same(_rows, _expected, rel_tol=1e-9),
    "speedup_table({1: 1.0, 8: 0.25}): 8 workers, 4 times faster, is an efficiency of 0.5"
    f"\n  returned: {describe(_rows, 600)}\n  expected: {describe(_expected, 600)}",
)
### BEGIN HIDDEN TESTS
import random


def _reference_table(timings):
    base = timings[1]
    return [
        {"workers": w, "seconds": float(t), "speedup": base / t, "efficiency": base / t / w}
        for w, t in sorted(timings.items())
    ]


_rng = random.Random(2024)
for _case in range(300):
    _counts = [1] + sorted(_rng.sample(range(2, 33), _rng.randint(0, 6)))
    _timings = {w: _rng.uniform(0.01, 30.0) for w in _counts}
    expect(
        same(speedup_table(dict(_timings)), _reference_table(_timings), rel_tol=1e-9),
        "on random timings the rows differ from the reference: check both formulas (speed-up "
        "is the 1-worker time divided by the row's time, efficiency is the speed-up divided "
        "by the worker count)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · choose the executor for a workload
#
# *6 points, in three checks of 2.*
#
# `choose_executor(workload)` takes a `Workload` (defined in the setup cell) and returns one
# of the strings `"sequential"`, `"threads"`, `"processes"` or `"asyncio"`, by these rules,
# applied in this order:
#
# 1. fewer than 2 tasks → `"sequential"` (there is nothing to run side by side);
# 2. a task waits longer than it computes (`wait_seconds > compute_seconds`) →
#    `"asyncio"` if its I/O library has an asyncio version (`async_client`), else `"threads"`;
# 3. otherwise it is computing: if that computing releases the GIL (`releases_gil`) or the
#    interpreter runs without the GIL (`gil_enabled` is false) → `"threads"`;
# 4. otherwise (pure Python with the GIL on), if shipping a task's input to a process costs
#    at least as long as computing it (`payload_mb * SHIP_SECONDS_PER_MB >= compute_seconds`)
#    → `"sequential"`;
# 5. otherwise → `"processes"`.
#
# Each rule is one of lesson 01's measurements: waiting threads release the GIL (section 4);
# pure-Python threads take turns (section 3) unless the GIL is released (section 5) or gone
# (section 8); and a process pool pays for every megabyte it ships (section 6). Coroutines
# overlap waits as threads do and are much lighter than threads (lesson 03 puts them to
# work), so when the I/O library speaks asyncio they are the tool of choice.
#
# **Rule 2 is meant for tasks whose waiting dominates.** It only asks which of the two is
# larger, so a task that computes 0.9 s and waits 1.0 s goes to `"asyncio"` or `"threads"`,
# and its computing still blocks. With threads, each task holds the GIL for 0.9 s of its
# 1.9 s, and those parts take turns as in section 3; on an event loop, a coroutine that
# computes for 0.9 s stops every other coroutine meanwhile (lesson 03, section 6). When a
# task both computes and waits a lot, a real system splits it: the computing goes to a pool
# of processes and the waiting stays with asyncio (`await loop.run_in_executor(pool,
# compute, data)` between the awaits that wait). Such a hybrid is not one of the four
# answers here: `choose_executor` follows the five rules exactly as written, and so do the
# tests.
#
# ```python
# >>> choose_executor(Workload(tasks=500, compute_seconds=0.001, wait_seconds=0.2))  # downloads
# 'threads'
# >>> choose_executor(Workload(500, 0.001, 0.2, async_client=True))     # ... with an async client
# 'asyncio'
# >>> choose_executor(Workload(tasks=8, compute_seconds=2.0, wait_seconds=0.0))  # pure Python
# 'processes'
# >>> choose_executor(Workload(8, 2.0, 0.0, releases_gil=True))                  # NumPy
# 'threads'
# >>> choose_executor(Workload(tasks=1, compute_seconds=30.0, wait_seconds=0.0))
# 'sequential'
# ```


# %% nbgrader="solution" grade_id="choose_executor_answer"
def choose_executor(workload):
    """Return "sequential", "threads", "processes" or "asyncio" for the workload, by the rules
    of Part C, applied in order."""
    ### BEGIN SOLUTION
    if workload.tasks < 2:
        return "sequential"
    if workload.wait_seconds > workload.compute_seconds:
        return "asyncio" if workload.async_client else "threads"
    if workload.releases_gil or not workload.gil_enabled:
        return "threads"
    if workload.payload_mb * SHIP_SECONDS_PER_MB >= workload.compute_seconds:
        return "sequential"
    return "processes"
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
choose_executor(Workload(tasks=500, compute_seconds=0.001, wait_seconds=0.2))

# %% [markdown]
# ## Tests for Part C
#
# ### Check C1 · workloads that mostly wait (2 points)

# %% nbgrader="tests" grade_id="choose_executor_tests_waiting" points=2
"""Waiting workloads: asyncio with an asyncio client, threads with a blocking one."""
from advpy.checks import expect_same

pages = Workload(tasks=500, compute_seconds=0.001, wait_seconds=0.2)
expect_same(choose_executor(pages), "threads", "500 page downloads, blocking client", show=True)
expect_same(
    choose_executor(Workload(500, 0.001, 0.2, async_client=True)),
    "asyncio",
    "500 page downloads with an asyncio client",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    choose_executor(Workload(tasks=40, compute_seconds=0.02, wait_seconds=0.5, payload_mb=50.0)),
    "threads",
    "Reading big files from a network disk with a blocking library: each task mostly waits, "
    "and a waiting thread releases the GIL, so threads overlap the waits. The payload size "
    "does not matter here: threads share memory and ship nothing.",
)
expect_same(
    choose_executor(
        Workload(10_000, 0.0005, 0.05, async_client=True, releases_gil=True, gil_enabled=False)
    ),
    "asyncio",
    "Ten thousand small API calls with an asyncio client: the tasks mostly wait, and thousands "
    "of waits are cheapest as coroutines on one event loop, whatever the GIL does.",
)
expect_same(
    choose_executor(Workload(tasks=3, compute_seconds=0.1, wait_seconds=0.3, gil_enabled=False)),
    "threads",
    "A few blocking database queries that wait longer than they compute: rule 2 (waiting) comes "
    "before any rule about computing.",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · workloads that mostly compute (2 points)

# %% nbgrader="tests" grade_id="choose_executor_tests_computing" points=2
"""Computing workloads: processes for pure Python under the GIL, threads when it is released."""
from advpy.checks import expect_same

simulation = Workload(tasks=8, compute_seconds=2.0, wait_seconds=0.0)
expect_same(choose_executor(simulation), "processes", "8 pure-Python simulations", show=True)
expect_same(
    choose_executor(Workload(8, 2.0, 0.0, releases_gil=True)),
    "threads",
    "8 NumPy computations that release the GIL",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    choose_executor(Workload(tasks=64, compute_seconds=0.5, wait_seconds=0.0, gil_enabled=False)),
    "threads",
    "Pure-Python computing on an interpreter running without the GIL (a free-threaded build): "
    "threads run on all cores at once and ship nothing, so they beat processes.",
)
expect_same(
    choose_executor(Workload(16, 0.3, 0.01, releases_gil=True, payload_mb=400.0)),
    "threads",
    "Compressing big buffers with zlib, which releases the GIL: threads run in parallel and "
    "share the buffers; the cost of shipping them only matters for processes.",
)
expect_same(
    choose_executor(Workload(tasks=1000, compute_seconds=0.05, wait_seconds=0.001, payload_mb=1)),
    "processes",
    "Parsing a thousand files in pure Python while the GIL is on: threads would take turns, "
    "and shipping 1 MB costs less than the computing, so processes win.",
)
expect_same(
    choose_executor(Workload(tasks=4, compute_seconds=0.2, wait_seconds=0.2, payload_mb=0.5)),
    "processes",
    "A task that waits exactly as long as it computes is not waiting longer (rule 2 needs "
    "wait_seconds > compute_seconds), so the computing rules apply.",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · small batches and shipping costs (2 points)
# Rules 1, 4 and 5, with hundreds of random workloads that mostly compute in pure Python with
# the GIL on. Waiting workloads are Check C1's, the GIL's exceptions Check C2's.

# %% nbgrader="tests" grade_id="choose_executor_tests_edge" points=2
"""Fewer than 2 tasks, inputs too costly to ship, and rules 1, 4 and 5 on random workloads
that compute in pure Python with the GIL on."""
from advpy.checks import expect_same, expect_type

result = choose_executor(Workload(tasks=1, compute_seconds=30.0, wait_seconds=0.0))
expect_type(result, str, "choose_executor must return a string")
expect_same(result, "sequential", "a single 30-second pure-Python task", show=True)
### BEGIN HIDDEN TESTS
expect_same(
    choose_executor(Workload(tasks=1, compute_seconds=0.0, wait_seconds=5.0, async_client=True)),
    "sequential",
    "One task alone, even a waiting one, has nothing to overlap with: rule 1 comes first.",
)
expect_same(
    choose_executor(Workload(tasks=0, compute_seconds=1.0, wait_seconds=0.0)),
    "sequential",
    "An empty batch has nothing to run side by side.",
)
expect_same(
    choose_executor(Workload(tasks=200, compute_seconds=0.01, wait_seconds=0.0, payload_mb=20)),
    "sequential",
    "Pure-Python tasks whose input takes longer to ship to a process than to compute: the "
    "pool would spend its time pickling and piping, and threads only take turns.",
)
expect_same(
    choose_executor(Workload(tasks=50, compute_seconds=0.4, wait_seconds=0.1, payload_mb=100)),
    "sequential",
    "Pure-Python tasks with a 100 MB input each: shipping it to a process would cost more than "
    "the computing saves, so neither a pool of processes nor threads (taking turns) helps.",
)
expect_same(
    choose_executor(Workload(tasks=8, compute_seconds=0.01, wait_seconds=0.0, payload_mb=2.0)),
    "sequential",
    "Shipping that costs exactly as long as the computing already rules processes out: rule 4 "
    "says 'at least as long' (>=), not 'longer'.",
)
import random


def _reference_choice(w):
    if w.tasks < 2:
        return "sequential"
    if w.wait_seconds > w.compute_seconds:
        return "asyncio" if w.async_client else "threads"
    if w.releases_gil or not w.gil_enabled:
        return "threads"
    if w.payload_mb * SHIP_SECONDS_PER_MB >= w.compute_seconds:
        return "sequential"
    return "processes"


_rng = random.Random(101)
for _case in range(400):
    _compute = _rng.choice([0.001, 0.01, 0.1, 1.0])
    _workload = Workload(
        tasks=_rng.choice([0, 1, 2, 3, 10, 1000]),
        compute_seconds=_compute,
        wait_seconds=_compute * _rng.choice([0.0, 0.0, 0.1, 0.5]),  # less than the computing
        payload_mb=_rng.choice([0.0, 0.1, 1.0, 10.0, 100.0, 1000.0]),
        async_client=_rng.random() < 0.5,
    )
    expect_same(
        choose_executor(_workload),
        _reference_choice(_workload),
        "on random pure-Python workloads that mostly compute, the choice differs from rules "
        "1, 4 and 5: fewer than 2 tasks is sequential; otherwise shipping that costs at least "
        "as long as the computing is sequential, and cheaper shipping is processes",
    )
### END HIDDEN TESTS
