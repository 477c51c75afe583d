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
# sufficient. The tests of Parts B and C run your coroutines where your code runs, on an event
# loop of their own (`on_own_loop` in the setup cell), and then judge what they saw.
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


def on_own_loop(main, seconds=10):
    """Run the coroutine `main()` on a new event loop, in a thread of its own (a notebook cell
    may itself be run by an event loop, where `asyncio.run` is refused), for at most `seconds`.
    Returns {"finished": True, "returned": what main() returned}, or {"finished": False} if it
    was still running after `seconds` (then it is cancelled); raises what main() raised. What
    main() leaves running is cancelled afterwards."""
    import threading

    outcome = {"finished": False}
    ended = threading.Event()

    async def bounded():
        task = asyncio.ensure_future(main())
        done, _ = await asyncio.wait({task}, timeout=seconds)
        if not done:
            task.cancel()
            await asyncio.wait({task}, timeout=1)
            return
        outcome["returned"] = task.result()
        outcome["finished"] = True

    def run():
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(bounded())
        except BaseException as error:
            outcome["raised"] = error
        finally:
            ended.set()
        leftovers = asyncio.all_tasks(loop)
        for task in leftovers:
            task.cancel()
        if leftovers:
            loop.run_until_complete(asyncio.wait(leftovers, timeout=1))
        if not asyncio.all_tasks(loop):
            loop.close()

    threading.Thread(target=run, daemon=True).start()
    if not ended.wait(seconds + 2):
        return {"finished": False}  # something blocks the event loop
    if "raised" in outcome:
        raise outcome["raised"]
    return dict(outcome)


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
from advpy.checks import beside


def _observed():
    # Runs where the answer runs: the first chunks (at most 50) of inputs made there, each
    # read within 5 s; as plain data.
    import itertools

    from advpy.checks import TimeLimitExceeded, time_limit

    def first(iterable, count):
        try:
            with time_limit(5):
                return list(itertools.islice(iterable, count))
        except TimeLimitExceeded:
            return "took longer than 5 s"

    seen = {}
    seen["range"] = first(chunked(range(10), 4), 50)
    seen["falsy"] = first(chunked([None, 0, "", None, False], 3), 50)
    seen["iterator"] = first(chunked(iter([5, 6, 7, 8, 9]), 2), 50)
    seen["lists"] = first(chunked([[1], [2], [3]], 2), 50)
    return seen


_seen = beside(_observed)
expect_same(
    _seen["range"],
    [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9)],
    "the chunks of a range must be tuples of up to `size` items, in input order",
)
expect_same(
    _seen["falsy"],
    [(None, 0, ""), (None, False)],
    "items such as None, 0, '' and False must be kept like any other item",
)
expect_same(
    _seen["iterator"],
    [(5, 6), (7, 8), (9,)],
    "chunked must accept an iterator (not only a list) and cut it the same way",
)
expect_same(
    _seen["lists"],
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
from advpy.checks import beside


def _observed():
    # Runs where the answer runs: the first chunks (at most 50) of inputs made there, each
    # read within 5 s; as plain data.
    import itertools

    from advpy.checks import TimeLimitExceeded, time_limit

    def first(iterable, count):
        try:
            with time_limit(5):
                return list(itertools.islice(iterable, count))
        except TimeLimitExceeded:
            return "took longer than 5 s"

    seen = {}
    seen["size 1"] = first(chunked([7, 8, 9], 1), 50)
    seen["size past the end"] = first(chunked([1, 2], 5), 50)
    seen["exact multiple"] = first(chunked(list(range(12)), 4), 50)
    seen["generator"] = first(chunked((n * n for n in range(5)), 2), 50)
    seen["empty iterator"] = first(chunked(iter([]), 4), 50)
    return seen


_seen = beside(_observed)
expect_same(_seen["size 1"], [(7,), (8,), (9,)], "size 1 must give one-item tuples")
expect_same(
    _seen["size past the end"],
    [(1, 2)],
    "a size larger than the input must give one shorter chunk",
)
expect_same(
    _seen["exact multiple"],
    [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9, 10, 11)],
    "an input that divides exactly must not end with an empty or extra chunk",
)
expect_same(
    _seen["generator"],
    [(0, 1), (4, 9), (16,)],
    "a generator as input must be chunked like a list (it has no len() and no slicing)",
)
expect_same(_seen["empty iterator"], [], "an empty iterator must give no chunks")
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
from advpy.checks import beside, expect, expect_same


def first_chunk_of_endless():
    """Runs where your code runs: chunked(PullCounter(limit=1000), 4), which counts 0, 1, 2, ...
    without end, then its first chunk; how many items were pulled at each step."""
    seen = {"read to the end": False}
    source = PullCounter(limit=1000)
    try:
        chunks = chunked(source, 4)
        seen["an iterator"] = iter(chunks) is chunks
        seen["pulled at the call"] = source.pulled
        if seen["an iterator"]:
            seen["first chunk"] = next(chunks)
            seen["pulled for the first chunk"] = source.pulled
    except TooManyPulls:
        seen["read to the end"] = True
    return seen


seen = beside(first_chunk_of_endless)
if seen["read to the end"]:
    raise AssertionError(
        "chunked tried to read an endless iterator to the end: produce each chunk as soon as it "
        "has its items"
    )
expect(seen["an iterator"], "chunked must return an iterator (next() works on it)")
pulled = seen["pulled at the call"]
expect(pulled == 0, f"chunked pulled {pulled} items before any chunk was asked for")
expect_same(
    seen["first chunk"],
    (0, 1, 2, 3),
    "the first chunk of chunked(endless 0, 1, 2, ..., 4)",
    show=True,
)
pulled = seen["pulled for the first chunk"]
expect(pulled == 4, f"the first chunk of 4 pulled {pulled} items, not exactly 4")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: how many items chunked had pulled at each step, from an
    # endless input and from a finite one, all within 5 s; as plain data, with why the run
    # stopped early if it did.
    import itertools

    from advpy.checks import TimeLimitExceeded, time_limit

    def counted(items, pulled, cap):
        for item in items:
            if len(pulled) >= cap:
                raise RuntimeError("pulled far more than the chunks asked for needed")
            pulled.append(item)
            yield item

    seen = {"stopped": None}
    try:
        with time_limit(5):
            pulled = []
            chunks = chunked(counted(itertools.count(), pulled, 5000), 5)
            seen["pulled at the call"] = len(pulled)
            for k in range(1, 4):
                next(chunks)
                seen[f"pulled after chunk {k}"] = len(pulled)
            seen["endless first chunks"] = list(
                itertools.islice(chunked(itertools.count(10), 3), 2)
            )
            pulled = []
            chunks = chunked(counted(iter(range(7)), pulled, 100), 3)
            seen["finite first chunks"] = [next(chunks), next(chunks)]
            seen["pulled for two chunks"] = len(pulled)
            seen["last chunk"] = next(chunks, None)
            seen["after the last chunk"] = next(chunks, "end")
    except RuntimeError:
        seen["stopped"] = "read far more"
    except TimeLimitExceeded:
        seen["stopped"] = "took longer than 5 s"
    return seen


_seen = beside(_observed)


def _step(name):
    # What the run saw at that step, or why it stopped before it got there.
    if name in _seen:
        return _seen[name]
    if _seen["stopped"] == "read far more":
        raise AssertionError(
            "chunked read far more of an endless input than the chunks asked for needed"
        )
    raise AssertionError("chunked took longer than 5 s on inputs of a few items")


expect(
    _step("pulled at the call") == 0,
    "chunked must pull nothing before the first chunk is asked for",
)
for _k in range(1, 4):
    expect(
        _step(f"pulled after chunk {_k}") == 5 * _k,
        "producing a chunk must pull exactly that chunk's items (no reading ahead)",
    )
expect_same(
    _step("endless first chunks"),
    [(10, 11, 12), (13, 14, 15)],
    "the first chunks of an endless iterator must come out as tuples, in order",
)
expect_same(
    _step("finite first chunks"),
    [(0, 1, 2), (3, 4, 5)],
    "the first chunks of a finite input came out wrong",
)
expect(
    _step("pulled for two chunks") == 6,
    "two chunks of 3 must pull exactly 6 items (no reading ahead)",
)
expect_same(_step("last chunk"), (6,), "the last, shorter chunk came out wrong")
expect(
    _step("after the last chunk") == "end", "after the last chunk the iterator must be exhausted"
)
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
from advpy.checks import beside, expect, expect_same


def jobs_in_another_order():
    """Runs where your code runs, on an event loop of its own: bounded_gather(jobs, 2) on three
    jobs that finish in another order than given, then bounded_gather([], 3)."""

    async def main():
        probe = ConcurrencyProbe()
        jobs = [probe.job("slow", 0.03), probe.job("fast", 0.001), probe.job("medium", 0.01)]
        return await bounded_gather(jobs, 2), await bounded_gather([], 3)

    return on_own_loop(main, seconds=10)


run = beside(jobs_in_another_order)
expect(run["finished"], "bounded_gather had not finished after 10 s: does something wait forever?")
three, no_jobs = run["returned"]
expect_same(
    three,
    ["slow", "fast", "medium"],
    "bounded_gather(jobs that finish in another order than given, 2)",
    show=True,
)
expect_same(no_jobs, [], "bounded_gather([], 3)", show=True)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs, on an event loop of its own: the results of several calls,
    # each given 3 s, as (finished, result).
    import asyncio
    import random

    async def guard(awaitable, limit=3.0):
        task = asyncio.ensure_future(awaitable)
        finished, _ = await asyncio.wait([task], timeout=limit)
        if task not in finished:
            task.cancel()
            await asyncio.wait([task], timeout=1)
            return False, None
        return True, task.result()

    async def after(value, pause):
        await asyncio.sleep(pause)
        return value

    async def main():
        seen = {}
        seen["generator"] = await guard(
            bounded_gather((after(i, 0.001 * (5 - i)) for i in range(5)), 2)
        )
        seen["large limit"] = await guard(
            bounded_gather([after("x", 0.002), after("y", 0.001)], 10)
        )
        seen["limit 1"] = await guard(
            bounded_gather([after(None, 0.001), after(0, 0), after(None, 0)], 1)
        )
        rng = random.Random(3)
        pauses = [rng.choice([0, 0.001, 0.002, 0.004]) for _ in range(24)]
        seen["24 jobs"] = await guard(
            bounded_gather([after(i, p) for i, p in enumerate(pauses)], 4)
        )
        return seen

    return on_own_loop(main, seconds=60)


_run = beside(_observed)
expect(_run["finished"], "bounded_gather did not finish: does something block the event loop?")
_seen = _run["returned"]


def _result(what):
    _finished, _value = _seen[what]
    if not _finished:
        raise AssertionError(f"bounded_gather did not finish: {what}")
    return _value


expect_same(
    _result("generator"),
    [0, 1, 2, 3, 4],
    "coroutines given as a generator expression must be run, results in order",
)
expect_same(
    _result("large limit"),
    ["x", "y"],
    "a limit larger than the number of coroutines must work",
)
expect_same(
    _result("limit 1"),
    [None, 0, None],
    "with limit 1 every result (None and 0 included) must still be returned, in order",
)
expect_same(
    _result("24 jobs"),
    list(range(24)),
    "results must come in the order of the coroutines given, not the order they finish",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · never more than `limit` at once, and `limit` at once (3 points)

# %% nbgrader="tests" grade_id="bounded_gather_tests_limit" points=3
"""bounded_gather never runs more than `limit` coroutines at once, does run `limit` at once
(not one by one), and starts the next one as soon as one finishes."""
from advpy.checks import beside, expect, expect_same


def ten_jobs_limit_three():
    """Runs where your code runs, on an event loop of its own: bounded_gather on ten jobs of a
    ConcurrencyProbe with limit 3; the results and the most jobs that ran at the same time."""

    async def main():
        probe = ConcurrencyProbe()
        results = await bounded_gather([probe.job(i) for i in range(10)], 3)
        return results, probe.peak

    return on_own_loop(main, seconds=10)


run = beside(ten_jobs_limit_three)
expect(run["finished"], "bounded_gather had not finished after 10 s: does something wait forever?")
results, peak = run["returned"]
expect_same(results, list(range(10)), "the results of bounded_gather(10 jobs, 3)", show=True)
expect(peak <= 3, f"with limit 3, {peak} coroutines ran at the same time")
expect(
    peak == 3,
    f"with limit 3 and 10 coroutines, only {peak} ran at once: run 3 at a time, not fewer",
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs, on an event loop of its own: for several counts and limits,
    # the results and the most coroutines running at once; then whether a freed slot is reused
    # at once. Each call is given 3 s; calls come back as (finished, result).
    import asyncio
    import inspect

    def tracker():
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

    async def guard(awaitable, limit=3.0):
        task = asyncio.ensure_future(awaitable)
        finished, _ = await asyncio.wait([task], timeout=limit)
        if task not in finished:
            task.cancel()
            await asyncio.wait([task], timeout=1)
            return False, None
        return True, task.result()

    async def refill():
        # One coroutine holds its slot until every other one has run through the second slot:
        # this finishes only if each freed slot is reused at once.
        release = asyncio.Event()
        done = []

        async def holder():
            await release.wait()
            return "holder"

        async def quick(i):
            await asyncio.sleep(0)
            done.append(i)
            if len(done) == 4:
                release.set()
            return i

        coros = [holder(), quick(0), quick(1), quick(2), quick(3)]
        try:
            return await guard(bounded_gather(coros, 2))
        finally:
            await asyncio.sleep(0.05)
            for coro in coros:
                if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                    coro.close()

    async def main():
        seen = {"peaks": []}
        for count, limit in [(1, 1), (6, 1), (7, 2), (20, 5), (4, 10), (9, 9)]:
            state, run = tracker()
            finished, got = await guard(bounded_gather([run(i) for i in range(count)], limit))
            seen["peaks"].append((count, limit, finished, got, state["most"]))
        seen["refill"] = await refill()
        return seen

    return on_own_loop(main, seconds=60)


_run = beside(_observed)
expect(_run["finished"], "bounded_gather did not finish: does something block the event loop?")
_seen = _run["returned"]
for _count, _limit, _finished, _got, _most in _seen["peaks"]:
    if not _finished:
        raise AssertionError("bounded_gather did not finish: peak check")
    expect_same(_got, list(range(_count)), "results were wrong while checking the limit")
    expect(_most <= _limit, "more coroutines than `limit` ran at the same time for some inputs")
    expect(
        _most == min(_count, _limit),
        "fewer than `limit` coroutines ran at once although more were waiting",
    )
_finished, _got = _seen["refill"]
if not _finished:
    raise AssertionError(
        "bounded_gather did not finish: when one coroutine finished, the next did not start "
        "while another was still running (does it wait for a whole group to finish?)"
    )
expect_same(_got, ["holder", 0, 1, 2, 3], "results were wrong in the refill check")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · errors (2 points)

# %% nbgrader="tests" grade_id="bounded_gather_tests_errors" points=2
"""An exception raised by one coroutine comes out of bounded_gather as it is (not wrapped);
limit < 1 raises ValueError."""
from advpy.checks import beside, expect


def one_job_fails():
    """Runs where your code runs, on an event loop of its own: bounded_gather(jobs, 2) where the
    second of three jobs raises KeyError, then bounded_gather([], 0); the class of what each
    call raised (None if it returned)."""
    import asyncio
    import inspect

    async def fails():
        await asyncio.sleep(0.001)
        raise KeyError("missing")

    async def raised_by(awaitable):
        try:
            await awaitable
        except Exception as error:
            return type(error)
        return None

    async def main():
        probe = ConcurrencyProbe()
        jobs = [probe.job(1), fails(), probe.job(3)]
        one_fails = await raised_by(bounded_gather(jobs, 2))
        await asyncio.sleep(0.1)  # let whatever still runs finish
        for coro in jobs:
            if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                coro.close()  # never started: close it so that Python does not warn about it
        return one_fails, await raised_by(bounded_gather([], 0))

    return on_own_loop(main, seconds=10)


run = beside(one_job_fails)
expect(run["finished"], "bounded_gather had not finished after 10 s: does something wait forever?")
raised, raised_for_limit_0 = run["returned"]
expect(
    raised is KeyError,
    "a coroutine raised KeyError; bounded_gather "
    + ("returned normally" if raised is None else f"raised {raised.__name__}")
    + " instead of letting the KeyError out",
)
expect(
    raised_for_limit_0 is not None and issubclass(raised_for_limit_0, ValueError),
    "bounded_gather([], 0) must raise ValueError: limit must be at least 1",
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs, on an event loop of its own: what came out of bounded_gather
    # when the fourth of five coroutines failed after others had finished, and with negative
    # limits; as plain data. Each call is given 3 s.
    import asyncio
    import inspect

    class Failure(Exception):
        pass

    async def guard(awaitable, limit=3.0):
        task = asyncio.ensure_future(awaitable)
        finished, _ = await asyncio.wait([task], timeout=limit)
        if task not in finished:
            task.cancel()
            await asyncio.wait([task], timeout=1)
            return False, None
        return True, task.result()

    async def after(value, pause):
        await asyncio.sleep(pause)
        return value

    problem = Failure("the fourth job failed")

    async def late_failure():
        await asyncio.sleep(0.004)
        raise problem

    async def main():
        seen = {}
        coros = [after(0, 0.001), after(1, 0.001), after(2, 0.002), late_failure(), after(4, 0)]
        try:
            finished, _ = await guard(bounded_gather(coros, 2))
            seen["raised"] = "nothing" if finished else "did not finish"
        except Failure as error:
            seen["raised"] = "that very exception" if error is problem else "another exception"
        except BaseExceptionGroup:
            seen["raised"] = "an exception group"
        except Exception:
            seen["raised"] = "another exception"
        await asyncio.sleep(0.1)
        for coro in coros:
            if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                coro.close()
        seen["negative limits refused"] = []
        for bad_limit in (-1, -5):
            try:
                finished, _ = await guard(bounded_gather([], bad_limit))
                refused = "no" if finished else "did not finish"
            except ValueError:
                refused = "yes"
            seen["negative limits refused"].append(refused)
        return seen

    return on_own_loop(main, seconds=60)


_run = beside(_observed)
expect(_run["finished"], "bounded_gather did not finish: does something block the event loop?")
_seen = _run["returned"]
expect(
    _seen["raised"] != "an exception group",
    "bounded_gather wrapped the coroutine's exception in an ExceptionGroup; let the exception "
    "itself out (asyncio.gather does, asyncio.TaskGroup does not)",
)
expect(
    _seen["raised"] == "that very exception",
    "a coroutine that failed after others had finished: bounded_gather must raise that very "
    "exception object",
)
for _refused in _seen["negative limits refused"]:
    if _refused == "did not finish":
        raise AssertionError("bounded_gather did not finish: negative limit")
    expect(_refused == "yes", "a negative limit must raise ValueError")
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
from advpy.checks import beside, expect, expect_same


def on_time_and_late():
    """Runs where your code runs, on an event loop of its own: with_timeout on a coroutine that
    takes 1 ms (deadline 1 s), then on one that takes 1 s (deadline 0.05 s, default 'late')."""
    import asyncio

    async def answer(value, seconds):
        await asyncio.sleep(seconds)
        return value

    async def main():
        seen = {"on time": await with_timeout(answer(42, 0.001), 1.0)}
        try:
            seen["late"] = await with_timeout(answer(42, 1.0), 0.05, default="late")
        except TimeoutError:
            seen["late raised TimeoutError"] = True
        return seen

    return on_own_loop(main, seconds=10)


run = beside(on_time_and_late)
expect(run["finished"], "with_timeout had not finished after 10 s: does something wait forever?")
seen = run["returned"]
expect_same(seen["on time"], 42, "with_timeout(a coroutine that takes 1 ms, 1.0)", show=True)
if seen.get("late raised TimeoutError"):
    raise AssertionError("with_timeout raised TimeoutError: when time is up, return `default`")
expect_same(
    seen["late"],
    "late",
    "with_timeout(a coroutine that takes 1 s, 0.05, default='late')",
    show=True,
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs, on an event loop of its own: what with_timeout gave for
    # coroutines that never finish, finish at once, fail, or raise their own TimeoutError; as
    # plain data. Each call is given 3 s; calls come back as (finished, result).
    import asyncio

    async def guard(awaitable, limit=3.0):
        task = asyncio.ensure_future(awaitable)
        finished, _ = await asyncio.wait([task], timeout=limit)
        if task not in finished:
            task.cancel()
            await asyncio.wait([task], timeout=1)
            return False, None
        return True, task.result()

    async def forever():
        await asyncio.Event().wait()

    async def value(result, pause):
        await asyncio.sleep(pause)
        return result

    class Problem(Exception):
        pass

    async def breaks():
        await asyncio.sleep(0.001)
        raise Problem("downstream failed")

    async def own_timeout():
        await asyncio.sleep(0.001)
        raise TimeoutError("the coroutine's own deadline")

    async def main():
        seen = {}
        seen["no default"] = await guard(with_timeout(forever(), 0.05))
        seen["default"] = await guard(with_timeout(forever(), 0.02, default=-1))
        seen["falsy"] = await guard(with_timeout(value(0, 0), 1.0, default="fallback"))
        try:
            await guard(with_timeout(breaks(), 1.0, default="fallback"))
            seen["error"] = None
        except Problem:
            seen["error"] = "the same"
        except Exception as error:
            seen["error"] = type(error).__name__
        try:
            seen["own timeout"] = await guard(with_timeout(own_timeout(), 5.0, default="fallback"))
        except TimeoutError:
            seen["own timeout"] = (True, "fallback")  # letting it out is fine too
        return seen

    return on_own_loop(main, seconds=60)


_run = beside(_observed)
expect(_run["finished"], "with_timeout did not finish: does something block the event loop?")
_seen = _run["returned"]


def _result(key, what):
    _finished, _value = _seen[key]
    if not _finished:
        raise AssertionError(f"with_timeout did not return in time: {what}")
    return _value


expect_same(
    _result("no default", "a coroutine that never finishes"),
    None,
    "when no default is given, a coroutine that misses its deadline must give None",
)
expect_same(
    _result("default", "a coroutine that never finishes"),
    -1,
    "a coroutine that never finishes must give `default` once the deadline has passed",
)
expect_same(
    _result("falsy", "an immediate result"),
    0,
    "a falsy result (0) that comes in time must be returned, not replaced by the default",
)
expect(
    _seen["error"] == "the same",
    "an exception raised by the coroutine in time must come out unchanged",
)
expect(
    _result("own timeout", "a TimeoutError") == "fallback",
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
from advpy.checks import beside, expect, expect_same


def an_hour_long_query():
    """Runs where your code runs, on an event loop of its own: with_timeout(query(), 0.05, 'late')
    on a query that needs an hour; what the query had done when with_timeout finished."""
    import asyncio

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

    async def main():
        try:
            await with_timeout(query(), 0.05, "late")
        except TimeoutError:
            pass  # what with_timeout answers when time is up is Check C1's question
        return list(steps)  # the steps taken by the time with_timeout finished

    return on_own_loop(main, seconds=5)


run = beside(an_hour_long_query)
expect(run["finished"], "with_timeout had not finished after 5 s: does something wait forever?")
steps = run["returned"]
expect_same(
    steps,
    ["cancelled", "cleaned up"],
    "what a query needing an hour had done when with_timeout(query(), 0.05, 'late') finished",
    show=True,
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs, on an event loop of its own: how the task running
    # with_timeout ended (a deadline passed; the task cancelled while the coroutine ran; the
    # task cancelled while the coroutine cleaned up after the deadline) and what the
    # coroutine's cleanup had done by then; as plain data.
    import asyncio

    async def holds_connection(log):
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0.005)
            await asyncio.sleep(0.005)
            log.append("released")

    def ending(task, finished):
        if task not in finished:
            return "not finished"
        if task.cancelled():
            return "cancelled"
        if task.exception() is None:
            return "returned"
        if type(task.exception()) is TimeoutError:
            return "raised TimeoutError"
        return "raised another error"

    async def main():
        seen = {}
        log = []
        outer = asyncio.ensure_future(with_timeout(holds_connection(log), 0.03, default="fallback"))
        finished, _ = await asyncio.wait([outer], timeout=3)
        seen["past the deadline"] = ending(outer, finished)
        seen["released past the deadline"] = list(log)

        log = []
        outer = asyncio.ensure_future(with_timeout(holds_connection(log), 30, default="fallback"))
        await asyncio.sleep(0.02)
        outer.cancel()
        finished, _ = await asyncio.wait([outer], timeout=3)
        seen["cancelled"] = ending(outer, finished)
        seen["released when cancelled"] = list(log)

        # Cancelled after the deadline, while with_timeout waits for the coroutine's cleanup.
        cleaning, may_finish = asyncio.Event(), asyncio.Event()

        async def slow_to_clean_up():
            try:
                await asyncio.Event().wait()
            finally:
                cleaning.set()
                await may_finish.wait()  # a cleanup that lasts until the test lets it finish

        outer = asyncio.ensure_future(with_timeout(slow_to_clean_up(), 0.02, default="fallback"))
        cleanup_began = asyncio.ensure_future(cleaning.wait())
        await asyncio.wait([cleanup_began], timeout=3)
        seen["cleanup began"] = cleaning.is_set()
        if not cleaning.is_set():
            cleanup_began.cancel()
            outer.cancel()
            return seen
        outer.cancel()
        await asyncio.sleep(0.01)
        may_finish.set()
        finished, _ = await asyncio.wait([outer], timeout=3)
        seen["cancelled during the cleanup"] = ending(outer, finished)
        return seen

    return on_own_loop(main, seconds=60)


_run = beside(_observed)
expect(_run["finished"], "with_timeout did not finish: does something block the event loop?")
_seen = _run["returned"]
expect(
    _seen["past the deadline"] != "not finished",
    "with_timeout did not finish after its deadline passed",
)
expect(
    _seen["past the deadline"] in ("returned", "raised TimeoutError"),
    "when the coroutine misses its deadline, with_timeout itself must not end cancelled or "
    "with another error",
)
expect(
    _seen["released past the deadline"] == ["released"],
    "with_timeout returned before the cancelled coroutine's cleanup (its finally block) finished",
)
expect(
    _seen["cancelled"] != "not finished",
    "with_timeout did not stop when the task running it was cancelled",
)
expect(
    _seen["cancelled"] == "cancelled",
    "when the task running with_timeout is cancelled, with_timeout must let CancelledError out "
    "(it returned or raised something else: a swallowed cancellation)",
)
expect(
    _seen["released when cancelled"] == ["released"],
    "when the task running with_timeout was cancelled, the inner coroutine was not cancelled and "
    "cleaned up before with_timeout finished",
)
expect(_seen["cleanup began"], "with_timeout did not cancel a coroutine that missed its deadline")
expect(
    _seen["cancelled during the cleanup"] != "not finished",
    "with_timeout did not stop when the task running it was cancelled",
)
expect(
    _seen["cancelled during the cleanup"] == "cancelled",
    "when the task running with_timeout is cancelled while with_timeout waits for the "
    "coroutine's cleanup after the deadline, with_timeout must let CancelledError out (it "
    "returned or raised something else: a swallowed cancellation)",
)
### END HIDDEN TESTS
