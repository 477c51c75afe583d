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
from advpy.checks import beside, expect, expect_same


def decorated_fetch_price():
    """fetch_price decorated by your retry, and what it shows of itself. (Run with `beside`,
    where your code runs, as the test's functions must be for your decorator to wrap them.)"""

    def fetch_price(item):
        """Ask the price service for the price of `item`."""
        return 9.5

    decorated = retry(ConnectionError, sleep=SleepLog())(fetch_price)
    return {
        "__name__": getattr(decorated, "__name__", None),
        "__doc__": getattr(decorated, "__doc__", None),
        "__wrapped__ is fetch_price": getattr(decorated, "__wrapped__", None) is fetch_price,
    }


seen = beside(decorated_fetch_price)
expect_same(
    seen["__name__"],
    "fetch_price",
    "the decorated function's __name__ (use functools.wraps)",
    show=True,
)
expect(
    seen["__doc__"] == "Ask the price service for the price of `item`.",
    "the decorated function must keep the original's docstring",
)
expect(
    seen["__wrapped__ is fetch_price"] is True,
    "the decorated function's __wrapped__ must be the original function",
)


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: functions of the test decorated by the answer's retry, and
    # which of the attributes functools.wraps sets differ from the original's.
    import inspect

    def differing(wrapper, original):
        # The attributes functools.wraps sets that the wrapper does not carry over exactly.
        absent = object()
        names = [] if getattr(wrapper, "__wrapped__", absent) is original else ["__wrapped__"]
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            mine, theirs = getattr(wrapper, name, absent), getattr(original, name, absent)
            if type(mine) is not type(theirs) or mine != theirs:
                names.append(name)
        return names

    class Shop:
        def stock(self, item, *, warehouse="main"):
            """How many of `item` are in stock."""
            return 3

    original = Shop.stock
    wrapped = retry((ConnectionError, TimeoutError), attempts=2, sleep=SleepLog())(original)

    async def fetch_async(item):
        """Ask the price service, asynchronously."""
        return 1

    def fetch_price(item):
        """Ask the price service for the price of `item`."""
        return 9.5

    return {
        "method": differing(wrapped, original),
        "signature": inspect.signature(wrapped) == inspect.signature(original),
        "async": differing(
            retry(ConnectionError, async_sleep=AsyncSleepLog())(fetch_async), fetch_async
        ),
        "plain": differing(retry(ConnectionError, sleep=SleepLog())(fetch_price), fetch_price),
    }


_h_seen = beside(_h_observed)
for _h_key, _h_message in [
    ("method", "a decorated method must keep its identity"),
    ("async", "a decorated async def function must keep its identity"),
    ("plain", "the decorated function must keep its identity"),
]:
    expect(
        _h_seen[_h_key] == [],
        f"{_h_message} ({', '.join(_h_seen[_h_key])} differs from the original's)",
    )
expect(
    _h_seen["signature"] is True,
    "inspect.signature of the decorated function must show the original's parameters",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · attempts and results (3 points)

# %% nbgrader="tests" grade_id="retry_tests_attempts" points=3
"""Results pass through; a function is called again until it succeeds or `attempts` calls
have failed; then the last exception itself comes out. Arguments reach every call."""
from advpy.checks import beside, expect, expect_same


def three_attempts():
    """Runs where your code runs: retry(ConnectionError, attempts=3) on a function failing
    twice, then on one failing every time; what came out, and the calls each one got."""
    flaky = failing_then(ConnectionError("down"), ConnectionError("down again"), value=42)
    got = retry(ConnectionError, attempts=3, sleep=SleepLog())(flaky)("tea", size="large")
    last = ConnectionError("third failure")
    always = failing_then(ConnectionError("first"), ConnectionError("second"), last)
    try:
        retry(ConnectionError, attempts=3, sleep=SleepLog())(always)()
        raised = "nothing"
    except BaseException as error:
        if error is last:
            raised = "the last ConnectionError itself"
        elif type(error) is ConnectionError:
            raised = "another ConnectionError"
        else:
            raised = type(error).__name__
    return {
        "result": got,
        "calls": flaky.calls,
        "raised": raised,
        "calls when always failing": len(always.calls),
    }


seen = beside(three_attempts)
expect_same(seen["result"], 42, "the result after two failures and a success", show=True)
expect_same(
    seen["calls"],
    [(("tea",), {"size": "large"})] * 3,
    "the (args, kwargs) of each call of a function that failed twice, with attempts=3",
    show=True,
)
expect_same(
    seen["raised"],
    "the last ConnectionError itself",
    "what came out of a function that fails every time (let its last exception propagate)",
    show=True,
)
expect(
    seen["calls when always failing"] == 3,
    f"attempts=3 must call the function 3 times, not {seen['calls when always failing']}",
)


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: the answer's retry on functions of the test, and what came
    # out of each as plain data.
    def outcome(call, kind, itself):
        try:
            call()
        except BaseException as error:
            if error is itself:
                return "itself"
            return "another" if type(error) is kind else type(error).__name__
        return "nothing"

    seen = {}
    zero = failing_then(value=0)
    result = retry(ValueError, sleep=SleepLog())(zero)()
    seen["falsy"] = result
    seen["falsy calls"] = len(zero.calls)

    errors = [TimeoutError(f"slow {i}") for i in range(6)]
    down = failing_then(*errors)
    seen["last"] = outcome(
        lambda: retry(TimeoutError, attempts=5, base=0.01, sleep=SleepLog())(down)(1, 2, k=3),
        TimeoutError,
        errors[4],
    )
    seen["calls of five"] = len(down.calls)
    seen["arguments of five"] = down.calls == [((1, 2), {"k": 3})] * 5

    first_error = KeyError("x")
    once = failing_then(first_error, KeyError("y"))
    seen["one attempt"] = outcome(
        lambda: retry(KeyError, attempts=1, sleep=SleepLog())(once)(), KeyError, first_error
    )
    seen["calls of one"] = len(once.calls)

    state = {"calls": 0}

    def every_other():
        state["calls"] += 1
        if state["calls"] % 2:
            raise ConnectionError("odd call")
        return state["calls"]

    alternating = retry(ConnectionError, attempts=2, sleep=SleepLog())(every_other)
    seen["alternating"] = [alternating(), alternating(), alternating()]
    three = failing_then(ValueError("a"), ValueError("b"), value="third time")
    seen["default attempts"] = retry(ValueError, sleep=SleepLog())(three)()
    return seen


_h_seen = beside(_h_observed)
expect_same(
    _h_seen["falsy"], 0, "a falsy result of a successful first call must be returned as it is"
)
expect(_h_seen["falsy calls"] == 1, "a first call that succeeds must not be repeated")
expect_same(
    _h_seen["last"], "itself", "after `attempts` failures the last exception itself must come out"
)
expect(
    _h_seen["calls of five"] == 5,
    "attempts=5 must make exactly 5 calls of a function that keeps failing",
)
expect(
    _h_seen["arguments of five"] is True,
    "every call must get the decorated function's arguments unchanged",
)
expect_same(
    _h_seen["one attempt"], "itself", "attempts=1 means one call: its exception must come out"
)
expect(_h_seen["calls of one"] == 1, "attempts=1 must call the function exactly once")
expect_same(
    _h_seen["alternating"],
    [2, 4, 6],
    "each call of the decorated function must start again with `attempts` calls available",
)
expect_same(_h_seen["default attempts"], "third time", "the default `attempts` must be 3")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · the pauses: exponential, capped, jittered (3 points)

# %% nbgrader="tests" grade_id="retry_tests_backoff" points=3
"""The pauses are exactly min(cap, base * 2 ** (k - 1)) before retry k, passed through
`jitter` when it is given, none after the last call; they go through `sleep`."""
from advpy.checks import beside, expect_same


def recorded_pauses():
    """Runs where your code runs: the pauses your retry asked a SleepLog for, for a function
    failing 5 times with attempts=5, base=0.5, cap=3.0, then for one failing twice with
    base=0.25 and a jitter halving each delay."""
    pauses = SleepLog()
    always = failing_then(*[ConnectionError("down")] * 5)
    try:
        retry(ConnectionError, attempts=5, base=0.5, cap=3.0, sleep=pauses)(always)()
        raised = "nothing"
    except BaseException as error:
        raised = "ConnectionError" if type(error) is ConnectionError else "another exception"
    jittered = SleepLog()
    flaky = failing_then(ConnectionError("down"), ConnectionError("down"))
    retry(ConnectionError, attempts=4, base=0.25, cap=8.0, jitter=lambda d: d / 2, sleep=jittered)(
        flaky
    )()
    return {"raised": raised, "pauses": pauses.delays, "jittered pauses": jittered.delays}


seen = beside(recorded_pauses)
expect_same(
    seen["raised"],
    "ConnectionError",
    "what came out of a function that fails 5 times with attempts=5",
    show=True,
)
expect_same(
    seen["pauses"],
    [0.5, 1.0, 2.0, 3.0],
    "the pauses of attempts=5, base=0.5, cap=3.0 for a function that always fails",
    show=True,
)
expect_same(
    seen["jittered pauses"],
    [0.125, 0.25],
    "the pauses of base=0.25, jitter=lambda d: d / 2 for a function failing twice",
    show=True,
)


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: the pauses the answer's retry asked for, and what came out.
    def pauses_of(failures, **options):
        pauses = SleepLog()
        try:
            retry(OSError, sleep=pauses, **options)(failing_then(*[OSError("x")] * failures))()
            raised = "nothing"
        except BaseException as error:
            raised = "OSError" if type(error) is OSError else "another exception"
        return raised, pauses.delays

    return {
        "capped": pauses_of(8, attempts=8, base=0.125, cap=1.0),
        "jitter after cap": pauses_of(4, attempts=4, base=2.0, cap=3.0, jitter=lambda d: d / 4),
        "defaults": pauses_of(3),
        "default cap": pauses_of(6, attempts=6, base=0.5),
        "jitter zero": pauses_of(1, attempts=5, base=0.5, jitter=lambda d: 0.0),
        "no failure": pauses_of(0, attempts=3, base=0.5),
    }


_h_seen = beside(_h_observed)
for _h_key, _h_pauses, _h_message in [
    (
        "capped",
        [0.125, 0.25, 0.5, 1.0, 1.0, 1.0, 1.0],
        "the pauses must double from `base`, stay at `cap` once they reach it, and stop after "
        "the last call",
    ),
    ("jitter after cap", [0.5, 0.75, 0.75], "`jitter` must be applied to the delay after the cap"),
    ("defaults", [0.1, 0.2], "the default base (0.1) and attempts (3) give other pauses"),
    ("default cap", [0.5, 1.0, 1.0, 1.0, 1.0], "the default cap (1.0) must bound the pauses"),
]:
    expect_same(
        _h_seen[_h_key][0], "OSError", "a function that always fails must end with its exception"
    )
    expect_same(_h_seen[_h_key][1], _h_pauses, _h_message)
expect_same(_h_seen["jitter zero"][0], "nothing", "a call that succeeds must return")
expect_same(
    _h_seen["jitter zero"][1], [0.0], "the value `jitter` returns must be the pause, even 0.0"
)
expect_same(_h_seen["no failure"][0], "nothing", "a call that succeeds must return")
expect_same(_h_seen["no failure"][1], [], "a call that succeeds at once must not pause")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A4 · only the named exceptions are retried (2 points)

# %% nbgrader="tests" grade_id="retry_tests_exceptions" points=2
"""Exceptions not named come out at once (one call, no pause); a tuple names several classes
and subclasses count; attempts < 1 raises ValueError when retry(...) is called."""
from advpy.checks import beside, expect, expect_raises, expect_same


def a_bug_is_not_retried():
    """Runs where your code runs: retry(ConnectionError, attempts=3) on a function raising a
    ValueError; what came out, how many calls it got, and the pauses asked for."""
    pauses = SleepLog()
    bug = ValueError("a bug, not an outage")
    broken = failing_then(bug)
    try:
        retry(ConnectionError, attempts=3, sleep=pauses)(broken)()
        raised = "nothing"
    except BaseException as error:
        raised = "the ValueError itself" if error is bug else type(error).__name__
    return {"raised": raised, "calls": len(broken.calls), "pauses": pauses.delays}


seen = beside(a_bug_is_not_retried)
expect_same(
    seen["raised"],
    "the ValueError itself",
    "what came out of a ValueError, not named in retry(ConnectionError, ...)",
    show=True,
)
expect(
    seen["calls"] == 1 and seen["pauses"] == [],
    "an exception that is not named must not be retried: one call, no pause",
)
expect_raises(
    lambda: retry(ConnectionError, attempts=0),
    ValueError,
    "retry(ConnectionError, attempts=0) must raise ValueError",
)


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: the answer's retry on functions of the test raising named
    # exceptions, others, subclasses and base classes; what came out, as plain data.
    def outcome(call, kind, itself=None):
        try:
            call()
        except BaseException as error:
            if type(error) is not kind:
                return "another"
            return "itself" if itself is None or error is itself else "a new one"
        return "nothing"

    seen = {}
    mixed = failing_then(ConnectionResetError("reset"), TimeoutError("slow"), value="fine")
    seen["tuple"] = retry((ConnectionError, TimeoutError), attempts=3, sleep=SleepLog())(mixed)()
    seen["tuple calls"] = len(mixed.calls)

    pauses = SleepLog()
    other = KeyError("missing")
    then_other = failing_then(ConnectionError("down"), other, ConnectionError("down"))
    seen["other"] = outcome(
        lambda: retry((ConnectionError, TimeoutError), attempts=5, sleep=pauses)(then_other)(),
        KeyError,
        other,
    )
    seen["other calls and pauses"] = [len(then_other.calls), len(pauses.delays)]

    class ServiceDown(Exception):
        pass

    class Maintenance(ServiceDown):
        pass

    sub = failing_then(Maintenance("back soon"), value="open")
    seen["subclass"] = retry(ServiceDown, attempts=2, sleep=SleepLog())(sub)()
    parent = failing_then(ServiceDown("down"), value="open")
    seen["base class"] = outcome(
        lambda: retry(Maintenance, attempts=3, sleep=SleepLog())(parent)(), ServiceDown
    )
    seen["base class calls"] = len(parent.calls)
    seen["one attempt makes a decorator"] = callable(retry(ConnectionError, attempts=1))
    return seen


_h_seen = beside(_h_observed)
expect(
    _h_seen["tuple"] == "fine",
    "with a tuple of exceptions, each of them (and their subclasses) must be retried",
)
expect(_h_seen["tuple calls"] == 3, "with a tuple of exceptions, each of them must be retried")
expect_same(
    _h_seen["other"], "itself", "an exception not named must come out at once, even after retries"
)
expect_same(
    _h_seen["other calls and pauses"],
    [2, 1],
    "an exception not named must stop the retries at once, without a pause",
)
expect(
    _h_seen["subclass"] == "open", "an instance of a subclass of a named exception must be retried"
)
expect_same(
    _h_seen["base class"],
    "itself",
    "an instance of a base class of the named exception is not named: it must come out at once",
)
expect(_h_seen["base class calls"] == 1, "an exception that is not named must not be retried")
expect_raises(
    lambda: retry(ConnectionError, attempts=-2),
    ValueError,
    "a negative `attempts` must raise ValueError when retry(...) is called",
)
expect(
    _h_seen["one attempt makes a decorator"] is True,
    "attempts=1 is allowed: retry(...) must return a decorator",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A5 · `async def` functions (3 points)

# %% nbgrader="tests" grade_id="retry_tests_async" points=3
"""An async def function stays a coroutine function; its calls are awaited and retried, and
its pauses are awaited through `async_sleep`, never through `sleep`."""
from advpy.checks import beside, expect, expect_same


def async_lookup():
    """Runs where your code runs: your retry on an async def function failing twice, awaited
    on an event loop of its own (in a thread, so that it never waits on the notebook's loop);
    what came out, the pauses each sleep was asked for, and the number of calls."""
    import asyncio
    import inspect
    import threading

    sync_pauses, async_pauses = SleepLog(), AsyncSleepLog()
    lookup = async_failing_then(ConnectionError("down"), ConnectionError("down"), value="found")
    decorated = retry(
        ConnectionError, attempts=3, base=0.5, cap=4.0, sleep=sync_pauses, async_sleep=async_pauses
    )(lookup)
    seen = {"coroutine function": inspect.iscoroutinefunction(decorated)}

    async def main():
        return await decorated("tea")

    def run():
        try:
            seen["result"] = asyncio.run(main())
        except BaseException as error:
            seen["result"] = f"{type(error).__name__} raised"

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    seen.update(pauses=async_pauses.delays, sync=sync_pauses.delays, calls=len(lookup.calls))
    return seen


seen = beside(async_lookup)
expect(
    seen["coroutine function"] is True,
    "retry on an async def function must give an async def function",
)
expect_same(seen.get("result"), "found", "the awaited result after two failures", show=True)
expect_same(seen["pauses"], [0.5, 1.0], "the pauses awaited through async_sleep", show=True)
expect(seen["sync"] == [], "an async function must never call the blocking `sleep`")
expect(seen["calls"] == 3, "the async function must be called (and awaited) 3 times")


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: the answer's retry on async def functions of the test, each
    # awaited on an event loop of its own in a thread; what came out, as plain data.
    import asyncio
    import threading

    def awaited(make, itself=None):
        box = {}

        async def main():
            return await make()

        def run():
            try:
                box["result"] = asyncio.run(main())
            except BaseException as error:
                box["raised"] = "itself" if error is itself else type(error).__name__

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(10)
        return box

    seen = {}
    sync, pauses = SleepLog(), AsyncSleepLog()
    errors = [TimeoutError(f"slow {i}") for i in range(5)]
    down = async_failing_then(*errors)
    decorated = retry(TimeoutError, attempts=4, base=0.25, cap=0.5, sleep=sync, async_sleep=pauses)(
        down
    )
    seen["last"] = awaited(lambda: decorated(7, mode="fast"), errors[3])
    seen["calls"] = len(down.calls)
    seen["arguments"] = down.calls == [((7,), {"mode": "fast"})] * 4
    seen["pauses"] = pauses.delays
    seen["sync"] = sync.delays

    sync, pauses = SleepLog(), AsyncSleepLog()
    bug = KeyError("not an outage")
    broken = async_failing_then(bug, value="never")
    decorated = retry(ConnectionError, attempts=3, sleep=sync, async_sleep=pauses)(broken)
    seen["not named"] = awaited(decorated, bug)
    seen["not named, not retried"] = (
        len(broken.calls) == 1 and pauses.delays == [] and sync.delays == []
    )

    sync, pauses = SleepLog(), AsyncSleepLog()
    jittered = retry(
        ConnectionError,
        attempts=3,
        base=1.0,
        cap=1.5,
        jitter=lambda d: d * 2,
        sleep=sync,
        async_sleep=pauses,
    )(async_failing_then(ConnectionError("a"), ConnectionError("b"), value=0))
    seen["falsy"] = awaited(jittered)
    seen["jittered pauses"] = pauses.delays

    count = {"calls": 0}

    async def every_other():
        count["calls"] += 1
        await asyncio.sleep(0)
        if count["calls"] % 2:
            raise ConnectionError("odd call")
        return count["calls"]

    alternating = retry(ConnectionError, attempts=2, async_sleep=AsyncSleepLog(), sleep=SleepLog())(
        every_other
    )
    seen["alternating"] = [awaited(alternating) for _ in range(3)]
    return seen


_h_seen = beside(_h_observed)
expect(
    _h_seen["last"] == {"raised": "itself"},
    "an async function failing every time must end with its last exception itself",
)
expect(_h_seen["calls"] == 4, "attempts=4 must make exactly 4 calls of an async function")
expect(_h_seen["arguments"] is True, "every call must get the same arguments")
expect_same(
    _h_seen["pauses"],
    [0.25, 0.5, 0.5],
    "the async pauses must be exponential, capped, and none after the last call",
)
expect(_h_seen["sync"] == [], "an async function must never call the blocking `sleep`")
expect(
    _h_seen["not named"] == {"raised": "itself"},
    "an async function's exception not named must come out at once",
)
expect(
    _h_seen["not named, not retried"] is True,
    "an async function's exception not named must not be retried",
)
expect_same(_h_seen["falsy"], {"result": 0}, "a falsy result must be returned as it is")
expect_same(_h_seen["jittered pauses"], [2.0, 3.0], "`jitter` must also apply to async pauses")
expect(
    _h_seen["alternating"] == [{"result": 2}, {"result": 4}, {"result": 6}],
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
from advpy.checks import beside, expect_same


def cached_price():
    """Runs where your code runs: price and find_coupon decorated by your ttl_cache, with a
    FakeClock that does not move; their results, and the calls that ran the functions."""
    clock = FakeClock()
    runs = []

    @ttl_cache(10, clock=clock)
    def price(item, currency="EUR"):
        runs.append((item, currency))
        return len(item) * 1.5

    got = [price("tea"), price("tea"), price("cake"), price("tea", currency="USD")]
    got.append(price("tea", currency="USD"))
    nothing_runs = []

    @ttl_cache(10, clock=clock)
    def find_coupon(code):
        nothing_runs.append(code)
        return None

    return {
        "results": got,
        "runs": runs,
        "coupons": [find_coupon("X1"), find_coupon("X1")],
        "coupon runs": len(nothing_runs),
    }


seen = beside(cached_price)
expect_same(seen["results"], [4.5, 4.5, 6.0, 4.5, 4.5], "the results of five calls", show=True)
expect_same(
    seen["runs"],
    [("tea", "EUR"), ("cake", "EUR"), ("tea", "USD")],
    "the calls that ran the function (the others must come from the cache)",
    show=True,
)
expect_same(seen["coupons"], [None, None], "two calls of a function returning None", show=True)
expect_same(
    seen["coupon runs"], 1, "how often a function returning None ran for two calls", show=True
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect as _h_expect


def _h_observed():
    # Runs where the answer runs: functions of the test decorated by the answer's ttl_cache,
    # and what each use of them did, as plain data.
    clock = FakeClock(50.0)
    runs = []
    seen = {}

    @ttl_cache(30, clock=clock)
    def quote(a, b=0, *, c=0, d=0):
        runs.append((a, b, c, d))
        return a + b + c + d

    seen["keywords"] = [quote(1, c=2, d=3), quote(1, d=3, c=2)]
    seen["runs in another order"] = len(runs)
    quote(1, c=2, d=4)
    quote(1, c=2)
    seen["runs with other keywords"] = len(runs)
    quote(1, 2)
    quote(2, 1)
    seen["runs with other positions"] = len(runs)
    quote(1, 2)
    seen["runs after a hit"] = len(runs)

    seen["falsy"] = []
    for falsy in (0, "", False, [], 0.0):
        falsy_runs = []

        def make(value, runs):
            def returns():
                runs.append(1)
                return value

            return returns

        cached = ttl_cache(5, clock=clock)(make(falsy, falsy_runs))
        first, second = cached(), cached()
        seen["falsy"].append(len(falsy_runs) == 1 and second is first)

    fails = {"left": 1, "runs": 0}

    @ttl_cache(5, clock=clock)
    def unreliable(x):
        fails["runs"] += 1
        if fails["left"]:
            fails["left"] -= 1
            raise LookupError("backend down")
        return x * 2

    try:
        unreliable(4)
        seen["raised"] = "nothing"
    except BaseException as error:
        seen["raised"] = "LookupError" if type(error) is LookupError else "another"
    seen["after the exception"] = unreliable(4)
    seen["runs after the exception"] = fails["runs"]
    seen["cached after the exception"] = unreliable(4) == 8 and fails["runs"] == 2

    @ttl_cache(5, clock=clock)
    def listing(n):
        return [n]

    seen["same object"] = listing(3) is listing(3)
    return seen


_h_seen = beside(_h_observed)
_h_expect(_h_seen["keywords"][0] == 6, "a keyword call must return the function's result")
_h_expect(
    _h_seen["keywords"][1] == 6, "keyword arguments in another order must give the same result"
)
_h_expect(
    _h_seen["runs in another order"] == 1,
    "calls with the same keyword arguments in another order must share one entry",
)
_h_expect(
    _h_seen["runs with other keywords"] == 3,
    "calls with different keyword arguments must not share an entry",
)
_h_expect(
    _h_seen["runs with other positions"] == 5,
    "positional arguments in another order are other arguments",
)
_h_expect(
    _h_seen["runs after a hit"] == 5,
    "a fresh entry must be returned without calling the function again",
)
_h_expect(
    _h_seen["falsy"] == [True] * 5,
    "a falsy result (0, '', False, [], 0.0) must be cached like any other",
)
_h_expect(_h_seen["raised"] == "LookupError", "the function's exception must come out")
_h_expect(
    _h_seen["after the exception"] == 8,
    "after an exception, the next call must run the function again",
)
_h_expect(_h_seen["runs after the exception"] == 2, "an exception must not be cached")
_h_expect(
    _h_seen["cached after the exception"] is True, "the result after the failure must be cached"
)
_h_expect(_h_seen["same object"] is True, "a hit must return the very object stored")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · expiry, exactly at `seconds` (3 points)

# %% nbgrader="tests" grade_id="ttl_cache_tests_expiry" points=3
"""An entry is fresh while clock() - stored time < seconds and expires at exactly `seconds`;
a hit does not renew it; the time stored is the clock read before the function runs."""
from advpy.checks import beside, expect_same


def rate_over_time():
    """Runs where your code runs: rate decorated by ttl_cache(10, clock=clock), called as the
    FakeClock moves from 100 to 129; the times at which rate ran."""
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
    return runs


expect_same(
    beside(rate_over_time), [100.0, 125.0], "the times at which the function ran", show=True
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect as _h_expect


def _h_observed():
    # Runs where the answer runs: functions of the test decorated by the answer's ttl_cache,
    # called as a FakeClock moves; the times at which they ran, as plain data.
    seen = {}
    clock = FakeClock(0.0)
    times = []

    @ttl_cache(2.5, clock=clock)
    def stamp(x):
        times.append(clock())
        return x

    stamp("a")
    clock.now = 2.5 - 1 / 1024
    stamp("a")
    seen["just before"] = list(times)
    clock.now = 2.5
    stamp("a")
    seen["exactly at"] = list(times)
    clock.now = 4.0
    stamp("a")
    clock.now = 5.0 - 1 / 1024
    stamp("a")
    seen["stored again, just before"] = list(times)
    clock.now = 5.0
    stamp("a")
    seen["stored again, exactly at"] = list(times)

    clock = FakeClock(10.0)
    read_times = []

    @ttl_cache(8, clock=clock)
    def read(x):
        read_times.append(clock())
        return x

    read(1)  # stored at 10
    clock.now = 16.0
    read(1)  # a hit at 16 must not renew the entry
    clock.now = 18.0
    read(1)
    seen["hit"] = read_times

    clock = FakeClock(0.0)
    slow_times = []

    @ttl_cache(5, clock=clock)
    def slow(x):
        slow_times.append(clock())
        clock.advance(3)  # the function itself takes 3 s
        return x

    slow("q")  # starts at 0, ends at 3: the entry's time is 0
    clock.now = 4.0
    slow("q")
    seen["slow, within"] = len(slow_times)
    clock.now = 5.0
    slow("q")
    seen["slow"] = slow_times
    return seen


_h_seen = beside(_h_observed)
_h_expect(
    _h_seen["just before"] == [0.0],
    "an entry must stay fresh until just before `seconds` have passed",
)
_h_expect(
    _h_seen["exactly at"] == [0.0, 2.5],
    "an entry must expire when exactly `seconds` have passed (clock() - stored >= seconds)",
)
_h_expect(
    _h_seen["stored again, just before"] == [0.0, 2.5],
    "an entry stored again must be fresh for `seconds` from then",
)
_h_expect(
    _h_seen["stored again, exactly at"] == [0.0, 2.5, 5.0],
    "an entry stored again must expire `seconds` after it was stored",
)
_h_expect(
    _h_seen["hit"] == [10.0, 18.0],
    "a hit must not renew the entry: it expires `seconds` after it was stored",
)
_h_expect(_h_seen["slow, within"] == 1, "an entry must be fresh within `seconds`")
_h_expect(
    _h_seen["slow"] == [0.0, 5.0],
    "the time stored must be the clock read before the function runs, not after it returns",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · one cache per function, identity kept, `seconds` checked (2 points)

# %% nbgrader="tests" grade_id="ttl_cache_tests_independent" points=2
"""Each decorated function has its own cache, even with one ttl_cache(...) decorator for
several functions; the identity is kept; seconds <= 0 raises ValueError."""
from advpy.checks import beside, expect, expect_raises, expect_same


def double_and_square():
    """Runs where your code runs: double and square decorated by one ttl_cache(60, ...)
    decorator; their results, and what double shows of itself."""
    clock = FakeClock()
    cache_for_a_minute = ttl_cache(60, clock=clock)

    @cache_for_a_minute
    def double(x):
        """Twice x."""
        return 2 * x

    @cache_for_a_minute
    def square(x):
        return x * x

    return {
        "results": [double(3), square(3)],
        "__name__": getattr(double, "__name__", None),
        "__wrapped__.__doc__": getattr(getattr(double, "__wrapped__", None), "__doc__", None),
    }


seen = beside(double_and_square)
expect_same(seen["results"], [6, 9], "double(3) and square(3), one decorator for both", show=True)
expect(seen["__name__"] == "double", "the decorated function's __name__ must be kept")
expect(seen["__wrapped__.__doc__"] == "Twice x.", "__wrapped__ must be the original function")
expect_raises(lambda: ttl_cache(0), ValueError, "ttl_cache(0) must raise ValueError")


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: functions of the test decorated by the answer's ttl_cache;
    # their results, and which attributes functools.wraps sets differ from the original's.
    def differing(wrapper, original):
        # The attributes functools.wraps sets that the wrapper does not carry over exactly.
        absent = object()
        names = [] if getattr(wrapper, "__wrapped__", absent) is original else ["__wrapped__"]
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            mine, theirs = getattr(wrapper, name, absent), getattr(original, name, absent)
            if type(mine) is not type(theirs) or mine != theirs:
                names.append(name)
        return names

    clock = FakeClock()

    @ttl_cache(60, clock=clock)
    def plus_one(x):
        """x + 1"""
        return x + 1

    @ttl_cache(60, clock=clock)
    def minus_one(x):
        return x - 1

    seen = {"separately": [plus_one(10), minus_one(10), plus_one(10)]}
    decorate = ttl_cache(60, clock=clock)
    upper = decorate(str.upper)
    lower = decorate(str.lower)
    seen["one decorator"] = [upper("Ab"), lower("Ab"), upper("Ab")]

    def original(x, y=1):
        """Some docstring."""
        return x

    seen["identity"] = differing(ttl_cache(1, clock=clock)(original), original)
    seen["a fraction"] = callable(ttl_cache(0.5, clock=clock))
    return seen


_h_seen = beside(_h_observed)
expect(
    _h_seen["separately"] == [11, 9, 11],
    "functions decorated separately must not share their caches",
)
expect(
    _h_seen["one decorator"] == ["AB", "ab", "AB"],
    "two functions decorated by one ttl_cache(...) decorator must not share a cache",
)
expect(
    _h_seen["identity"] == [],
    f"ttl_cache must keep the identity ({', '.join(_h_seen['identity'])} differs from the "
    "original's)",
)
expect_raises(lambda: ttl_cache(-5), ValueError, "a negative `seconds` must raise ValueError")
expect(
    _h_seen["a fraction"] is True,
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
from advpy.checks import beside, expect, expect_same


def grace_deletes_bob():
    """Runs where your code runs: delete_user decorated by require_role("admin"), called by
    grace, an admin; the results, and what delete_user shows of itself."""
    grace = User("grace", frozenset({"admin", "viewer"}))

    @require_role("admin")
    def delete_user(user, name, *, hard=False):
        """Delete the account `name`."""
        return f"{user.name} deleted {name}" + (" for good" if hard else "")

    return {
        "by position": delete_user(grace, "bob"),
        "by keyword": delete_user(user=grace, name="bob", hard=True),
        "__name__": getattr(delete_user, "__name__", None),
        "__doc__": getattr(delete_user, "__doc__", None),
    }


seen = beside(grace_deletes_bob)
expect_same(seen["by position"], "grace deleted bob", 'delete_user(grace, "bob")', show=True)
expect_same(
    seen["by keyword"],
    "grace deleted bob for good",
    'delete_user(user=grace, name="bob", hard=True)',
    show=True,
)
expect(seen["__name__"] == "delete_user", "the decorated function's __name__ must be kept")
expect(seen["__doc__"] == "Delete the account `name`.", "the docstring must be kept")


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: functions of the test decorated by the answer's
    # require_role; their results, the calls that reached them, and which attributes
    # functools.wraps sets differ from the original's.
    def differing(wrapper, original):
        # The attributes functools.wraps sets that the wrapper does not carry over exactly.
        absent = object()
        names = [] if getattr(wrapper, "__wrapped__", absent) is original else ["__wrapped__"]
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            mine, theirs = getattr(wrapper, name, absent), getattr(original, name, absent)
            if type(mine) is not type(theirs) or mine != theirs:
                names.append(name)
        return names

    calls = []

    def refund(user, order, amount=0):
        """Refund an order."""
        calls.append((user.name, order, amount))
        return None if amount == 0 else amount

    checked_refund = require_role("billing")(refund)
    ops = User("olu", frozenset({"billing"}))
    seen = {
        "None": checked_refund(ops, "o-1") is None,
        "keywords": checked_refund(ops, order="o-2", amount=5) == 5,
        "keyword user": checked_refund(user=ops, order="o-3") is None,
        "calls": calls,
        "identity": differing(checked_refund, refund),
    }

    def plain(user):
        """Plain."""
        return user.name

    seen["plain identity"] = differing(require_role("x")(plain), plain)
    seen["several roles"] = require_role("b")(plain)(User("mo", frozenset({"a", "b", "c"})))
    return seen


_h_seen = beside(_h_observed)
expect(_h_seen["None"] is True, "a result of None must be returned as it is")
expect(_h_seen["keywords"] is True, "keyword arguments must reach the function")
expect(_h_seen["keyword user"] is True, "a user passed by keyword must be found")
expect(
    _h_seen["calls"] == [("olu", "o-1", 0), ("olu", "o-2", 5), ("olu", "o-3", 0)],
    "the function must be called once per allowed call, with the arguments given",
)
for _h_key in ("identity", "plain identity"):
    expect(
        _h_seen[_h_key] == [],
        f"require_role must keep the identity ({', '.join(_h_seen[_h_key])} differs from the "
        "original's)",
    )
expect(
    _h_seen["several roles"] == "mo",
    "a user holding several roles, among them the one required, must be let through",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · refused calls: the exact exception, the exact message (3 points)

# %% nbgrader="tests" grade_id="require_role_tests_denied" points=3
"""No user raises NotAuthenticated('login required'); a user without the role raises
PermissionDenied('<name> needs the <role> role'); the function does not run then."""
from advpy.checks import beside, expect, expect_same


def refused_calls():
    """Runs where your code runs: delete_user decorated by require_role("admin"), called by
    ada, a viewer, then without a user; the class and message of what each call raised, and
    the calls that reached delete_user."""
    ran = []

    @require_role("admin")
    def delete_user(user, name):
        ran.append(name)
        return "deleted"

    def refusal(call, kind):
        try:
            call()
        except BaseException as error:
            if type(error) is not kind:
                return f"a {type(error).__name__}, not a {kind.__name__}", None
            return kind.__name__, BaseException.__str__(error)
        return "nothing raised", None

    ada = User("ada", frozenset({"viewer"}))
    return {
        "ada": refusal(lambda: delete_user(ada, "bob"), PermissionDenied),
        "nobody": refusal(lambda: delete_user(None, "bob"), NotAuthenticated),
        "ran": ran,
    }


seen = beside(refused_calls)
expect_same(
    seen["ada"][0],
    "PermissionDenied",
    "what a viewer calling an admin function must get",
    show=True,
)
expect_same(
    seen["ada"][1], "ada needs the admin role", "the PermissionDenied message for ada", show=True
)
expect_same(
    seen["nobody"][0],
    "NotAuthenticated",
    "what a call without a user (None) must raise",
    show=True,
)
expect_same(seen["nobody"][1], "login required", "the NotAuthenticated message", show=True)
expect(seen["ran"] == [], "the function must not run when the call is refused")


### BEGIN HIDDEN TESTS
def _h_observed():
    # Runs where the answer runs: a function of the test decorated by the answer's
    # require_role, called by users it must refuse; the class and message of what each call
    # raised, and the calls that reached the function, as plain data.
    def refusal(call, kind):
        try:
            call()
        except BaseException as error:
            if type(error) is not kind:
                return "another", None
            return kind.__name__, BaseException.__str__(error)
        return "nothing", None

    ran = []

    @require_role("auditor")
    def export(user, year=2024):
        ran.append(year)
        return "exported"

    zoe = User("zoe", frozenset())
    max_ = User("max", frozenset({"auditors", "admin"}))
    kim = User("kim", frozenset({"viewer"}))
    seen = {
        "no role": refusal(lambda: export(zoe, 2023), PermissionDenied),
        "similar roles": refusal(lambda: export(max_, 2023), PermissionDenied),
        "keyword user": refusal(lambda: export(user=kim, year=2022), PermissionDenied),
        "keyword None": refusal(lambda: export(user=None), NotAuthenticated),
        "ran": list(ran),
    }
    seen["allowed after"] = export(User("ari", frozenset({"auditor"}))) == "exported" and ran == [
        2024
    ]
    return seen


_h_seen = beside(_h_observed)
for _h_key, _h_name, _h_who in [
    ("no role", "zoe", "a user without any role"),
    ("similar roles", "max", "a user with similar but other roles"),
]:
    expect_same(_h_seen[_h_key][0], "PermissionDenied", f"{_h_who} must get PermissionDenied")
    expect_same(
        _h_seen[_h_key][1],
        f"{_h_name} needs the auditor role",
        f"the message for {_h_who} is wrong",
    )
expect_same(
    _h_seen["keyword user"][0],
    "PermissionDenied",
    "a user without the role, passed by keyword, must get PermissionDenied",
)
expect_same(
    _h_seen["keyword user"][1],
    "kim needs the auditor role",
    "the message for a keyword user is wrong",
)
expect_same(
    _h_seen["keyword None"][0],
    "NotAuthenticated",
    "user=None passed by keyword must raise NotAuthenticated",
)
expect_same(_h_seen["keyword None"][1], "login required", "the NotAuthenticated message is wrong")
expect(_h_seen["ran"] == [], "the function must not run when the call is refused")
expect(
    _h_seen["allowed after"] is True,
    "after refusals, an allowed call must still run the function once",
)
### END HIDDEN TESTS
