# %% [markdown]
# # ps03 · Generators and async: chunks, bounded concurrency, timeouts (20 points)
#
# Three small tools that real backends need, each a direct use of
# [03 · Generators and async](../03_generators_async.ipynb):
#
# - **Part A** · `chunked(iterable, size)`: split any stream, even an endless one, into chunks
#   of `size` items, lazily (7 points);
# - **Part B** · `bounded_gather(coros, limit)`: run many coroutines concurrently but never more
#   than `limit` at once, results in order (7 points);
# - **Part C** · `with_timeout(coro, seconds, default)`: give a coroutine a deadline and cancel
#   it cleanly when it misses it (6 points).
#
# **How this notebook is graded.** You write one function per part, in its answer cell. The
# test cells below each part check it and show their points. Every test cell also holds
# **hidden tests** that run only when your instructor grades the notebook (Validate and `advpy
# check` run the visible ones): passing the visible checks is necessary, not
# sufficient. Test cells use `await` at the top level, as any notebook cell may.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the instruments the tests
# use too. Try them in the scratch cells.
import asyncio
import inspect
import itertools

from advpy.checks import time_limit


class TooManyPulls(RuntimeError):
    """Raised by a PullCounter asked for more items than its limit."""


class PullCounter:
    """An iterator over `items` (0, 1, 2, ... without end if not given) that counts how many
    items were pulled from it. With `limit`, pulling more than `limit` items raises TooManyPulls
    instead of going on forever."""

    def __init__(self, items=None, limit=None):
        self._source = itertools.count() if items is None else iter(items)
        self.limit = limit
        self.pulled = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.limit is not None and self.pulled >= self.limit:
            raise TooManyPulls(f"more than {self.limit} items were pulled")
        item = next(self._source)
        self.pulled += 1
        return item


def take(iterable, n, seconds=5):
    """The first `n` items of `iterable` as a list (fewer if it ends first). Fails with
    TimeLimitExceeded if producing them takes more than `seconds`."""
    with time_limit(seconds):
        return list(itertools.islice(iterable, n))


class ConcurrencyProbe:
    """Makes coroutines that record how many of them are running at the same moment."""

    def __init__(self):
        self.running = 0
        self.peak = 0

    async def job(self, value, seconds=0.01):
        """Wait `seconds`, then return `value`; counts as running meanwhile."""
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(seconds)
        finally:
            self.running -= 1
        return value


async def run_briefly(awaitable, seconds=10):
    """Await `awaitable` and return its result; fail with a clear message if it is still not
    finished after `seconds` (then it is cancelled)."""
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        await asyncio.wait({task}, timeout=1)
        raise AssertionError(f"not finished after {seconds} s: does something wait forever?")
    return task.result()


# %% [markdown]
# ## Part A · `chunked`: lazy chunks of any stream
#
# A job that uploads a huge export in batches of 500 rows, or inserts an endless stream of
# events into a database 100 at a time, needs the same tool: cut an iterable into consecutive
# chunks of `size` items, **without reading more of it than the chunk needs**. Write
# `chunked(iterable, size)`.
#
# | call | chunks |
# |---|---|
# | `chunked([1, 2, 3, 4, 5, 6, 7], 3)` | `(1, 2, 3)`, `(4, 5, 6)`, `(7,)` |
# | `chunked("abcd", 2)` | `("a", "b")`, `("c", "d")` |
# | `chunked([], 3)` | nothing |
# | `chunked(itertools.count(), 2)` | `(0, 1)`, `(2, 3)`, `(4, 5)`, ... without end |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `iterable` is any iterable: a list, a string, a range, a generator, an endless iterator.
#   `size` is an int.
# - `chunked` returns an **iterator** (`next()` works on it; a generator is one) whose items
#   are plain **tuples** of `size` consecutive items of the input, in order. The last tuple
#   may be shorter; an empty tuple is never produced.
# - It is **lazy**: calling `chunked` pulls nothing from the input, and producing a chunk pulls
#   exactly the items of that chunk (plus, at the very end, the one failed pull that shows the
#   input is exhausted). So it works on endless iterators.
# - `size < 1` raises `ValueError` **when `chunked` is called**, not later when the first
#   chunk is asked for.
#
# The tests count pulls with a `PullCounter` (see the setup cell) and stop an answer that
# tries to read an endless input to the end.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `itertools.islice(iterator, size)` gives at most the next `size` items of an iterator, and
# pulls no more than that. Call `iter()` on the input once, so that every chunk continues where
# the previous one stopped.
# </details>
#
# <details><summary>Hint 2 (the ValueError)</summary>
#
# The body of a generator function runs only at the first `next()`, checks included. To raise
# at the call, make `chunked` a plain function that checks `size` and then returns a generator
# (from an inner generator function, or a generator expression).
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# After the check: `items = iter(iterable)`, then an inner generator that repeats
# `chunk = tuple(itertools.islice(items, size))` and yields it until `chunk` is empty.
# </details>


# %% nbgrader="solution" grade_id="chunked_answer"
def chunked(iterable, size):
    """Return an iterator over tuples of `size` consecutive items of `iterable` (the last may be
    shorter), pulling each item only when its chunk is produced. Raise ValueError at once if
    size < 1."""
    ### BEGIN SOLUTION
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    items = iter(iterable)

    def chunks():
        while chunk := tuple(itertools.islice(items, size)):
            yield chunk

    return chunks()
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
source = PullCounter(limit=100)
pieces = chunked(source, 3)
print(next(pieces), "pulled so far:", source.pulled)

# %% [markdown]
# ### Check A1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="chunked_tests_examples" points=2
"""chunked gives the worked examples' chunks: tuples in order, the last one possibly shorter."""
from advpy.checks import expect_same

expect_same(
    take(chunked([1, 2, 3, 4, 5, 6, 7], 3), 10),
    [(1, 2, 3), (4, 5, 6), (7,)],
    "the chunks of chunked([1, 2, 3, 4, 5, 6, 7], 3)",
    show=True,
)
expect_same(
    take(chunked("abcd", 2), 10),
    [("a", "b"), ("c", "d")],
    'the chunks of chunked("abcd", 2)',
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import time_limit as _time_limit


def _first(iterable, count):
    with _time_limit(5):
        return list(itertools.islice(iterable, count))


expect_same(
    _first(chunked(range(10), 4), 50),
    [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9)],
    "the chunks of a range must be tuples of up to `size` items, in input order",
)
expect_same(
    _first(chunked([None, 0, "", None, False], 3), 50),
    [(None, 0, ""), (None, False)],
    "items such as None, 0, '' and False must be kept like any other item",
)
expect_same(
    _first(chunked(iter([5, 6, 7, 8, 9]), 2), 50),
    [(5, 6), (7, 8), (9,)],
    "chunked must accept an iterator (not only a list) and cut it the same way",
)
expect_same(
    _first(chunked([[1], [2], [3]], 2), 50),
    [([1], [2]), ([3],)],
    "items must be put in the chunks as they are (lists stay lists)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · edge cases (2 points)
# Empty input, chunks of one, a size larger than the input, an input that divides exactly,
# generators as input, and `size < 1` refused at the call.

# %% nbgrader="tests" grade_id="chunked_tests_edge_cases" points=2
"""Edge cases: empty input, exact multiples, sizes 1 and larger than the input, generator
input, and ValueError raised as soon as chunked is called with size < 1."""
from advpy.checks import expect, expect_same

expect_same(take(chunked([], 3), 10), [], "the chunks of chunked([], 3)", show=True)
expect_same(
    take(chunked([1, 2, 3, 4], 2), 10),
    [(1, 2), (3, 4)],
    "the chunks of chunked([1, 2, 3, 4], 2)",
    show=True,
)
refused = False
try:
    chunked([1, 2, 3], 0)
except ValueError:
    refused = True
expect(
    refused,
    "chunked([1, 2, 3], 0) must raise ValueError when it is called. (A generator function runs "
    "its body only at the first next(): see Hint 2.)",
)
### BEGIN HIDDEN TESTS
from advpy.checks import time_limit as _time_limit


def _first(iterable, count):
    with _time_limit(5):
        return list(itertools.islice(iterable, count))


expect_same(
    _first(chunked([7, 8, 9], 1), 50),
    [(7,), (8,), (9,)],
    "size 1 must give one-item tuples",
)
expect_same(
    _first(chunked([1, 2], 5), 50),
    [(1, 2)],
    "a size larger than the input must give one shorter chunk",
)
expect_same(
    _first(chunked(list(range(12)), 4), 50),
    [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9, 10, 11)],
    "an input that divides exactly must not end with an empty or extra chunk",
)
expect_same(
    _first(chunked((n * n for n in range(5)), 2), 50),
    [(0, 1), (4, 9), (16,)],
    "a generator as input must be chunked like a list (it has no len() and no slicing)",
)
expect_same(_first(chunked(iter([]), 4), 50), [], "an empty iterator must give no chunks")
for _bad_size in (-1, -10):
    _refused = False
    try:
        chunked([1, 2, 3], _bad_size)
    except ValueError:
        _refused = True
    expect(_refused, "a negative size must raise ValueError as soon as chunked is called")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · lazy, so it works on endless iterators (3 points)
# Counts the items pulled from the input: none at the call, exactly one chunk's worth per chunk.

# %% nbgrader="tests" grade_id="chunked_tests_lazy" points=3
"""chunked is lazy: it returns an iterator, pulls nothing until a chunk is asked for, then
exactly that chunk's items, so it works on endless iterators."""
from advpy.checks import expect, expect_same

source = PullCounter(limit=1000)  # endless: 0, 1, 2, ...
try:
    chunks = chunked(source, 4)
    expect(iter(chunks) is chunks, "chunked must return an iterator (next() works on it)")
    expect(
        source.pulled == 0, f"chunked pulled {source.pulled} items before any chunk was asked for"
    )
    expect_same(
        next(chunks), (0, 1, 2, 3), "the first chunk of chunked(endless 0, 1, 2, ..., 4)", show=True
    )
    expect(source.pulled == 4, f"the first chunk of 4 pulled {source.pulled} items, not exactly 4")
except TooManyPulls:
    raise AssertionError(
        "chunked tried to read an endless iterator to the end: produce each chunk as soon as it "
        "has its items"
    ) from None
### BEGIN HIDDEN TESTS
from advpy.checks import time_limit as _time_limit


def _counted(items, seen, cap):
    for _item in items:
        if len(seen) >= cap:
            raise RuntimeError("pulled far more than the chunks asked for needed")
        seen.append(_item)
        yield _item


try:
    with _time_limit(5):
        _seen = []
        _chunks = chunked(_counted(itertools.count(), _seen, 5000), 5)
        expect(len(_seen) == 0, "chunked must pull nothing before the first chunk is asked for")
        for _k in range(1, 4):
            next(_chunks)
            expect(
                len(_seen) == 5 * _k,
                "producing a chunk must pull exactly that chunk's items (no reading ahead)",
            )
        expect_same(
            list(itertools.islice(chunked(itertools.count(10), 3), 2)),
            [(10, 11, 12), (13, 14, 15)],
            "the first chunks of an endless iterator must come out as tuples, in order",
        )
        _seen = []
        _chunks = chunked(_counted(iter(range(7)), _seen, 100), 3)
        expect_same(
            [next(_chunks), next(_chunks)],
            [(0, 1, 2), (3, 4, 5)],
            "the first chunks of a finite input came out wrong",
        )
        expect(len(_seen) == 6, "two chunks of 3 must pull exactly 6 items (no reading ahead)")
        expect_same(next(_chunks, None), (6,), "the last, shorter chunk came out wrong")
        expect(next(_chunks, "end") == "end", "after the last chunk the iterator must be exhausted")
except RuntimeError as _error:
    raise AssertionError(
        "chunked read far more of an endless input than the chunks asked for needed"
    ) from None
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `bounded_gather`: concurrency with a cap
#
# `asyncio.gather(*coros)` starts every coroutine at once. Calling an API 10 000 times that way
# opens 10 000 connections and gets you rate-limited or worse. Write
# `async def bounded_gather(coros, limit)` that runs them concurrently, but never more than
# `limit` at the same time.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `coros` is an iterable (a list, or a generator expression) of coroutine objects; `limit` is
#   an int. `limit < 1` raises `ValueError` (when `bounded_gather` is awaited).
# - At no moment are more than `limit` of the coroutines running (started and not finished).
# - As long as coroutines are waiting to start, `limit` of them run: when one finishes, the
#   next starts, without waiting for others to finish.
# - It returns a plain `list` of the results **in the order of `coros`**, not in the order they
#   finished. No coroutines: `[]`.
# - If a coroutine raises, `bounded_gather` raises that same exception object (not wrapped,
#   for instance in an `ExceptionGroup`). What happens to the others then is up to you.
#
# The tests build coroutines with a `ConcurrencyProbe` (see the setup cell), which records the
# most coroutines running at the same moment.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Section 5 of the lesson: an `asyncio.Semaphore(limit)` lets `limit` holders in at a time.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Wrap each coroutine in a small coroutine that first enters the semaphore
# (`async with gate:`), then awaits the real one and returns its result. `asyncio.gather` of
# the wrappers keeps the order and re-raises the first exception as it is.
# </details>


# %% nbgrader="solution" grade_id="bounded_gather_answer"
async def bounded_gather(coros, limit):
    """Await every coroutine of `coros`, at most `limit` at once; return their results as a
    list in the order of `coros`. Raise ValueError if limit < 1."""
    ### BEGIN SOLUTION
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    gate = asyncio.Semaphore(limit)

    async def admitted(coro):
        async with gate:
            return await coro

    return list(await asyncio.gather(*(admitted(coro) for coro in coros)))
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
probe = ConcurrencyProbe()
print(await bounded_gather([probe.job(i) for i in range(6)], 2), "peak:", probe.peak)

# %% [markdown]
# ### Check B1 · results, in order (2 points)

# %% nbgrader="tests" grade_id="bounded_gather_tests_results" points=2
"""bounded_gather returns every result, as a plain list, in the order the coroutines were
given, whatever order they finish in."""
from advpy.checks import expect_same

probe = ConcurrencyProbe()
jobs = [probe.job("slow", 0.03), probe.job("fast", 0.001), probe.job("medium", 0.01)]
expect_same(
    await run_briefly(bounded_gather(jobs, 2)),
    ["slow", "fast", "medium"],
    "bounded_gather(jobs that finish in another order than given, 2)",
    show=True,
)
expect_same(await run_briefly(bounded_gather([], 3)), [], "bounded_gather([], 3)", show=True)
### BEGIN HIDDEN TESTS
import random as _random


async def _guard(awaitable, what, limit=3.0):
    _task = asyncio.ensure_future(awaitable)
    _finished, _ = await asyncio.wait([_task], timeout=limit)
    if _task not in _finished:
        _task.cancel()
        await asyncio.wait([_task], timeout=1)
        raise AssertionError(f"bounded_gather did not finish: {what}")
    return _task.result()


async def _after(value, pause):
    await asyncio.sleep(pause)
    return value


expect_same(
    await _guard(bounded_gather((_after(i, 0.001 * (5 - i)) for i in range(5)), 2), "generator"),
    [0, 1, 2, 3, 4],
    "coroutines given as a generator expression must be run, results in order",
)
expect_same(
    await _guard(bounded_gather([_after("x", 0.002), _after("y", 0.001)], 10), "large limit"),
    ["x", "y"],
    "a limit larger than the number of coroutines must work",
)
expect_same(
    await _guard(
        bounded_gather([_after(None, 0.001), _after(0, 0), _after(None, 0)], 1), "limit 1"
    ),
    [None, 0, None],
    "with limit 1 every result (None and 0 included) must still be returned, in order",
)
_rng = _random.Random(3)
_pauses = [_rng.choice([0, 0.001, 0.002, 0.004]) for _ in range(24)]
expect_same(
    await _guard(bounded_gather([_after(i, p) for i, p in enumerate(_pauses)], 4), "24 jobs"),
    list(range(24)),
    "results must come in the order of the coroutines given, not the order they finish",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · never more than `limit` at once, and `limit` at once (3 points)

# %% nbgrader="tests" grade_id="bounded_gather_tests_limit" points=3
"""bounded_gather never runs more than `limit` coroutines at once, does run `limit` at once
(not one by one), and starts the next one as soon as one finishes."""
from advpy.checks import expect, expect_same

probe = ConcurrencyProbe()
results = await run_briefly(bounded_gather([probe.job(i) for i in range(10)], 3))
expect_same(results, list(range(10)), "the results of bounded_gather(10 jobs, 3)", show=True)
expect(probe.peak <= 3, f"with limit 3, {probe.peak} coroutines ran at the same time")
expect(
    probe.peak == 3,
    f"with limit 3 and 10 coroutines, only {probe.peak} ran at once: run 3 at a time, not fewer",
)


### BEGIN HIDDEN TESTS
def _tracker():
    state = {"now": 0, "most": 0}

    async def run(value, pause=0.005):
        state["now"] += 1
        state["most"] = max(state["most"], state["now"])
        try:
            await asyncio.sleep(pause)
        finally:
            state["now"] -= 1
        return value

    return state, run


async def _guard(awaitable, what, limit=3.0):
    _task = asyncio.ensure_future(awaitable)
    _finished, _ = await asyncio.wait([_task], timeout=limit)
    if _task not in _finished:
        _task.cancel()
        await asyncio.wait([_task], timeout=1)
        raise AssertionError(f"bounded_gather did not finish: {what}")
    return _task.result()


for _count, _limit in [(1, 1), (6, 1), (7, 2), (20, 5), (4, 10), (9, 9)]:
    _state, _run = _tracker()
    _got = await _guard(bounded_gather([_run(i) for i in range(_count)], _limit), "peak check")
    expect_same(_got, list(range(_count)), "results were wrong while checking the limit")
    expect(
        _state["most"] <= _limit,
        "more coroutines than `limit` ran at the same time for some inputs",
    )
    expect(
        _state["most"] == min(_count, _limit),
        "fewer than `limit` coroutines ran at once although more were waiting",
    )


async def _refill():
    # One coroutine holds its slot until every other one has run through the second slot:
    # this finishes only if each freed slot is reused at once.
    _release = asyncio.Event()
    _done = []

    async def _holder():
        await _release.wait()
        return "holder"

    async def _quick(i):
        await asyncio.sleep(0)
        _done.append(i)
        if len(_done) == 4:
            _release.set()
        return i

    _coros = [_holder(), _quick(0), _quick(1), _quick(2), _quick(3)]
    try:
        return await _guard(
            bounded_gather(_coros, 2),
            "when one coroutine finished, the next did not start while another was still "
            "running (does it wait for a whole group to finish?)",
        )
    finally:
        await asyncio.sleep(0.05)
        for _coro in _coros:
            if inspect.getcoroutinestate(_coro) == inspect.CORO_CREATED:
                _coro.close()


expect_same(await _refill(), ["holder", 0, 1, 2, 3], "results were wrong in the refill check")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · errors (2 points)

# %% nbgrader="tests" grade_id="bounded_gather_tests_errors" points=2
"""An exception raised by one coroutine comes out of bounded_gather as it is (not wrapped);
limit < 1 raises ValueError."""
from advpy.checks import expect


async def fails():
    await asyncio.sleep(0.001)
    raise KeyError("missing")


probe = ConcurrencyProbe()
jobs = [probe.job(1), fails(), probe.job(3)]
raised = None
try:
    await run_briefly(bounded_gather(jobs, 2))
except Exception as error:
    raised = error
await asyncio.sleep(0.1)  # let whatever still runs finish
for coro in jobs:
    if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
        coro.close()  # never started: close it so that Python does not warn about it
expect(
    type(raised) is KeyError,
    "a coroutine raised KeyError; bounded_gather "
    + ("returned normally" if raised is None else f"raised {type(raised).__name__}")
    + " instead of letting the KeyError out",
)
refused = False
try:
    await run_briefly(bounded_gather([], 0))
except ValueError:
    refused = True
expect(refused, "bounded_gather([], 0) must raise ValueError: limit must be at least 1")


### BEGIN HIDDEN TESTS
class _Failure(Exception):
    pass


async def _guard(awaitable, what, limit=3.0):
    _task = asyncio.ensure_future(awaitable)
    _finished, _ = await asyncio.wait([_task], timeout=limit)
    if _task not in _finished:
        _task.cancel()
        await asyncio.wait([_task], timeout=1)
        raise AssertionError(f"bounded_gather did not finish: {what}")
    return _task.result()


async def _after(value, pause):
    await asyncio.sleep(pause)
    return value


_problem = _Failure("the fourth job failed")


async def _late_failure():
    await asyncio.sleep(0.004)
    raise _problem


_coros = [_after(0, 0.001), _after(1, 0.001), _after(2, 0.002), _late_failure(), _after(4, 0)]
_raised = None
try:
    await _guard(bounded_gather(_coros, 2), "with a failing coroutine")
except _Failure as _error:
    _raised = _error
except BaseExceptionGroup:
    _raised = "group"
except Exception as _error:
    _raised = _error
await asyncio.sleep(0.1)
for _coro in _coros:
    if inspect.getcoroutinestate(_coro) == inspect.CORO_CREATED:
        _coro.close()
expect(
    _raised != "group",
    "bounded_gather wrapped the coroutine's exception in an ExceptionGroup; let the exception "
    "itself out (asyncio.gather does, asyncio.TaskGroup does not)",
)
expect(
    _raised is _problem,
    "a coroutine that failed after others had finished: bounded_gather must raise that very "
    "exception object",
)
for _bad_limit in (-1, -5):
    _refused = False
    try:
        await _guard(bounded_gather([], _bad_limit), "negative limit")
    except ValueError:
        _refused = True
    expect(_refused, "a negative limit must raise ValueError")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `with_timeout`: a deadline that cleans up
#
# A request handler that waits on a slow downstream service must give up after a while and
# answer with a fallback. Giving up must not leave the slow call running in the background,
# holding a connection: it has to be **cancelled**, and its cleanup must **finish** before the
# handler moves on. Write `async def with_timeout(coro, seconds, default=None)`.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `coro` is a coroutine object and `seconds > 0`.
# - If `coro` finishes within `seconds`, return its result. If it raises, let that exception
#   out unchanged (a `TimeoutError` raised by `coro` itself may be treated either way: let
#   out, or answered with `default`).
# - If it is still running after `seconds`: cancel it, wait until its cancellation is complete
#   (its `except CancelledError:` and `finally:` code has run to the end), then return
#   `default`.
# - If the task running `with_timeout` is itself cancelled at any moment before
#   `with_timeout` has returned (while `coro` runs, or after the deadline while `coro`'s
#   cleanup runs), `with_timeout` ends with that `CancelledError`: it never swallows a
#   cancellation, and never answers with a result or `default` instead.
# - If that cancellation comes while `coro` is still running, cancel `coro` too and wait for
#   its cleanup before letting the `CancelledError` out. (If it comes during the cleanup, the
#   cleanup may be cut short: the caller asked to stop.)

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Section 7 of the lesson: `asyncio.wait_for` and `asyncio.timeout` already cancel and wait for
# the cleanup; all that is left is to turn their `TimeoutError` into `default`.
# </details>
#
# <details><summary>Hint 2 (if you build it by hand)</summary>
#
# With `task = asyncio.ensure_future(coro)` and `asyncio.wait({task}, timeout=seconds)`:
# `task.cancel()` only *requests* cancellation. Then wait for the task to finish with
# `await asyncio.wait({task})` (unlike `await task`, it does not raise the task's
# `CancelledError` into your code), so that its cleanup is over before you return. Do the same
# in an `except asyncio.CancelledError:` around your own wait, before re-raising. A
# `CancelledError` that reaches your code while you wait for the cleanup is your caller's:
# let it out (`await task` inside `try: ... except CancelledError: pass` swallows it).
# </details>


# %% nbgrader="solution" grade_id="with_timeout_answer"
async def with_timeout(coro, seconds, default=None):
    """Return the result of `coro` if it finishes within `seconds`; otherwise cancel it, wait
    until its cleanup has run, and return `default`. Errors and cancellation pass through."""
    ### BEGIN SOLUTION
    deadline = asyncio.timeout(seconds)
    try:
        async with deadline:
            return await coro
    except TimeoutError:
        if deadline.expired():
            return default
        raise
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(await with_timeout(asyncio.sleep(0.01, result="on time"), 1.0))
print(await with_timeout(asyncio.sleep(10, result="on time"), 0.05, default="too late"))

# %% [markdown]
# ### Check C1 · results, defaults and errors (2 points)

# %% nbgrader="tests" grade_id="with_timeout_tests_results" points=2
"""with_timeout returns the result when it comes in time, `default` (None unless given) when
it does not, and lets the coroutine's own errors out."""
from advpy.checks import expect, expect_same


async def answer(value, seconds):
    await asyncio.sleep(seconds)
    return value


expect_same(
    await run_briefly(with_timeout(answer(42, 0.001), 1.0)),
    42,
    "with_timeout(a coroutine that takes 1 ms, 1.0)",
    show=True,
)
try:
    late = await run_briefly(with_timeout(answer(42, 1.0), 0.05, default="late"))
except TimeoutError:
    raise AssertionError(
        "with_timeout raised TimeoutError: when time is up, return `default`"
    ) from None
expect_same(
    late, "late", "with_timeout(a coroutine that takes 1 s, 0.05, default='late')", show=True
)


### BEGIN HIDDEN TESTS
async def _guard(awaitable, what, limit=3.0):
    _task = asyncio.ensure_future(awaitable)
    _finished, _ = await asyncio.wait([_task], timeout=limit)
    if _task not in _finished:
        _task.cancel()
        await asyncio.wait([_task], timeout=1)
        raise AssertionError(f"with_timeout did not return in time: {what}")
    return _task.result()


async def _forever():
    await asyncio.Event().wait()


async def _value(result, pause):
    await asyncio.sleep(pause)
    return result


expect_same(
    await _guard(with_timeout(_forever(), 0.05), "a coroutine that never finishes"),
    None,
    "when no default is given, a coroutine that misses its deadline must give None",
)
expect_same(
    await _guard(with_timeout(_forever(), 0.02, default=-1), "a coroutine that never finishes"),
    -1,
    "a coroutine that never finishes must give `default` once the deadline has passed",
)
expect_same(
    await _guard(with_timeout(_value(0, 0), 1.0, default="fallback"), "an immediate result"),
    0,
    "a falsy result (0) that comes in time must be returned, not replaced by the default",
)


class _Problem(Exception):
    pass


async def _breaks():
    await asyncio.sleep(0.001)
    raise _Problem("downstream failed")


_raised = None
try:
    await _guard(with_timeout(_breaks(), 1.0, default="fallback"), "a failing coroutine")
except _Problem:
    _raised = "same"
except Exception as _error:
    _raised = type(_error).__name__
expect(_raised == "same", "an exception raised by the coroutine in time must come out unchanged")


async def _own_timeout():
    await asyncio.sleep(0.001)
    raise TimeoutError("the coroutine's own deadline")


try:
    _own = await _guard(with_timeout(_own_timeout(), 5.0, default="fallback"), "a TimeoutError")
except TimeoutError:
    _own = "fallback"  # letting the coroutine's own TimeoutError out is fine too
expect(
    _own == "fallback",
    "a TimeoutError raised by the coroutine itself, long before the deadline, must come out "
    "or give `default`: with_timeout returned something else",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · cancels cleanly (4 points)

# %% nbgrader="tests" grade_id="with_timeout_tests_cancel" points=4
"""When time is up, with_timeout cancels the coroutine and finishes only after its cleanup has
finished; when with_timeout itself is cancelled (also while it waits for that cleanup), the
cancellation comes out, and the coroutine is cancelled too."""
from advpy.checks import expect, expect_same

steps = []


async def query():
    try:
        await asyncio.sleep(3600)  # an hour: far past any deadline
        steps.append("finished")
    except asyncio.CancelledError:
        steps.append("cancelled")
        raise
    finally:
        await asyncio.sleep(0.01)  # cleanup that takes a moment, like closing a connection
        steps.append("cleaned up")


try:
    await run_briefly(with_timeout(query(), 0.05, "late"), seconds=5)
except TimeoutError:
    pass  # what with_timeout answers when time is up is Check C1's question
expect_same(
    steps,
    ["cancelled", "cleaned up"],
    "what a query needing an hour had done when with_timeout(query(), 0.05, 'late') finished",
    show=True,
)
### BEGIN HIDDEN TESTS
_log = []


async def _holds_connection():
    try:
        await asyncio.Event().wait()
    finally:
        await asyncio.sleep(0.005)
        await asyncio.sleep(0.005)
        _log.append("released")


_outer = asyncio.ensure_future(with_timeout(_holds_connection(), 0.03, default="fallback"))
_finished, _ = await asyncio.wait([_outer], timeout=3)
expect(_outer in _finished, "with_timeout did not finish after its deadline passed")
expect(
    not _outer.cancelled()
    and (_outer.exception() is None or type(_outer.exception()) is TimeoutError),
    "when the coroutine misses its deadline, with_timeout itself must not end cancelled or "
    "with another error",
)
expect(
    _log == ["released"],
    "with_timeout returned before the cancelled coroutine's cleanup (its finally block) finished",
)

_log = []
_outer = asyncio.ensure_future(with_timeout(_holds_connection(), 30, default="fallback"))
await asyncio.sleep(0.02)
_outer.cancel()
_finished, _ = await asyncio.wait([_outer], timeout=3)
expect(_outer in _finished, "with_timeout did not stop when the task running it was cancelled")
expect(
    _outer.cancelled(),
    "when the task running with_timeout is cancelled, with_timeout must let CancelledError out "
    "(it returned or raised something else: a swallowed cancellation)",
)
expect(
    _log == ["released"],
    "when the task running with_timeout was cancelled, the inner coroutine was not cancelled and "
    "cleaned up before with_timeout finished",
)

# Cancelled after the deadline, while with_timeout waits for the coroutine's cleanup.
_cleaning, _may_finish = asyncio.Event(), asyncio.Event()


async def _slow_to_clean_up():
    try:
        await asyncio.Event().wait()
    finally:
        _cleaning.set()
        await _may_finish.wait()  # a cleanup that lasts until the test lets it finish


_outer = asyncio.ensure_future(with_timeout(_slow_to_clean_up(), 0.02, default="fallback"))
_cleanup_began = asyncio.ensure_future(_cleaning.wait())
await asyncio.wait([_cleanup_began], timeout=3)
if not _cleaning.is_set():
    _cleanup_began.cancel()
    _outer.cancel()
expect(_cleaning.is_set(), "with_timeout did not cancel a coroutine that missed its deadline")
_outer.cancel()
await asyncio.sleep(0.01)
_may_finish.set()
_finished, _ = await asyncio.wait([_outer], timeout=3)
expect(_outer in _finished, "with_timeout did not stop when the task running it was cancelled")
expect(
    _outer.cancelled(),
    "when the task running with_timeout is cancelled while with_timeout waits for the "
    "coroutine's cleanup after the deadline, with_timeout must let CancelledError out (it "
    "returned or raised something else: a swallowed cancellation)",
)
### END HIDDEN TESTS
