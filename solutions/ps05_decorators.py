# %% [markdown]
# # ps05 · Decorators: retry, a TTL cache, and a role check (26 points)
#
# Three decorators a backend uses every day, each a direct use of
# [05 · Decorators](../05_decorators.ipynb):
#
# - **Part A** · `retry(...)`: call again when a named exception comes out, with exponential
#   back-off, for plain and `async def` functions (13 points);
# - **Part B** · `ttl_cache(seconds, clock=...)`: keep results for a fixed time, measured by a
#   clock you can replace (8 points);
# - **Part C** · `require_role(role)`: refuse to call a function unless the user holds a role
#   (5 points).
#
# **How this notebook is graded.** You write one decorator per part, in its answer cell. The
# test cells below each part check it and show their points. Every test cell also holds
# **hidden tests** that run only when your instructor grades the notebook (Validate and `advpy
# check` run the visible ones): passing the visible checks is necessary, not sufficient. Each
# part states its exact contract; the hidden tests check that and nothing beyond it. Nothing
# here really waits: the tests hand your decorators a fake `sleep` and a fake clock.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the stand-ins the tests use
# too (a sleep that only records, a clock you move by hand, functions that fail on purpose).
# Try them in the scratch cells.
import asyncio
import functools
import inspect
import time
from dataclasses import dataclass


class NotAuthenticated(Exception):
    """Raised when a function that needs a user is called without one."""


class PermissionDenied(Exception):
    """Raised when the user lacks the role a function needs."""


@dataclass(frozen=True)
class User:
    """A user: a name and the roles they hold."""

    name: str
    roles: frozenset = frozenset()


class SleepLog:
    """Stands in for time.sleep: records each delay it is asked for, and returns at once."""

    def __init__(self):
        self.delays = []

    def __call__(self, seconds):
        self.delays.append(seconds)


class AsyncSleepLog:
    """Stands in for asyncio.sleep: records each delay when awaited, then lets the event loop
    run other tasks once (as a real asyncio.sleep does), without waiting."""

    def __init__(self):
        self.delays = []

    async def __call__(self, seconds):
        self.delays.append(seconds)
        await asyncio.sleep(0)


class FakeClock:
    """A clock that returns `now`, which moves only when you call advance(seconds)."""

    def __init__(self, start=1000.0):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


def failing_then(*failures, value="ok"):
    """A plain function that raises each exception of `failures` in turn, one per call, then
    returns `value` on every later call. Its `calls` list holds the (args, kwargs) of each call."""
    pending = list(failures)

    def flaky(*args, **kwargs):
        flaky.calls.append((args, kwargs))
        if pending:
            raise pending.pop(0)
        return value

    flaky.calls = []
    return flaky


def async_failing_then(*failures, value="ok"):
    """The same as failing_then, as an `async def` function: each call awaits once, then
    raises the next failure or returns `value`."""
    pending = list(failures)

    async def flaky(*args, **kwargs):
        flaky.calls.append((args, kwargs))
        await asyncio.sleep(0)
        if pending:
            raise pending.pop(0)
        return value

    flaky.calls = []
    return flaky


# %% [markdown]
# ## Part A · `retry`: try again, with exponential back-off
#
# A call to another service fails now and then with a `ConnectionError` or a `TimeoutError`,
# and works a moment later. Write a decorator factory
#
# ```python
# retry(exceptions, *, attempts=3, base=0.1, cap=1.0, jitter=None,
#       sleep=time.sleep, async_sleep=asyncio.sleep)
# ```
#
# used as `@retry(ConnectionError, attempts=5)` above a function. The example: with
# `attempts=5, base=0.5, cap=3.0`, a function that always fails is called 5 times, with
# pauses of `0.5`, `1.0`, `2.0` and `3.0` seconds between the calls, then its last exception
# comes out.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `exceptions` is an exception class or a tuple of them. A call that raises one of them (or
#   an instance of a subclass) is **retried**. Any other exception comes out **at once**: no
#   pause, no further call.
# - `attempts` is the most calls one call of the decorated function makes, the first one
#   included. `retry(...)` raises `ValueError` when `attempts < 1`. Every call of the decorated
#   function starts again with `attempts` calls available.
# - Before retry number `k` (k = 1 for the second call, 2 for the third, ...) it pauses
#   `min(cap, base * 2 ** (k - 1))` seconds. If `jitter` is given (a function), it pauses
#   `jitter(that capped delay)` instead. No pause before the first call, and none after the
#   last one.
# - When the last call fails too, that **last exception itself** comes out (the same object,
#   not a new or a wrapped one). When a call succeeds, its result is returned at once.
# - Each call gets the decorated function's arguments, positional and keyword, unchanged.
# - Pauses go through the `sleep` parameter (`sleep(seconds)`), never through `time.sleep`
#   directly, so that the tests can record them.
# - The decorated function keeps the original's identity as `functools.wraps` gives it:
#   `__name__`, `__qualname__`, `__doc__`, `__module__`, and `__wrapped__` (the original).
# - **`async def` functions.** If the function is a coroutine function, the decorated function
#   is one too (`inspect.iscoroutinefunction` says `True`): each call is awaited, and each pause
#   is `await async_sleep(seconds)`. `sleep` is never called then (it would block the event
#   loop). Everything else above holds the same.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Three levels: `retry(...)` checks `attempts` and returns `decorate`; `decorate(func)` returns
# the wrapper, decorated with `@functools.wraps(func)`; the wrapper loops over the attempts.
# `except exceptions:` accepts a class or a tuple of classes.
# </details>
#
# <details><summary>Hint 2 (the loop)</summary>
#
# Loop over the attempt numbers 1, 2, ..., `attempts`. In each, call the function inside
# `try`; on success `return` the result; in `except exceptions:`, on the last attempt use a
# bare `raise` (it re-raises the exception being handled, the same object); otherwise compute
# the delay for that retry number, apply `jitter` if there is one, and `sleep` it.
# </details>
#
# <details><summary>Hint 3 (async)</summary>
#
# In `decorate`, test `inspect.iscoroutinefunction(func)` once. If it is true, define the
# wrapper with `async def`, `await func(*args, **kwargs)` inside the `try`, and
# `await async_sleep(delay)`. Share the delay computation between the two wrappers with a
# small helper function.
# </details>


# %% nbgrader="solution" grade_id="retry_answer"
def retry(
    exceptions,
    *,
    attempts=3,
    base=0.1,
    cap=1.0,
    jitter=None,
    sleep=time.sleep,
    async_sleep=asyncio.sleep,
):
    """Return a decorator that retries the decorated function (plain or async) when it raises
    one of `exceptions`, at most `attempts` calls in all, pausing min(cap, base * 2 ** (k - 1))
    seconds (passed through `jitter` if given) before retry number k."""
    ### BEGIN SOLUTION
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")

    def pause(retry_number):
        delay = min(cap, base * 2 ** (retry_number - 1))
        return delay if jitter is None else jitter(delay)

    def decorate(func):
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args, **kwargs):
                for attempt in range(1, attempts + 1):
                    try:
                        return await func(*args, **kwargs)
                    except exceptions:
                        if attempt == attempts:
                            raise
                    await async_sleep(pause(attempt))

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts:
                        raise
                sleep(pause(attempt))

        return wrapper

    return decorate
    ### END SOLUTION


# %%
# Scratch cell: try your decorator here. It is not graded.
pauses = SleepLog()
lookup = retry(ConnectionError, attempts=4, base=0.5, sleep=pauses)(
    failing_then(ConnectionError("down"), ConnectionError("still down"), value=42)
)
print(lookup(), "after", len(lookup.__wrapped__.calls), "calls; pauses:", pauses.delays)

# %% [markdown]
# ### Check A1 · the wrapped function keeps its identity (2 points)

# %% nbgrader="tests" grade_id="retry_tests_metadata" points=2
"""The decorated function keeps __name__, __qualname__, __doc__, __module__ and __wrapped__,
for plain and async def functions."""
from advpy.checks import expect, expect_wraps


def fetch_price(item):
    """Ask the price service for the price of `item`."""
    return 9.5


decorated = retry(ConnectionError, sleep=SleepLog())(fetch_price)
expect(
    decorated.__name__ == "fetch_price",
    "the decorated function's __name__ must be 'fetch_price' (use functools.wraps)",
)
expect(
    decorated.__doc__ == fetch_price.__doc__,
    "the decorated function must keep the original's docstring",
)
expect(
    getattr(decorated, "__wrapped__", None) is fetch_price,
    "the decorated function's __wrapped__ must be the original function",
)


### BEGIN HIDDEN TESTS
class _h_Shop:
    def stock(self, item, *, warehouse="main"):
        """How many of `item` are in stock."""
        return 3


_h_original = _h_Shop.stock
_h_wrapped = retry((ConnectionError, TimeoutError), attempts=2, sleep=SleepLog())(_h_original)
expect_wraps(_h_wrapped, _h_original, "a decorated method must keep its identity")
expect(
    inspect.signature(_h_wrapped) == inspect.signature(_h_original),
    "inspect.signature of the decorated function must show the original's parameters",
)


async def _h_fetch_async(item):
    """Ask the price service, asynchronously."""
    return 1


_h_async_wrapped = retry(ConnectionError, async_sleep=AsyncSleepLog())(_h_fetch_async)
expect_wraps(
    _h_async_wrapped, _h_fetch_async, "a decorated async def function must keep its identity"
)
expect_wraps(decorated, fetch_price, "the decorated function must keep its identity")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · attempts and results (3 points)

# %% nbgrader="tests" grade_id="retry_tests_attempts" points=3
"""Results pass through; a function is called again until it succeeds or `attempts` calls
have failed; then the last exception itself comes out. Arguments reach every call."""
from advpy.checks import expect, expect_raises, expect_same

flaky = failing_then(ConnectionError("down"), ConnectionError("down again"), value=42)
got = retry(ConnectionError, attempts=3, sleep=SleepLog())(flaky)("tea", size="large")
expect_same(got, 42, "the result after two failures and a success", show=True)
expect_same(
    flaky.calls,
    [(("tea",), {"size": "large"})] * 3,
    "the (args, kwargs) of each call of a function that failed twice, with attempts=3",
    show=True,
)
last = ConnectionError("third failure")
always = failing_then(ConnectionError("first"), ConnectionError("second"), last)
expect_raises(
    lambda: retry(ConnectionError, attempts=3, sleep=SleepLog())(always)(),
    ConnectionError,
    "a function that fails every time must end with its last exception",
    same_as=last,
)
expect(
    len(always.calls) == 3, f"attempts=3 must call the function 3 times, not {len(always.calls)}"
)
### BEGIN HIDDEN TESTS
_h_zero = failing_then(value=0)
expect_same(
    retry(ValueError, sleep=SleepLog())(_h_zero)(),
    0,
    "a falsy result of a successful first call must be returned as it is",
)
expect(len(_h_zero.calls) == 1, "a first call that succeeds must not be repeated")

_h_errors = [TimeoutError(f"slow {i}") for i in range(6)]
_h_down = failing_then(*_h_errors)
expect_raises(
    lambda: retry(TimeoutError, attempts=5, base=0.01, sleep=SleepLog())(_h_down)(1, 2, k=3),
    TimeoutError,
    "after `attempts` failures the last exception itself must come out",
    same_as=_h_errors[4],
)
expect(
    len(_h_down.calls) == 5, "attempts=5 must make exactly 5 calls of a function that keeps failing"
)
expect(
    _h_down.calls == [((1, 2), {"k": 3})] * 5,
    "every call must get the decorated function's arguments unchanged",
)

_h_first_error = KeyError("x")
_h_once = failing_then(_h_first_error, KeyError("y"))
expect_raises(
    lambda: retry(KeyError, attempts=1, sleep=SleepLog())(_h_once)(),
    KeyError,
    "attempts=1 means one call: its exception must come out",
    same_as=_h_first_error,
)
expect(len(_h_once.calls) == 1, "attempts=1 must call the function exactly once")

_h_state = {"calls": 0}


def _h_every_other():
    _h_state["calls"] += 1
    if _h_state["calls"] % 2:
        raise ConnectionError("odd call")
    return _h_state["calls"]


_h_alternating = retry(ConnectionError, attempts=2, sleep=SleepLog())(_h_every_other)
expect_same(
    [_h_alternating(), _h_alternating(), _h_alternating()],
    [2, 4, 6],
    "each call of the decorated function must start again with `attempts` calls available",
)
_h_three = failing_then(ValueError("a"), ValueError("b"), value="third time")
expect_same(
    retry(ValueError, sleep=SleepLog())(_h_three)(),
    "third time",
    "the default `attempts` must be 3",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · the pauses: exponential, capped, jittered (3 points)

# %% nbgrader="tests" grade_id="retry_tests_backoff" points=3
"""The pauses are exactly min(cap, base * 2 ** (k - 1)) before retry k, passed through
`jitter` when it is given, none after the last call; they go through `sleep`."""
from advpy.checks import expect_raises, expect_same

pauses = SleepLog()
always = failing_then(*[ConnectionError("down")] * 5)
expect_raises(
    lambda: retry(ConnectionError, attempts=5, base=0.5, cap=3.0, sleep=pauses)(always)(),
    ConnectionError,
    "a function that fails 5 times with attempts=5 must end with its exception",
)
expect_same(
    pauses.delays,
    [0.5, 1.0, 2.0, 3.0],
    "the pauses of attempts=5, base=0.5, cap=3.0 for a function that always fails",
    show=True,
)
pauses = SleepLog()
flaky = failing_then(ConnectionError("down"), ConnectionError("down"))
retry(ConnectionError, attempts=4, base=0.25, cap=8.0, jitter=lambda d: d / 2, sleep=pauses)(
    flaky
)()
expect_same(
    pauses.delays,
    [0.125, 0.25],
    "the pauses of base=0.25, jitter=lambda d: d / 2 for a function failing twice",
    show=True,
)
### BEGIN HIDDEN TESTS
_h_pauses = SleepLog()
_h_down = failing_then(*[OSError("x")] * 8)
expect_raises(
    lambda: retry(OSError, attempts=8, base=0.125, cap=1.0, sleep=_h_pauses)(_h_down)(),
    OSError,
    "a function that always fails must end with its exception",
)
expect_same(
    _h_pauses.delays,
    [0.125, 0.25, 0.5, 1.0, 1.0, 1.0, 1.0],
    "the pauses must double from `base`, stay at `cap` once they reach it, and stop after "
    "the last call",
)
_h_pauses = SleepLog()
_h_down = failing_then(*[OSError("x")] * 4)
expect_raises(
    lambda: retry(OSError, attempts=4, base=2.0, cap=3.0, jitter=lambda d: d / 4, sleep=_h_pauses)(
        _h_down
    )(),
    OSError,
    "a function that always fails must end with its exception",
)
expect_same(
    _h_pauses.delays,
    [0.5, 0.75, 0.75],
    "`jitter` must be applied to the delay after the cap",
)
_h_pauses = SleepLog()
_h_down = failing_then(*[OSError("x")] * 3)
expect_raises(
    lambda: retry(OSError, sleep=_h_pauses)(_h_down)(),
    OSError,
    "a function that always fails must end with its exception",
)
expect_same(
    _h_pauses.delays, [0.1, 0.2], "the default base (0.1) and attempts (3) give other pauses"
)
_h_pauses = SleepLog()
_h_down = failing_then(*[OSError("x")] * 6)
expect_raises(
    lambda: retry(OSError, attempts=6, base=0.5, sleep=_h_pauses)(_h_down)(),
    OSError,
    "a function that always fails must end with its exception",
)
expect_same(
    _h_pauses.delays, [0.5, 1.0, 1.0, 1.0, 1.0], "the default cap (1.0) must bound the pauses"
)
_h_pauses = SleepLog()
retry(OSError, attempts=5, base=0.5, jitter=lambda d: 0.0, sleep=_h_pauses)(
    failing_then(OSError("x"))
)()
expect_same(_h_pauses.delays, [0.0], "the value `jitter` returns must be the pause, even 0.0")
_h_pauses = SleepLog()
retry(OSError, attempts=3, base=0.5, sleep=_h_pauses)(failing_then())()
expect_same(_h_pauses.delays, [], "a call that succeeds at once must not pause")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A4 · only the named exceptions are retried (2 points)

# %% nbgrader="tests" grade_id="retry_tests_exceptions" points=2
"""Exceptions not named come out at once (one call, no pause); a tuple names several classes
and subclasses count; attempts < 1 raises ValueError when retry(...) is called."""
from advpy.checks import expect, expect_raises

pauses = SleepLog()
bug = ValueError("a bug, not an outage")
broken = failing_then(bug)
expect_raises(
    lambda: retry(ConnectionError, attempts=3, sleep=pauses)(broken)(),
    ValueError,
    "a ValueError, not named in retry(ConnectionError, ...), must come out at once",
    same_as=bug,
)
expect(
    len(broken.calls) == 1 and pauses.delays == [],
    "an exception that is not named must not be retried: one call, no pause",
)
expect_raises(
    lambda: retry(ConnectionError, attempts=0),
    ValueError,
    "retry(ConnectionError, attempts=0) must raise ValueError",
)
### BEGIN HIDDEN TESTS
_h_pauses = SleepLog()
_h_mixed = failing_then(ConnectionResetError("reset"), TimeoutError("slow"), value="fine")
expect(
    retry((ConnectionError, TimeoutError), attempts=3, sleep=_h_pauses)(_h_mixed)() == "fine",
    "with a tuple of exceptions, each of them (and their subclasses) must be retried",
)
expect(len(_h_mixed.calls) == 3, "with a tuple of exceptions, each of them must be retried")

_h_pauses = SleepLog()
_h_other = KeyError("missing")
_h_then_other = failing_then(ConnectionError("down"), _h_other, ConnectionError("down"))
expect_raises(
    lambda: retry((ConnectionError, TimeoutError), attempts=5, sleep=_h_pauses)(_h_then_other)(),
    KeyError,
    "an exception not named must come out at once, even after retries",
    same_as=_h_other,
)
expect(
    len(_h_then_other.calls) == 2 and len(_h_pauses.delays) == 1,
    "an exception not named must stop the retries at once, without a pause",
)


class _h_ServiceDown(Exception):
    pass


class _h_Maintenance(_h_ServiceDown):
    pass


_h_pauses = SleepLog()
_h_sub = failing_then(_h_Maintenance("back soon"), value="open")
expect(
    retry(_h_ServiceDown, attempts=2, sleep=_h_pauses)(_h_sub)() == "open",
    "an instance of a subclass of a named exception must be retried",
)
_h_pauses = SleepLog()
_h_parent = failing_then(_h_ServiceDown("down"), value="open")
expect_raises(
    lambda: retry(_h_Maintenance, attempts=3, sleep=_h_pauses)(_h_parent)(),
    _h_ServiceDown,
    "an instance of a base class of the named exception is not named: it must come out at once",
)
expect(len(_h_parent.calls) == 1, "an exception that is not named must not be retried")
expect_raises(
    lambda: retry(ConnectionError, attempts=-2),
    ValueError,
    "a negative `attempts` must raise ValueError when retry(...) is called",
)
expect(
    callable(retry(ConnectionError, attempts=1)),
    "attempts=1 is allowed: retry(...) must return a decorator",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A5 · `async def` functions (3 points)

# %% nbgrader="tests" grade_id="retry_tests_async" points=3
"""An async def function stays a coroutine function; its calls are awaited and retried, and
its pauses are awaited through `async_sleep`, never through `sleep`."""
from advpy.checks import expect, expect_same

sync_pauses, async_pauses = SleepLog(), AsyncSleepLog()
lookup = async_failing_then(ConnectionError("down"), ConnectionError("down"), value="found")
decorated = retry(
    ConnectionError, attempts=3, base=0.5, cap=4.0, sleep=sync_pauses, async_sleep=async_pauses
)(lookup)
expect(
    inspect.iscoroutinefunction(decorated),
    "retry on an async def function must give an async def function",
)
expect_same(await decorated("tea"), "found", "the awaited result after two failures", show=True)
expect_same(async_pauses.delays, [0.5, 1.0], "the pauses awaited through async_sleep", show=True)
expect(sync_pauses.delays == [], "an async function must never call the blocking `sleep`")
expect(len(lookup.calls) == 3, "the async function must be called (and awaited) 3 times")
### BEGIN HIDDEN TESTS
from advpy.checks import raised_by_async as _h_raised_by_async

_h_sync, _h_async = SleepLog(), AsyncSleepLog()
_h_errors = [TimeoutError(f"slow {i}") for i in range(5)]
_h_down = async_failing_then(*_h_errors)
_h_decorated = retry(
    TimeoutError, attempts=4, base=0.25, cap=0.5, sleep=_h_sync, async_sleep=_h_async
)(_h_down)
_h_error = await _h_raised_by_async(_h_decorated(7, mode="fast"))
expect(
    _h_error is _h_errors[3],
    "an async function failing every time must end with its last exception itself",
)
expect(len(_h_down.calls) == 4, "attempts=4 must make exactly 4 calls of an async function")
expect(_h_down.calls == [((7,), {"mode": "fast"})] * 4, "every call must get the same arguments")
expect_same(
    _h_async.delays,
    [0.25, 0.5, 0.5],
    "the async pauses must be exponential, capped, and none after the last call",
)
expect(_h_sync.delays == [], "an async function must never call the blocking `sleep`")

_h_sync, _h_async = SleepLog(), AsyncSleepLog()
_h_bug = KeyError("not an outage")
_h_broken = async_failing_then(_h_bug, value="never")
_h_error = await _h_raised_by_async(
    retry(ConnectionError, attempts=3, sleep=_h_sync, async_sleep=_h_async)(_h_broken)()
)
expect(_h_error is _h_bug, "an async function's exception not named must come out at once")
expect(
    len(_h_broken.calls) == 1 and _h_async.delays == [] and _h_sync.delays == [],
    "an async function's exception not named must not be retried",
)

_h_sync, _h_async = SleepLog(), AsyncSleepLog()
_h_jittered = retry(
    ConnectionError,
    attempts=3,
    base=1.0,
    cap=1.5,
    jitter=lambda d: d * 2,
    sleep=_h_sync,
    async_sleep=_h_async,
)(async_failing_then(ConnectionError("a"), ConnectionError("b"), value=0))
expect_same(await _h_jittered(), 0, "a falsy result must be returned as it is")
expect_same(_h_async.delays, [2.0, 3.0], "`jitter` must also apply to async pauses")

_h_count = {"calls": 0}


async def _h_every_other():
    _h_count["calls"] += 1
    await asyncio.sleep(0)
    if _h_count["calls"] % 2:
        raise ConnectionError("odd call")
    return _h_count["calls"]


_h_alternating = retry(ConnectionError, attempts=2, async_sleep=AsyncSleepLog(), sleep=SleepLog())(
    _h_every_other
)
expect(
    [await _h_alternating(), await _h_alternating(), await _h_alternating()] == [2, 4, 6],
    "each call of an async decorated function must start again with `attempts` calls",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `ttl_cache`: results that expire
#
# `functools.lru_cache` keeps a result until it is evicted, however old: an exchange rate or a
# permission list would be served stale forever. Write a decorator factory
# `ttl_cache(seconds, clock=time.monotonic)` that keeps each result for `seconds`, as read from
# `clock` (a function returning the time in seconds).
#
# | time (`clock()`) | call | the function runs? | why |
# |---|---|---|---|
# | 100.0 | `rate("EUR")` | yes | nothing cached; the entry is stored at 100.0 |
# | 105.0 | `rate("EUR")` | no | 5 s old: fresh (seconds = 10) |
# | 105.0 | `rate("USD")` | yes | other arguments, another entry |
# | 110.0 | `rate("EUR")` | yes | exactly 10 s old: expired; stored again at 110.0 |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `seconds > 0` (a number); `ttl_cache(...)` raises `ValueError` otherwise.
# - Results are kept per arguments: calls with equal positional arguments and equal keyword
#   arguments share an entry, whatever order the keywords are given in. Arguments are hashable.
#   (Whether `f(1)` and `f(x=1)` share an entry is up to you.)
# - On a call whose arguments have no fresh entry, the clock is read **once, before** the
#   function runs; the function is called, and its result is stored with that time.
# - An entry stored at time `t` is fresh while `clock() - t < seconds`: such a call returns the
#   stored result without calling the function, and leaves the entry's time unchanged. From
#   `clock() - t >= seconds` on, it has expired (at exactly `seconds` too).
# - Every result is cached, `None`, `0`, `""` and `False` included. If the function raises,
#   nothing is stored and the exception comes out.
# - Each decorated function has its own cache, also when one `ttl_cache(...)` decorator
#   decorates several functions.
# - The clock is read only through `clock`. The decorated function keeps the original's
#   identity as `functools.wraps` gives it.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (the key)</summary>
#
# `(args, frozenset(kwargs.items()))` is a hashable key in which the order of the keywords no
# longer matters (`tuple(sorted(kwargs.items()))` works too).
# </details>
#
# <details><summary>Hint 2 (where the cache lives)</summary>
#
# Create the dict inside `decorate(func)`, not in `ttl_cache(...)`: `decorate` runs once per
# decorated function, `ttl_cache` once per `@ttl_cache(...)` line. Store `(time, result)`, and
# test "has an entry" with `key in cache`, not with the result's truth.
# </details>


# %% nbgrader="solution" grade_id="ttl_cache_answer"
def ttl_cache(seconds, clock=time.monotonic):
    """Return a decorator that caches results per arguments for `seconds`, as read from
    `clock`; an entry expires when exactly `seconds` have passed."""
    ### BEGIN SOLUTION
    if not seconds > 0:
        raise ValueError(f"seconds must be positive, not {seconds}")

    def decorate(func):
        entries = {}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, frozenset(kwargs.items()))
            now = clock()
            if key in entries:
                stored_at, result = entries[key]
                if now - stored_at < seconds:
                    return result
            result = func(*args, **kwargs)
            entries[key] = (now, result)
            return result

        return wrapper

    return decorate
    ### END SOLUTION


# %%
# Scratch cell: try your decorator here. It is not graded.
clock = FakeClock(start=100.0)


@ttl_cache(10, clock=clock)
def rate(currency):
    print("  fetching", currency, "at", clock())
    return 1.08


rate("EUR")
clock.advance(5)
rate("EUR")
clock.advance(5)
rate("EUR")

# %% [markdown]
# ### Check B1 · hits, keys and falsy results (3 points)

# %% nbgrader="tests" grade_id="ttl_cache_tests_hits" points=3
"""A fresh entry is returned without calling the function; entries are per arguments
(positional and keyword, in any keyword order); falsy results are cached; exceptions are not."""
from advpy.checks import expect_same

clock = FakeClock()
runs = []


@ttl_cache(10, clock=clock)
def price(item, currency="EUR"):
    runs.append((item, currency))
    return len(item) * 1.5


got = [price("tea"), price("tea"), price("cake"), price("tea", currency="USD")]
got.append(price("tea", currency="USD"))
expect_same(got, [4.5, 4.5, 6.0, 4.5, 4.5], "the results of five calls", show=True)
expect_same(
    runs,
    [("tea", "EUR"), ("cake", "EUR"), ("tea", "USD")],
    "the calls that ran the function (the others must come from the cache)",
    show=True,
)
nothing_runs = []


@ttl_cache(10, clock=clock)
def find_coupon(code):
    nothing_runs.append(code)
    return None


expect_same(
    [find_coupon("X1"), find_coupon("X1")],
    [None, None],
    "two calls of a function returning None",
    show=True,
)
expect_same(
    len(nothing_runs), 1, "how often a function returning None ran for two calls", show=True
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect as _h_expect
from advpy.checks import expect_raises as _h_expect_raises

_h_clock = FakeClock(50.0)
_h_runs = []


@ttl_cache(30, clock=_h_clock)
def _h_quote(a, b=0, *, c=0, d=0):
    _h_runs.append((a, b, c, d))
    return a + b + c + d


_h_expect(_h_quote(1, c=2, d=3) == 6, "a keyword call must return the function's result")
_h_expect(
    _h_quote(1, d=3, c=2) == 6, "keyword arguments in another order must give the same result"
)
_h_expect(
    len(_h_runs) == 1,
    "calls with the same keyword arguments in another order must share one entry",
)
_h_quote(1, c=2, d=4)
_h_quote(1, c=2)
_h_expect(len(_h_runs) == 3, "calls with different keyword arguments must not share an entry")
_h_quote(1, 2)
_h_quote(2, 1)
_h_expect(len(_h_runs) == 5, "positional arguments in another order are other arguments")
_h_quote(1, 2)
_h_expect(len(_h_runs) == 5, "a fresh entry must be returned without calling the function again")

for _h_falsy in (0, "", False, [], 0.0):
    _h_falsy_runs = []

    def _h_make(value, runs):
        def _h_returns():
            runs.append(1)
            return value

        return _h_returns

    _h_cached = ttl_cache(5, clock=_h_clock)(_h_make(_h_falsy, _h_falsy_runs))
    _h_first, _h_second = _h_cached(), _h_cached()
    _h_expect(
        len(_h_falsy_runs) == 1 and _h_second is _h_first,
        "a falsy result (0, '', False, [], 0.0) must be cached like any other",
    )

_h_fails = {"left": 1, "runs": 0}


@ttl_cache(5, clock=_h_clock)
def _h_unreliable(x):
    _h_fails["runs"] += 1
    if _h_fails["left"]:
        _h_fails["left"] -= 1
        raise LookupError("backend down")
    return x * 2


_h_expect_raises(lambda: _h_unreliable(4), LookupError, "the function's exception must come out")
_h_expect(_h_unreliable(4) == 8, "after an exception, the next call must run the function again")
_h_expect(_h_fails["runs"] == 2, "an exception must not be cached")
_h_expect(
    _h_unreliable(4) == 8 and _h_fails["runs"] == 2, "the result after the failure must be cached"
)
_h_shared = []


@ttl_cache(5, clock=_h_clock)
def _h_listing(n):
    _h_shared.append(n)
    return [n]


_h_expect(_h_listing(3) is _h_listing(3), "a hit must return the very object stored")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · expiry, exactly at `seconds` (3 points)

# %% nbgrader="tests" grade_id="ttl_cache_tests_expiry" points=3
"""An entry is fresh while clock() - stored time < seconds and expires at exactly `seconds`;
a hit does not renew it; the time stored is the clock read before the function runs."""
from advpy.checks import expect_same

clock = FakeClock(start=100.0)
runs = []


@ttl_cache(10, clock=clock)
def rate(currency):
    runs.append(clock())
    return 1.08


rate("EUR")  # t = 100: stored
clock.advance(5)
rate("EUR")  # t = 105: fresh
clock.advance(20)
rate("EUR")  # t = 125: expired, stored again
clock.advance(4)
rate("EUR")  # t = 129: fresh
expect_same(runs, [100.0, 125.0], "the times at which the function ran", show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import expect as _h_expect

_h_clock = FakeClock(0.0)
_h_times = []


@ttl_cache(2.5, clock=_h_clock)
def _h_stamp(x):
    _h_times.append(_h_clock())
    return x


_h_stamp("a")
_h_clock.now = 2.5 - 1 / 1024
_h_stamp("a")
_h_expect(_h_times == [0.0], "an entry must stay fresh until just before `seconds` have passed")
_h_clock.now = 2.5
_h_stamp("a")
_h_expect(
    _h_times == [0.0, 2.5],
    "an entry must expire when exactly `seconds` have passed (clock() - stored >= seconds)",
)
_h_clock.now = 4.0
_h_stamp("a")
_h_clock.now = 5.0 - 1 / 1024
_h_stamp("a")
_h_expect(_h_times == [0.0, 2.5], "an entry stored again must be fresh for `seconds` from then")
_h_clock.now = 5.0
_h_stamp("a")
_h_expect(
    _h_times == [0.0, 2.5, 5.0], "an entry stored again must expire `seconds` after it was stored"
)

_h_clock = FakeClock(10.0)
_h_times = []


@ttl_cache(8, clock=_h_clock)
def _h_read(x):
    _h_times.append(_h_clock())
    return x


_h_read(1)  # stored at 10
_h_clock.now = 16.0
_h_read(1)  # a hit at 16 must not renew the entry
_h_clock.now = 18.0
_h_read(1)
_h_expect(
    _h_times == [10.0, 18.0],
    "a hit must not renew the entry: it expires `seconds` after it was stored",
)

_h_clock = FakeClock(0.0)
_h_times = []


@ttl_cache(5, clock=_h_clock)
def _h_slow(x):
    _h_times.append(_h_clock())
    _h_clock.advance(3)  # the function itself takes 3 s
    return x


_h_slow("q")  # starts at 0, ends at 3: the entry's time is 0
_h_clock.now = 4.0
_h_slow("q")
_h_expect(len(_h_times) == 1, "an entry must be fresh within `seconds`")
_h_clock.now = 5.0
_h_slow("q")
_h_expect(
    _h_times == [0.0, 5.0],
    "the time stored must be the clock read before the function runs, not after it returns",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · one cache per function, identity kept, `seconds` checked (2 points)

# %% nbgrader="tests" grade_id="ttl_cache_tests_independent" points=2
"""Each decorated function has its own cache, even with one ttl_cache(...) decorator for
several functions; the identity is kept; seconds <= 0 raises ValueError."""
from advpy.checks import expect, expect_raises, expect_same

clock = FakeClock()
cache_for_a_minute = ttl_cache(60, clock=clock)


@cache_for_a_minute
def double(x):
    """Twice x."""
    return 2 * x


@cache_for_a_minute
def square(x):
    return x * x


expect_same(
    [double(3), square(3)], [6, 9], "double(3) and square(3), one decorator for both", show=True
)
expect(double.__name__ == "double", "the decorated function's __name__ must be kept")
expect(
    getattr(getattr(double, "__wrapped__", None), "__doc__", None) == "Twice x.",
    "__wrapped__ must be the original function",
)
expect_raises(lambda: ttl_cache(0), ValueError, "ttl_cache(0) must raise ValueError")
### BEGIN HIDDEN TESTS
from advpy.checks import expect_wraps as _h_expect_wraps

_h_clock = FakeClock()


@ttl_cache(60, clock=_h_clock)
def _h_plus_one(x):
    """x + 1"""
    return x + 1


@ttl_cache(60, clock=_h_clock)
def _h_minus_one(x):
    return x - 1


expect(
    [_h_plus_one(10), _h_minus_one(10), _h_plus_one(10)] == [11, 9, 11],
    "functions decorated separately must not share their caches",
)
_h_decorate = ttl_cache(60, clock=_h_clock)
_h_upper = _h_decorate(str.upper)
_h_lower = _h_decorate(str.lower)
expect(
    [_h_upper("Ab"), _h_lower("Ab"), _h_upper("Ab")] == ["AB", "ab", "AB"],
    "two functions decorated by one ttl_cache(...) decorator must not share a cache",
)


def _h_original(x, y=1):
    """Some docstring."""
    return x


_h_expect_wraps(
    ttl_cache(1, clock=_h_clock)(_h_original), _h_original, "ttl_cache must keep the identity"
)
expect_raises(lambda: ttl_cache(-5), ValueError, "a negative `seconds` must raise ValueError")
expect(
    callable(ttl_cache(0.5, clock=_h_clock)),
    "a positive fraction of a second is allowed: ttl_cache(0.5) must return a decorator",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `require_role`: check before calling
#
# Admin operations must refuse callers who are not logged in, or who lack the right role. Write
# a decorator factory `require_role(role)` for functions whose user comes first:
# `@require_role("admin")` above `def delete_user(user, name): ...`. The setup cell defines
# `User(name, roles)` (roles is a frozenset of strings), `NotAuthenticated` and
# `PermissionDenied`.
#
# With `grace = User("grace", frozenset({"admin"}))` and `ada = User("ada", frozenset({"viewer"}))`:
#
# | call | outcome |
# |---|---|
# | `delete_user(grace, "bob")` | calls `delete_user` and returns its result |
# | `delete_user(ada, "bob")` | raises `PermissionDenied("ada needs the admin role")` |
# | `delete_user(None, "bob")` | raises `NotAuthenticated("login required")` |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - The user is the decorated function's first positional argument, or, when it is passed by
#   keyword, its keyword argument `user`. It is a `User` or `None`.
# - `None`: raise `NotAuthenticated` with the message `login required`.
# - A user whose `roles` do not contain `role`: raise `PermissionDenied` with the message
#   `<name> needs the <role> role` (for example `ada needs the admin role`).
# - The exception is of exactly that class, and the function is **not called** when it is
#   raised. Otherwise the function is called with the same arguments and its result returned.
# - The check runs on every call. The decorated function keeps the original's identity as
#   `functools.wraps` gives it.


# %% nbgrader="solution" grade_id="require_role_answer"
def require_role(role):
    """Return a decorator that calls the function only if its user (first argument, or the
    keyword `user`) holds `role`; otherwise raise NotAuthenticated or PermissionDenied."""
    ### BEGIN SOLUTION

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            user = kwargs["user"] if "user" in kwargs else args[0]
            if user is None:
                raise NotAuthenticated("login required")
            if role not in user.roles:
                raise PermissionDenied(f"{user.name} needs the {role} role")
            return func(*args, **kwargs)

        return wrapper

    return decorate
    ### END SOLUTION


# %%
# Scratch cell: try your decorator here. It is not graded.
@require_role("admin")
def delete_user(user, name):
    """Delete the account `name`."""
    return f"{user.name} deleted {name}"


print(delete_user(User("grace", frozenset({"admin"})), "bob"))

# %% [markdown]
# ### Check C1 · allowed calls go through (2 points)

# %% nbgrader="tests" grade_id="require_role_tests_allowed" points=2
"""A user holding the role reaches the function, with the user passed by position or by
keyword, and gets its result; the identity is kept."""
from advpy.checks import expect, expect_same

grace = User("grace", frozenset({"admin", "viewer"}))


@require_role("admin")
def delete_user(user, name, *, hard=False):
    """Delete the account `name`."""
    return f"{user.name} deleted {name}" + (" for good" if hard else "")


expect_same(delete_user(grace, "bob"), "grace deleted bob", 'delete_user(grace, "bob")', show=True)
expect_same(
    delete_user(user=grace, name="bob", hard=True),
    "grace deleted bob for good",
    'delete_user(user=grace, name="bob", hard=True)',
    show=True,
)
expect(delete_user.__name__ == "delete_user", "the decorated function's __name__ must be kept")
expect(delete_user.__doc__ == "Delete the account `name`.", "the docstring must be kept")
### BEGIN HIDDEN TESTS
from advpy.checks import expect_wraps as _h_expect_wraps

_h_calls = []


@require_role("billing")
def _h_refund(user, order, amount=0):
    """Refund an order."""
    _h_calls.append((user.name, order, amount))
    return None if amount == 0 else amount


_h_ops = User("olu", frozenset({"billing"}))
expect(_h_refund(_h_ops, "o-1") is None, "a result of None must be returned as it is")
expect(_h_refund(_h_ops, order="o-2", amount=5) == 5, "keyword arguments must reach the function")
expect(_h_refund(user=_h_ops, order="o-3") is None, "a user passed by keyword must be found")
expect(
    _h_calls == [("olu", "o-1", 0), ("olu", "o-2", 5), ("olu", "o-3", 0)],
    "the function must be called once per allowed call, with the arguments given",
)
_h_expect_wraps(_h_refund, _h_refund.__wrapped__, "require_role must keep the identity")


def _h_plain(user):
    """Plain."""
    return user.name


_h_expect_wraps(require_role("x")(_h_plain), _h_plain, "require_role must keep the identity")
_h_many = User("mo", frozenset({"a", "b", "c"}))
expect(
    require_role("b")(_h_plain)(_h_many) == "mo",
    "a user holding several roles, among them the one required, must be let through",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · refused calls: the exact exception, the exact message (3 points)

# %% nbgrader="tests" grade_id="require_role_tests_denied" points=3
"""No user raises NotAuthenticated('login required'); a user without the role raises
PermissionDenied('<name> needs the <role> role'); the function does not run then."""
from advpy.checks import expect, expect_error_message, expect_raises

ran = []


@require_role("admin")
def delete_user(user, name):
    ran.append(name)
    return "deleted"


ada = User("ada", frozenset({"viewer"}))
denied = expect_raises(
    lambda: delete_user(ada, "bob"),
    PermissionDenied,
    "a viewer calling an admin function must get PermissionDenied",
)
expect_error_message(
    denied, "ada needs the admin role", "the PermissionDenied message for ada", show=True
)
nobody = expect_raises(
    lambda: delete_user(None, "bob"),
    NotAuthenticated,
    "a call without a user (None) must raise NotAuthenticated",
)
expect_error_message(nobody, "login required", "the NotAuthenticated message", show=True)
expect(ran == [], "the function must not run when the call is refused")
### BEGIN HIDDEN TESTS
from advpy.checks import expect_error_message as _h_expect_error_message
from advpy.checks import expect_raises as _h_expect_raises

_h_ran = []


@require_role("auditor")
def _h_export(user, year=2024):
    _h_ran.append(year)
    return "exported"


for _h_user, _h_who in [
    (User("zoe", frozenset()), "a user without any role"),
    (User("max", frozenset({"auditors", "admin"})), "a user with similar but other roles"),
]:
    _h_error = _h_expect_raises(
        lambda _h_user=_h_user: _h_export(_h_user, 2023),
        PermissionDenied,
        f"{_h_who} must get PermissionDenied",
    )
    _h_expect_error_message(
        _h_error, f"{_h_user.name} needs the auditor role", f"the message for {_h_who} is wrong"
    )
_h_error = _h_expect_raises(
    lambda: _h_export(user=User("kim", frozenset({"viewer"})), year=2022),
    PermissionDenied,
    "a user without the role, passed by keyword, must get PermissionDenied",
)
_h_expect_error_message(
    _h_error, "kim needs the auditor role", "the message for a keyword user is wrong"
)
_h_error = _h_expect_raises(
    lambda: _h_export(user=None),
    NotAuthenticated,
    "user=None passed by keyword must raise NotAuthenticated",
)
_h_expect_error_message(_h_error, "login required", "the NotAuthenticated message is wrong")
expect(_h_ran == [], "the function must not run when the call is refused")
expect(
    _h_export(User("ari", frozenset({"auditor"}))) == "exported" and _h_ran == [2024],
    "after refusals, an allowed call must still run the function once",
)
### END HIDDEN TESTS
