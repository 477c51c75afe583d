# %% [markdown]
# # ps09 · Thread safety: a loading cache, a clean pipeline, transfers without deadlock (20 points)
#
# Three pieces of a threaded backend, each a direct use of
# [09 · Thread safety](../09_thread_safety.ipynb):
#
# - **Part A** · `LoadingCache(loader)`: a cache shared by threads that loads each key exactly
#   once, without making every other key wait for a slow load (7 points);
# - **Part B** · `process_all(items, handle, workers, maxsize)`: a producer-consumer pipeline
#   over a bounded `queue.Queue` that handles every item exactly once and shuts down cleanly,
#   errors included (7 points);
# - **Part C** · `transfer(a, b, amount)`: move money between two locked accounts so that two
#   threads transferring in opposite directions can never deadlock (6 points).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check`
# run the visible ones): passing the visible checks is necessary, not sufficient.
#
# **Races are forced, not hoped for.** The thread checks start their threads at the same
# instant, shorten the interpreter's switch interval, hand the interpreter to another thread
# before every line of your answer cell, and use instruments (defined in the setup cell) that
# make threads meet at the worst moment. An answer with a missing lock or a bad lock order
# fails these checks every time, not now and then. Every thread check has a deadline, so an
# answer that deadlocks fails its check instead of hanging the notebook.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the account class of
# Part C and two instruments that the tests use. Try them in the scratch cells, and call your
# code there through call_with_timeout: a deadlocked call then fails after a few seconds
# instead of freezing the notebook (and its grading).
import itertools
import queue
import threading
import time

from advpy.checks import call_with_timeout


class Account:
    """A bank account: a unique whole `number`, a `balance` (whole cents) and the `lock` that
    guards the balance."""

    def __init__(self, number, balance):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


class Meeting:
    """Makes threads meet. A thread that calls `arrive()` waits there until `parties` threads
    have arrived, or until `patience` seconds have passed, whichever comes first."""

    def __init__(self, parties, patience=0.3):
        self.parties = parties
        self.patience = patience
        self.arrived = 0
        self._changed = threading.Condition()

    def arrive(self):
        with self._changed:
            self.arrived += 1
            self._changed.notify_all()
            self._changed.wait_for(lambda: self.arrived >= self.parties, self.patience)


class MeetingLock:
    """Works like threading.Lock (acquire, release, `with`, locked) and knows which thread holds
    it (`held_by_me()`). Given a Meeting, a thread that takes this lock while it holds no other
    MeetingLock then arrives at the meeting: so several threads that each take a first lock all
    hold it before any of them goes on to take a second one."""

    _held = threading.local()  # how many MeetingLocks the current thread holds

    def __init__(self, meeting=None):
        self._lock = threading.Lock()
        self._meeting = meeting
        self._owner = None

    def acquire(self, blocking=True, timeout=-1):
        if not self._lock.acquire(blocking, timeout):
            return False
        self._owner = threading.get_ident()
        held = getattr(MeetingLock._held, "count", 0)
        MeetingLock._held.count = held + 1
        if held == 0 and self._meeting is not None:
            self._meeting.arrive()
        return True

    def release(self):
        self._owner = None
        MeetingLock._held.count = getattr(MeetingLock._held, "count", 1) - 1
        self._lock.release()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()

    def locked(self):
        return self._lock.locked()

    def held_by_me(self):
        return self._owner == threading.get_ident()


# %% [markdown]
# ## Part A · `LoadingCache`: load each key exactly once
#
# A service keeps user profiles, exchange rates or compiled templates in memory and fetches one
# from a slow source (a database, an API) the first time it is asked for. Under load, many
# request threads ask for the same missing key at the same moment. A plain
# `if key not in cache: cache[key] = loader(key)` then runs the slow load once **per thread**:
# a *cache stampede* that hits the database exactly when it is busiest. Write the class
# `LoadingCache`.
#
# ```python
# cache = LoadingCache(fetch_profile)   # fetch_profile(key) is slow
# cache.get("ada")    # calls fetch_profile("ada") and keeps its result
# cache.get("ada")    # the very same object again; fetch_profile is not called
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `LoadingCache(loader)`: `loader` is a function of one argument, a hashable key. `get(key)`
#   returns `loader(key)`'s result. The first `get` of a key calls `loader(key)`; every later
#   `get` of that key returns **the very same object** without calling `loader` again, whatever
#   the value is (`None`, `0`, `""` and `[]` are values like any other).
# - It is **thread-safe and loads once**: when any number of threads `get` a key at the same
#   time, `loader` is called for it **once**, and every one of those threads gets that one
#   result.
# - Threads waiting for a load in progress **sleep** until it ends (in `Event.wait`, a lock's
#   `acquire`, `Condition.wait`, ...): they do not poll in a loop, burning CPU meanwhile.
# - **A slow load holds up only its own key.** While `loader` runs for one key, `get` of any
#   other key (already cached or not) goes ahead without waiting for it. So do not hold a lock
#   that other keys need while `loader` runs.
# - **Failed loads are not cached.** If `loader(key)` raises, that `get` raises the same
#   exception and nothing is stored: the next `get` of the key calls `loader` again. Threads
#   that were waiting for that failed load must not wait forever: each of them either gets the
#   same exception or loads the key itself.
#
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# One lock around the whole `get`, loader call included, loads each key once, but then a slow
# load of one key makes every other `get` wait. Use the lock only for short bookkeeping, and
# remember separately which keys are being loaded right now.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Keep two dicts under one `threading.Lock`: `values` (loaded keys) and `loading` (key ->
# `threading.Event` of the load in progress). Under the lock: return the value if it is there;
# else, if someone is loading the key, take their event and wait on it **after** releasing the
# lock, then look again; else put a new event in `loading` and load it yourself, outside the
# lock.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# After loading: under the lock store the value and remove the key from `loading`, then
# `event.set()`. If `loader` raised: under the lock remove the key from `loading`, `set()` the
# event (so the waiters wake up and look again: one of them loads it), and re-raise. Put the
# waiting and looking in a `while True` loop.
# </details>


# %% nbgrader="solution" grade_id="loading_cache_answer"
class LoadingCache:
    """A thread-safe cache that calls `loader(key)` once per key and keeps the result."""

    def __init__(self, loader):
        ### BEGIN SOLUTION
        self._loader = loader
        self._lock = threading.Lock()
        self._values = {}
        self._loading = {}  # key -> Event set when the load in progress ends
        ### END SOLUTION

    def get(self, key):
        """Return the value for `key`, loading it first if no one has yet."""
        ### BEGIN SOLUTION
        while True:
            with self._lock:
                if key in self._values:
                    return self._values[key]
                done = self._loading.get(key)
                if done is None:
                    done = self._loading[key] = threading.Event()
                    break
            done.wait()
        try:
            value = self._loader(key)
        except BaseException:
            with self._lock:
                del self._loading[key]
            done.set()
            raise
        with self._lock:
            self._values[key] = value
            del self._loading[key]
        done.set()
        return value
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
def slow_square(n):
    time.sleep(0.1)
    return n * n


cache = LoadingCache(slow_square)
print(call_with_timeout(lambda: [cache.get(4), cache.get(4)], timeout=5))

# %% [markdown]
# ### Check A1 · values, kept and reused (2 points)

# %% nbgrader="tests" grade_id="loading_cache_tests_examples" points=2
"""get returns the loader's result, and later gets of the same key return that very object
without calling the loader again."""
from advpy.checks import beside, expect, expect_same


def first_gets():
    """Runs where your code runs: a LoadingCache whose loader returns [key, calls so far];
    get("ada") twice, then get("bob"), each given 5 s. What came back, as plain data.
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class Stuck(Exception):
            """A get that had not returned after 5 s."""

        def fetch(cache, key):
            try:
                return call_with_timeout(lambda: cache.get(key), timeout=5, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 5 s)",):  # the timeout's own failure
                    raise Stuck() from None
                raise  # anything get raised

        calls, seen = [], {}

        def load(key):
            calls.append(key)
            return [key, len(calls)]

        cache = LoadingCache(load)
        try:
            seen["first"] = fetch(cache, "ada")
            seen["second is first"] = fetch(cache, "ada") is seen["first"]
            seen["bob"] = fetch(cache, "bob")
        except Stuck:
            seen["stuck"] = True
        seen["calls"] = calls
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


seen, wrote = beside(first_gets)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect("stuck" not in seen, "get did not return: does it wait for a lock it already holds?")
expect_same(
    seen["first"],
    ["ada", 1],
    'the first get("ada") with a loader returning [key, calls]',
    show=True,
)
expect(seen["second is first"], 'a second get("ada") must return the very same object')
expect_same(seen["bob"], ["bob", 2], 'then get("bob")', show=True)
expect_same(seen["calls"], ["ada", "bob"], "the keys the loader was called with", show=True)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: falsy values, keys of several types and a second cache, every
    # get given 5 s; what came back and the loaders' calls, as plain data.
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class Stuck(Exception):
            pass

        def fetch(cache, key):
            try:
                return call_with_timeout(lambda: cache.get(key), timeout=5, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 5 s)",):
                    raise Stuck() from None
                raise

        seen, calls = {}, []

        def load(key):
            calls.append(key)
            return {"none": None, "zero": 0, "empty": "", "list": [], "false": False}.get(key, key)

        other_calls = []
        try:
            cache = LoadingCache(load)
            for key in ["none", "zero", "empty", "list", "false"] * 2:
                fetch(cache, key)
            seen["falsy calls"] = list(calls)
            empty = fetch(cache, "list")
            seen["empty again is empty"] = fetch(cache, "list") is empty
            for key in [3, (1, 2), "3", 3, (1, 2), "3"]:
                fetch(cache, key)
            seen["key calls"] = calls[5:]
            other = LoadingCache(lambda key: other_calls.append(key) or key * 2)
            seen["other"] = fetch(other, 21)
            seen["other calls"] = other_calls
        except Stuck:
            seen["stuck"] = True
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


_seen, _wrote = beside(_observed)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect("stuck" not in _seen, "get did not return: does it wait for a lock it already holds?")
expect_same(
    _seen["falsy calls"],
    ["none", "zero", "empty", "list", "false"],
    "values such as None, 0, '', [] and False must be cached like any other value",
)
expect(
    _seen["empty again is empty"],
    "a cached empty list must come back as the very same object",
)
expect_same(
    _seen["key calls"], [3, (1, 2), "3"], "each hashable key must be loaded once (3 and '3' differ)"
)
expect_same(_seen["other"], 42, "a second cache must use its own loader")
expect_same(_seen["other calls"], [21], "each cache must keep its own values")
### END HIDDEN TESTS


# %% [markdown]
# ### Check A2 · many threads, one load (3 points)
# Eight threads ask for a missing key at the same instant. The test's loader makes the threads
# that call it wait for each other for a moment, so a cache that lets two of them in calls it
# twice every time.

# %% nbgrader="tests" grade_id="loading_cache_tests_threads" points=3
"""Threads that get a missing key at the same time make exactly one loader call, and all get
its result."""
from advpy.checks import beside, expect, expect_same


def stampede(threads, keys):
    """Runs where your code runs: `threads` threads get the keys at once, thread i asking for
    keys[i % len(keys)], under a tiny switch interval. Returns the loader's calls and, for each
    thread, whether it got the very object the first thread asking for its key got (or
    "stuck" if they had not all finished after 20 s).
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        import functools

        from advpy.checks import run_together, switch_interval

        meeting = Meeting(threads, patience=0.2)
        calls = []

        def load(key):
            calls.append(key)
            meeting.arrive()  # loader calls that overlap all meet here
            return [key]

        cache = LoadingCache(load)
        asks = [functools.partial(cache.get, keys[i % len(keys)]) for i in range(threads)]
        try:
            with switch_interval(1e-6):
                results = run_together(asks, timeout=20, message="stuck", interleave=cache.get)
        except AssertionError as error:
            if error.args == ("stuck (still running after 20 s)",):
                return "stuck"
            raise
        return calls, [r is results[i % len(keys)] for i, r in enumerate(results)]

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


outcome, wrote = beside(stampede, 8, ["rates"])
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(
    outcome != "stuck",
    "get from 8 threads at once had not finished after 20 s: a deadlock, or a thread waiting "
    "forever?",
)
calls, same_object = outcome
expect_same(
    calls,
    ["rates"],
    "8 threads got one missing key at the same time; the keys the loader was called with "
    "(a check and a store under separate locks, or no lock, let several threads load it)",
    show=True,
)
expect(all(same_object), "every thread must get the very same object")
### BEGIN HIDDEN TESTS
for _round in range(3):
    _outcome, _wrote = beside(stampede, 8, ["x", "y"])
    expect(
        not _wrote,
        "something was written to stderr while the check ran (where Python prints an exception "
        "that no code caught in a thread): a check passes only with clean output",
    )
    expect(_outcome != "stuck", "threads getting two missing keys at once never all returned")
    _calls, _same_object = _outcome
    expect_same(
        sorted(_calls),
        ["x", "y"],
        "threads getting two missing keys at once must cause one loader call per key",
    )
    expect(
        all(_same_object),
        "all the threads that got the same key must get the very same object",
    )
_outcome, _wrote = beside(stampede, 6, [None])
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(_outcome != "stuck", "threads getting a key of None at once never all returned")
expect_same(_outcome[0], [None], "a key of None must be loaded once too")
### END HIDDEN TESTS


# %% [markdown]
# ### Check A3 · a slow load holds up only its own key; failed loads are not kept (2 points)

# %% nbgrader="tests" grade_id="loading_cache_tests_slow_loads" points=2
"""While one key's load is still running, get of another key (cached or new) returns at once;
and the slow load still delivers its value."""
from advpy.checks import beside, expect, expect_same


def slow_load_and_others():
    """Runs where your code runs: get("cached"); then get("slow") in a thread, whose load lasts
    until the test ends it; meanwhile get("cached") and get("new"), each given 5 s; then what
    get("slow") returned. What was seen, as plain data.
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class Stuck(Exception):
            """A get that had not returned after 5 s."""

        def within_5_s(call):
            try:
                return call_with_timeout(call, timeout=5, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 5 s)",):
                    raise Stuck() from None
                raise

        started, release = threading.Event(), threading.Event()

        def load(key):
            if key == "slow":
                started.set()
                release.wait(60)  # a load that takes as long as the test wants
            return key.upper()

        cache = LoadingCache(load)
        seen = {"while slow loads": {}}
        try:
            within_5_s(lambda: cache.get("cached"))
        except Stuck:
            return {"stuck": "first get"}
        slow_result = []

        def get_slow():
            try:
                slow_result.append(cache.get("slow"))
            except Exception as error:  # kept for the check, by its class's name
                slow_result.append(("raised", type(error).__name__))

        slow = threading.Thread(target=get_slow, daemon=True)
        slow.start()
        try:
            seen["slow load started"] = started.wait(10)
            if seen["slow load started"]:
                for key in ["cached", "new"]:
                    seen["while slow loads"][key] = within_5_s(lambda key=key: cache.get(key))
        except Stuck:
            seen["stuck"] = key
        finally:
            release.set()
        slow.join(10)
        seen["slow"] = slow_result
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


seen, wrote = beside(slow_load_and_others)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(seen.get("stuck") != "first get", "get did not return (within 5 s)")
expect(seen["slow load started"], 'the loader for "slow" never started')
for key in ["cached", "new"]:
    expect(
        seen.get("stuck") != key,
        f'get("{key}") waited for the slow load of another key: hold no lock that other keys '
        "need while the loader runs",
    )
    got = seen["while slow loads"][key]
    expect_same(got, key.upper(), f'get("{key}") while "slow" was loading', show=True)
expect_same(seen["slow"], ["SLOW"], 'what get("slow") returned once its load finished', show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import cpu_seconds as _cpu_seconds


def _failed_loads():
    # Runs where the answer runs: a load that fails, then gets of its key again; five threads
    # asking during a load that fails. What came back, as plain data ("stuck": the step that
    # had not returned in time).
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout, run_together

        class Stuck(Exception):
            pass

        class LoadFailed(Exception):
            pass

        def fetch(cache, key):
            try:
                return call_with_timeout(lambda: cache.get(key), timeout=5, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 5 s)",):
                    raise Stuck("get") from None
                raise

        seen, tries = {}, []

        def flaky(key):
            tries.append(key)
            if len(tries) == 1:
                raise LoadFailed("the source was down")
            return key * 2

        calls = []

        def fails_first(key):
            calls.append(key)
            if len(calls) == 1:
                time.sleep(0.3)  # the other threads ask meanwhile and wait for this load
                raise LoadFailed("the source was down")
            return "ok"

        try:
            cache = LoadingCache(flaky)
            try:
                fetch(cache, 5)
                seen["first raised"] = False
            except LoadFailed:
                seen["first raised"] = True
            seen["after the failure"] = [fetch(cache, 5), fetch(cache, 5)]
            seen["tries"] = list(tries)
            cache = LoadingCache(fails_first)

            def attempt():
                try:
                    return cache.get("k")
                except LoadFailed:
                    return "failed"

            try:
                seen["outcomes"] = run_together([attempt] * 5, timeout=10, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 10 s)",):
                    raise Stuck("waiters") from None
                raise
            seen["later"] = fetch(cache, "k")
        except Stuck as stuck:
            seen["stuck"] = stuck.args[0]
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


_seen, _wrote = beside(_failed_loads)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(
    _seen.get("stuck") != "get",
    "get did not return: is it waiting for a load that failed earlier?",
)
expect(
    _seen.get("stuck") != "waiters",
    "threads waiting for a load that failed were still waiting: wake them up when a load fails",
)
expect(_seen["first raised"], "get must raise the exception the loader raised")
expect_same(
    _seen["after the failure"][0],
    10,
    "after a failed load, the next get must call the loader again",
)
expect_same(_seen["after the failure"][1], 10, "a value loaded after a failure must be kept")
expect_same(_seen["tries"], [5, 5], "after a failed load, the next get must call the loader again")
_outcomes = _seen["outcomes"]
expect(
    _outcomes.count("failed") >= 1 and set(_outcomes) <= {"failed", "ok"},
    "threads that asked during a failed load must either get its exception or load the key",
)
expect_same(_seen["later"], "ok", "after a failed load, a later get must load the key again")


def _waiting_for_a_load():
    # Runs where the answer runs: a load of "h" held until the test ends it. Gives back
    # whether it started, a function that starts four more threads getting "h" and sleeps for
    # a second (its CPU time is read from outside), and one that ends the load and the threads
    # and tells whether anything was written to stderr meanwhile.
    import contextlib
    import io

    stderr = io.StringIO()
    load_started, load_release = threading.Event(), threading.Event()

    def held_load(key):
        load_started.set()
        load_release.wait(10)
        return key

    def get_h():
        try:
            cache.get("h")
        except Exception:
            pass  # only the CPU time matters here

    with contextlib.redirect_stderr(stderr):
        cache = LoadingCache(held_load)
        holder = threading.Thread(target=get_h, daemon=True)
        holder.start()
        waiters = [threading.Thread(target=get_h, daemon=True) for _ in range(4)]
        started = load_started.wait(10)

    def wait_a_second():
        with contextlib.redirect_stderr(stderr):
            for waiter in waiters:
                waiter.start()
            time.sleep(1.0)

    def finish():
        with contextlib.redirect_stderr(stderr):
            load_release.set()
            for thread in [holder, *waiters]:
                thread.join(10)
        return stderr.getvalue() != ""

    return started, wait_a_second, finish


# Threads waiting for a load in progress sleep: they use (almost) no CPU time meanwhile.
_started, _wait_a_second, _finish = beside(_waiting_for_a_load)
expect(_started, "the loader never started")
try:
    _cpu_spent = _cpu_seconds(_wait_a_second)
finally:
    _wrote = _finish()
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(
    _cpu_spent < 0.1,
    "threads waiting for a load in progress kept the CPU busy: let them sleep until it ends",
)


def _two_new_keys():
    # Runs where the answer runs: "plain" loaded, then "p" and "q" got from two threads at
    # once, each load waiting (up to 20 s) to meet the other; how many loads met ("stuck": the
    # step that had not returned in time).
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout, run_together

        gate = Meeting(2, patience=20)

        def meet(key):
            if key != "plain":
                gate.arrive()
            return key

        cache = LoadingCache(meet)
        try:
            call_with_timeout(lambda: cache.get("plain"), timeout=5, message="stuck")
        except AssertionError as error:
            if error.args == ("stuck (still running after 5 s)",):
                return {"stuck": "get"}
            raise
        try:
            run_together(
                [lambda: cache.get("p"), lambda: cache.get("q")], timeout=10, message="stuck"
            )
        except AssertionError as error:
            if error.args == ("stuck (still running after 10 s)",):
                return {"stuck": "together"}
            raise
        return {"met": gate.arrived}

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


# A slow load of one key does not stop two other new keys from loading at the same time.
_seen, _wrote = beside(_two_new_keys)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(
    _seen.get("stuck") != "get",
    "get did not return: is it waiting for a load that failed earlier?",
)
expect(_seen.get("stuck") != "together", "two different keys could not load at the same time")
expect(_seen["met"] == 2, "the loads of two different keys must be able to run at once")
### END HIDDEN TESTS


# %% [markdown]
# ## Part B · `process_all`: a pipeline that shuts down cleanly
#
# A job reads records from a large export and sends each to a slow service; a few threads
# doing it at once finish sooner. The classic shape is a **producer** reading the input into a
# bounded `queue.Queue` and **worker threads** taking items off it. The hard part is not the
# work but the edges: stopping every worker when the input runs out, without losing an item,
# handling one twice, or leaving a thread behind, even when the work fails. Write
# `process_all(items, handle, workers, maxsize)`.
#
# ```python
# process_all(range(6), lambda n: n * n, workers=3, maxsize=2)   # [0, 1, 4, 9, 16, 25]
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `items` is any iterable (a list, a generator, ...) of any values, `None` included.
#   `handle` is a function of one item. `workers >= 1` and `maxsize >= 1` are ints.
# - Exactly `workers` worker threads call `handle`, each item **exactly once**, and `workers`
#   calls can run at the same time (never more). `handle` is never called in the thread that
#   called `process_all`.
# - One producer reads `items` **lazily** through a `queue.Queue(maxsize)`: at no moment has it
#   pulled more than `workers + maxsize + 1` items whose `handle` call has not returned yet. (So
#   a huge or endless input never piles up in memory.)
# - `process_all` returns the plain `list` of `handle`'s results **in the order of `items`**
#   (not the order in which they finished).
# - **Clean shutdown**: when `process_all` returns or raises, every thread it started has
#   finished.
# - **Errors**: if `handle` raises, `process_all` raises that exception once every thread has
#   finished, and it never hangs, even if every call fails. If several calls raised, it raises
#   the exception of the one whose item came **first in `items`** (not the first to fail in
#   time). The other items may or may not be handled then, but none twice.
#
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Workers need to learn that the input has ended. Put one *sentinel* per worker at the end of
# the queue, and make it a value that cannot be an item: a fresh `object()`, not `None`.
# </details>
#
# <details><summary>Hint 2 (order and errors)</summary>
#
# Put `(index, item)` pairs on the queue, and let each worker write `results[index]`. A worker
# whose `handle` raised must keep taking items (and ignore them, or handle them): if it stopped,
# a producer waiting on a full queue would wait forever. Record the exception instead, with its
# index, and raise the earliest after joining every thread.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# `tasks = queue.Queue(maxsize)`; start the workers; in the calling thread put an
# `(index, item)` pair for each of `enumerate(items)`, then put `workers` sentinels; then
# `join()` every worker. A worker loops on `tasks.get()` until it gets the
# sentinel, and wraps `handle` in `try`/`except BaseException`.
# </details>


# %% nbgrader="solution" grade_id="process_all_answer"
def process_all(items, handle, workers, maxsize):
    """Call handle(item) for every item in `workers` worker threads fed through a
    queue.Queue(maxsize); return the results in the order of `items`."""
    ### BEGIN SOLUTION
    tasks = queue.Queue(maxsize)
    done = object()
    results = {}
    errors = {}

    def work():
        while True:
            task = tasks.get()
            if task is done:
                return
            index, item = task
            if errors:
                continue  # something failed already: drain the queue, handle no more
            try:
                results[index] = handle(item)
            except BaseException as error:
                errors[index] = error

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    try:
        count = 0
        for index, item in enumerate(items):
            tasks.put((index, item))
            count += 1
    finally:
        for _ in threads:
            tasks.put(done)
        for thread in threads:
            thread.join()
    if errors:
        raise errors[min(errors)]
    return [results[index] for index in range(count)]
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(call_with_timeout(lambda: process_all(range(6), lambda n: n * n, 3, 2), timeout=5))

# %% [markdown]
# ### Check B1 · results, in input order (2 points)

# %% nbgrader="tests" grade_id="process_all_tests_examples" points=2
"""process_all returns the list of handle's results in the order of the items."""
from advpy.checks import beside, expect, expect_same


def two_runs():
    """Runs where your code runs: process_all(range(10), square, 3, 2) and
    process_all(["b", "a", "c"], str.upper, 2, 1), each given 15 s; what they returned (or
    "stuck").
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        def run(items, handle, workers, maxsize):
            try:
                return call_with_timeout(
                    lambda: process_all(items, handle, workers, maxsize),
                    timeout=15,
                    message="stuck",
                )
            except AssertionError as error:
                if error.args == ("stuck (still running after 15 s)",):
                    return "stuck"
                raise

        squares = run(range(10), lambda n: n * n, 3, 2)
        if squares == "stuck":
            return "stuck"
        return squares, run(["b", "a", "c"], str.upper, 2, 1)

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


outcome, wrote = beside(two_runs)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect("stuck" not in outcome, "process_all did not return: are all the workers told to stop?")
squares, upper = outcome
expect_same(
    squares,
    [n * n for n in range(10)],
    "process_all(range(10), square, workers=3, maxsize=2)",
    show=True,
)
expect_same(
    upper,
    ["B", "A", "C"],
    'process_all(["b", "a", "c"], str.upper, workers=2, maxsize=1)',
    show=True,
)
### BEGIN HIDDEN TESTS


def _runs():
    # Runs where the answer runs: process_all on no items, a one-item queue, a generator, a
    # first item that finishes last and a slow last item, each given 15 s; what each returned,
    # as plain data (a list that ends with "stuck" when one did not return).
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        one_done = threading.Event()

        def late_first(n):
            if n == 0:
                one_done.wait(5)
            if n == 1:
                one_done.set()
            return n * 10

        def slow_last(n):
            if n == 5:
                time.sleep(0.5)
            return -n

        runs = [
            ([], str.upper, 3, 2),
            (iter("xyz"), str.upper, 1, 1),
            ((n for n in range(4)), lambda n: -n, 8, 3),
            (range(5), late_first, 2, 2),
            (range(6), slow_last, 3, 2),
        ]
        got = []
        for items, handle, workers, maxsize in runs:
            try:
                got.append(
                    call_with_timeout(
                        lambda run=(items, handle, workers, maxsize): process_all(*run),
                        timeout=15,
                        message="stuck",
                    )
                )
            except AssertionError as error:
                if error.args == ("stuck (still running after 15 s)",):
                    return [*got, "stuck"]
                raise
        return got

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


_got, _wrote = beside(_runs)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect("stuck" not in _got, "process_all did not return: are all the workers told to stop?")
expect_same(_got[0], [], "no items must give an empty list, and return")
expect_same(_got[1], ["X", "Y", "Z"], "one worker, a queue of one")
expect_same(_got[2], [0, -1, -2, -3], "a generator as input, more workers than items")
# Item 0's call finishes only after item 1's: the results must still come in input order.
expect_same(
    _got[3],
    [0, 10, 20, 30, 40],
    "the results must be in the order of the items, not in the order the calls finished",
)
expect_same(
    _got[4],
    [0, -1, -2, -3, -4, -5],
    "process_all must wait for every worker to finish before it returns the results",
)
### END HIDDEN TESTS


# %% [markdown]
# ### Check B2 · every item exactly once, in worker threads, nothing left running (3 points)

# %% nbgrader="tests" grade_id="process_all_tests_exactly_once" points=3
"""Every item is handled exactly once, in worker threads other than the caller's, and no
thread process_all started is still running when it returns."""
from collections import Counter

from advpy.checks import beside, expect, expect_same


def two_hundred_items():
    """Runs where your code runs: process_all(range(200), record, 4, 3), given 15 s, where
    record notes each item and the thread that handled it. Returns what process_all returned,
    the items handled, how many were handled in the thread that called process_all, and how
    many threads it started were still running afterwards (or "stuck").
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        handled, callers = [], []

        def record(item):
            handled.append((item, threading.get_ident()))
            return item

        def run_and_note_caller():
            callers.append(threading.get_ident())
            return process_all(range(200), record, 4, 3)

        before = set(threading.enumerate())
        try:
            results = call_with_timeout(run_and_note_caller, timeout=15, message="stuck")
        except AssertionError as error:
            if error.args == ("stuck (still running after 15 s)",):
                return "stuck"
            raise
        left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        return {
            "results": results,
            "items handled": [item for item, _ in handled],
            "handled by the caller": sum(ident == callers[0] for _, ident in handled),
            "threads left": len(left),
        }

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


seen, wrote = beside(two_hundred_items)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(seen != "stuck", "process_all did not return")
results = seen["results"]
expect(
    type(results) is list and sorted(results) == list(range(200)),
    "process_all(range(200), ...) must return a list holding the result of every item",
)
expect_same(
    sorted(Counter(seen["items handled"]).values()),
    [1] * 200,
    "how many times each of 200 items was handled (each must be exactly 1)",
)
expect(
    seen["handled by the caller"] == 0,
    "handle must run in the worker threads, never in the thread that called process_all",
)
expect(
    seen["threads left"] == 0,
    f"{seen['threads left']} thread(s) started by process_all were still running after it returned",
)
### BEGIN HIDDEN TESTS
_sentinel_like = [None, 0, False, "", "STOP", -1, (), None, "DONE", 0, None]


def _observed(sentinel_like):
    # Runs where the answer runs: items that look like sentinels; then 30 items with 2 and 5
    # workers whose first calls wait for each other, counting the calls running at once. What
    # was seen, as plain data ("stuck": process_all had not returned in time).
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class Stuck(Exception):
            pass

        def bounded(call, seconds):
            try:
                return call_with_timeout(call, timeout=seconds, message="stuck")
            except AssertionError as error:
                if error.args == (f"stuck (still running after {seconds:g} s)",):
                    raise Stuck() from None
                raise

        seen = {"rounds": []}
        handled = []
        try:
            seen["sentinel-like results"] = bounded(
                lambda: process_all(list(sentinel_like), lambda i: handled.append(i) or i, 3, 2), 15
            )
            seen["sentinel-like handled"] = handled
            # `workers` calls run at the same time: the first `workers` items wait for each other.
            for workers in (2, 5):
                barrier = threading.Barrier(workers, timeout=10)
                running, peak, count_lock = [0], [0], threading.Lock()

                def together(item, barrier=barrier, running=running, peak=peak, lock=count_lock):
                    with lock:
                        running[0] += 1
                        peak[0] = max(peak[0], running[0])
                    try:
                        if item < barrier.parties:
                            barrier.wait()
                        time.sleep(0.002)
                        return item
                    finally:
                        with lock:
                            running[0] -= 1

                before = set(threading.enumerate())
                got = bounded(lambda w=workers, f=together: process_all(range(30), f, w, 2), 20)
                left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
                seen["rounds"].append({"got": got, "peak": peak[0], "threads left": len(left)})
        except Stuck:
            seen["stuck"] = True
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


_seen, _wrote = beside(_observed, _sentinel_like)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(
    "stuck" not in _seen,
    "process_all did not return (when the items included values like None, or when `workers` "
    "calls ran at the same time)",
)
_got = _seen["sentinel-like results"]
expect(
    type(_got) is list and sorted(map(repr, _got)) == sorted(map(repr, _sentinel_like)),
    "items such as None, 0, False, '' or 'STOP' must be handled like any other item",
)
expect(
    sorted(map(repr, _seen["sentinel-like handled"])) == sorted(map(repr, _sentinel_like)),
    "items such as None, 0, False, '' or 'STOP' must be handled exactly once",
)
for _workers, _round in zip((2, 5), _seen["rounds"], strict=True):
    _got = _round["got"]
    expect(
        type(_got) is list and sorted(_got) == list(range(30)),
        "the results when `workers` calls run at the same time",
    )
    expect(_round["peak"] <= _workers, "more than `workers` calls of handle ran at the same time")
    expect(
        _round["threads left"] == 0,
        "threads started by process_all were still running after it returned",
    )
### END HIDDEN TESTS


# %% [markdown]
# ### Check B3 · back-pressure and errors (2 points)
# The first check makes every `handle` call wait until the test lets them go, and counts the
# items pulled from the input meanwhile.

# %% nbgrader="tests" grade_id="process_all_tests_backpressure" points=2
"""The producer pulls at most workers + maxsize + 1 items ahead of finished calls; and a
handle that raises makes process_all raise, without hanging."""
from advpy.checks import beside, expect


def held_calls(count, workers, maxsize):
    """Runs where your code runs: process_all(`count` items of a generator that counts what is
    pulled from it, held, workers, maxsize) in a thread, where held waits until the test lets
    the calls go. Returns whether `workers` calls started, the items pulled 0.3 s later, and
    what process_all returned (a list, or the name of what it raised) once they went on.
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        pulled = [0]
        gate = threading.Event()
        in_handle = threading.Semaphore(0)

        def counted():
            for n in range(count):
                pulled[0] += 1
                yield n

        def held(item):
            in_handle.release()
            gate.wait(60)  # far longer than the waits below: the test always sets the gate
            return item

        outcome = []

        def run_held():
            try:
                outcome.append(process_all(counted(), held, workers, maxsize))
            except Exception as error:  # kept for the check, by its class's name
                outcome.append(type(error).__name__)

        runner = threading.Thread(target=run_held, daemon=True)
        runner.start()
        try:
            started = all(in_handle.acquire(timeout=10) for _ in range(workers))
            time.sleep(0.3)  # time for a greedy producer to pull far ahead
            ahead = pulled[0]
        finally:
            gate.set()
        runner.join(15)
        return {"calls started": started, "pulled ahead": ahead, "outcome": outcome}

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


def when_handle_raises():
    """Runs where your code runs: process_all(range(20), fail_on_7, 3, 2), given 15 s, where
    fail_on_7 raises ServiceDown for the item 7. What it raised (or "stuck").
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class ServiceDown(Exception):
            """What the test's handle raises."""

        def fail_on_7(n):
            if n == 7:
                raise ServiceDown(n)
            return n

        try:
            call_with_timeout(
                lambda: process_all(range(20), fail_on_7, 3, 2), timeout=15, message="stuck"
            )
        except ServiceDown:
            return "raised ServiceDown"
        except AssertionError as error:
            if error.args == ("stuck (still running after 15 s)",):
                return "stuck"
            raise
        return "raised nothing"

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


seen, wrote = beside(held_calls, 100, 2, 3)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(seen["calls started"], "two workers never started calling handle")
ahead = seen["pulled ahead"]
expect(
    ahead <= 2 + 3 + 1,
    f"with workers=2 and maxsize=3, {ahead} items were pulled while no call had returned "
    "(at most 6 may be): use queue.Queue(maxsize) and let put() wait",
)
outcome = seen["outcome"]
expect(
    len(outcome) == 1 and type(outcome[0]) is list and sorted(outcome[0]) == list(range(100)),
    "process_all must return the results of all 100 items once the calls go on",
)
raised, wrote = beside(when_handle_raises)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(raised != "stuck", "process_all hung after handle raised")
expect(
    raised == "raised ServiceDown", "when handle raises ServiceDown, process_all must raise it too"
)
### BEGIN HIDDEN TESTS


def _failures():
    # Runs where the answer runs: every call failing, with three sizes; then two calls failing,
    # the first item's later in time. What was raised and handled, as plain data ("stuck":
    # process_all had not returned in time).
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class First(Exception):
            pass

        class Second(Exception):
            pass

        def bounded(call):
            try:
                return call_with_timeout(call, timeout=15, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 15 s)",):
                    raise TimeoutError("stuck") from None
                raise

        seen = {"rounds": []}
        before = set(threading.enumerate())
        try:
            for workers, maxsize in ((1, 1), (3, 1), (4, 2)):
                calls = []

                def always_fails(n, calls=calls):
                    calls.append(n)
                    raise ValueError("the service is down")

                raised = False
                try:
                    bounded(
                        lambda run=(range(60), always_fails, workers, maxsize): process_all(*run)
                    )
                except ValueError:
                    raised = True
                seen["rounds"].append({"raised": raised, "handled": calls})
            left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
            seen["threads left"] = len(left)

            def two_failures(n):
                if n == 1:
                    time.sleep(0.2)
                    raise First()
                if n == 2:
                    raise Second()
                return n

            seen["which"] = None
            try:
                bounded(lambda: process_all(range(4), two_failures, 2, 1))
            except (First, Second) as error:
                seen["which"] = type(error).__name__
        except TimeoutError as error:
            if error.args != ("stuck",):
                raise
            seen["stuck"] = True
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


_seen, _wrote = beside(_failures)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(
    "stuck" not in _seen,
    "process_all hung when every call of handle failed, or after two calls failed",
)
for _round in _seen["rounds"]:
    expect(_round["raised"], "when every call fails, process_all must raise the error")
    _calls = _round["handled"]
    expect(len(_calls) == len(set(_calls)), "after an error no item may be handled twice")
expect(
    _seen["threads left"] == 0,
    "after handle raised, threads started by process_all were still running",
)
expect(
    _seen["which"] == "First", "when several items fail, the first item's exception must be raised"
)
# Back-pressure again, with other sizes.
_seen, _wrote = beside(held_calls, 500, 3, 1)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(_seen["calls started"], "three workers never started")
expect(
    _seen["pulled ahead"] <= 3 + 1 + 1,
    "the producer pulled more items ahead than the queue's room allows",
)
### END HIDDEN TESTS


# %% [markdown]
# ## Part C · `transfer`: two locks, no deadlock
#
# Each `Account` (see the setup cell) has its own `lock`, so that transfers between different
# pairs of accounts can run at the same time. A transfer must hold **both** accounts' locks,
# or another thread could see the money gone from one account and not yet in the other. The
# obvious version takes `a.lock` and then `b.lock`. When one thread runs `transfer(x, y, ...)`
# while another runs `transfer(y, x, ...)`, each can take its first lock and then wait forever
# for the other's: a **deadlock**. Write `transfer(a, b, amount)`.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `a` and `b` are `Account`s with different `number`s; `amount` is an int. `transfer` moves
#   `amount` from `a.balance` to `b.balance` and returns `None`.
# - It raises `ValueError`, and changes nothing, when `amount <= 0`, when `a` and `b` are the
#   same account (`a is b`), or when `a.balance < amount` (a transfer of the whole balance is
#   allowed).
# - It reads and changes the balances only while holding **both** `a.lock` and `b.lock` (the
#   funds check included), and it releases both before it returns or raises.
# - It **never deadlocks**, whatever other transfers run at the same time, in any direction,
#   between any accounts. The usual way is to take the two locks in one global order: the
#   account with the smaller `number` first.
#
# The tests give the accounts `MeetingLock`s (see the setup cell): threads that take their
# first lock at the same moment all hold it before anyone takes a second one, which is the
# timing that turns a bad lock order into a deadlock.
#
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# A deadlock needs a cycle: thread 1 holds x and waits for y while thread 2 holds y and waits
# for x. If every thread took the locks of x and y in the same order, that cycle could not form.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# Check `a is b` first (a `threading.Lock` taken twice by one thread waits forever). Then
# `first, second = sorted((a, b), key=lambda account: account.number)` and
# `with first.lock, second.lock:` around the funds check and the two balance changes.
# </details>


# %% nbgrader="solution" grade_id="transfer_answer"
def transfer(a, b, amount):
    """Move `amount` from account a to account b, holding both locks, in an order that
    cannot deadlock; raise ValueError (changing nothing) if the transfer is not allowed."""
    ### BEGIN SOLUTION
    if a is b:
        raise ValueError("cannot transfer from an account to itself")
    if amount <= 0:
        raise ValueError(f"the amount must be positive, not {amount}")
    first, second = (a, b) if a.number < b.number else (b, a)
    with first.lock, second.lock:
        if a.balance < amount:
            raise ValueError("insufficient funds")
        a.balance -= amount
        b.balance += amount
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
x, y = Account(1, 100), Account(2, 100)
call_with_timeout(lambda: transfer(x, y, 30), timeout=5)
print(x.balance, y.balance)

# %% [markdown]
# ### Check C1 · the balances, and what is refused (2 points)

# %% nbgrader="tests" grade_id="transfer_tests_examples" points=2
"""transfer moves the amount, returns None, refuses bad transfers with ValueError without
changing anything, and leaves both locks released."""
from advpy.checks import beside, expect, expect_same


def examples():
    """Runs where your code runs: on Account(1, 100) and Account(2, 50), transfer 30, then try
    71 and 0, each call given 5 s. What each returned, whether it raised ValueError, the
    balances and whether the locks are free, as plain data (or "stuck").
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class Stuck(Exception):
            """A transfer that had not returned after 5 s."""

        def move(a, b, amount):
            try:
                return call_with_timeout(lambda: transfer(a, b, amount), timeout=5, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 5 s)",):
                    raise Stuck() from None
                raise

        def refused(a, b, amount):
            try:
                move(a, b, amount)
            except ValueError:
                return True
            return False

        a, b = Account(1, 100), Account(2, 50)
        seen = {}
        try:
            seen["returned"] = move(a, b, 30)
            seen["balances"] = [a.balance, b.balance]
            seen["71 refused"] = refused(a, b, 71)
            seen["0 refused"] = refused(a, b, 0)
        except Stuck:
            return "stuck"
        seen["balances after refusals"] = [a.balance, b.balance]
        seen["locks free"] = not a.lock.locked() and not b.lock.locked()
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


seen, wrote = beside(examples)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(seen != "stuck", "transfer did not return: does it wait for a lock it already holds?")
expect_same(seen["returned"], None, "what transfer(a, b, 30) returned", show=True)
expect_same(seen["balances"], [70, 80], "balances after moving 30 from 100 to 50", show=True)
expect(seen["71 refused"], "moving 71 out of a balance of 70 must raise ValueError")
expect(seen["0 refused"], "an amount of 0 must raise ValueError")
expect_same(
    seen["balances after refusals"], [70, 80], "balances after two refused transfers", show=True
)
expect(
    seen["locks free"],
    "both locks must be released after a transfer, refused ones included",
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: whole balances, towards a smaller number, refusals of every
    # kind and a cent; what was returned, refused and left, as plain data (or "stuck").
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class Stuck(Exception):
            pass

        def move(a, b, amount):
            try:
                return call_with_timeout(lambda: transfer(a, b, amount), timeout=5, message="stuck")
            except AssertionError as error:
                if error.args == ("stuck (still running after 5 s)",):
                    raise Stuck() from None
                raise

        def refused(a, b, amount):
            try:
                move(a, b, amount)
            except ValueError:
                return True
            return False

        a, b = Account(5, 40), Account(3, 10)
        seen = {}
        try:
            move(a, b, 40)
            seen["whole balance"] = [a.balance, b.balance]
            move(b, a, 15)
            seen["towards a smaller number"] = [a.balance, b.balance]
            seen["-5 refused"] = refused(a, b, -5)
            seen["16 refused"] = refused(a, b, 16)
            seen["to itself refused"] = refused(a, a, 1)
            seen["after refusals"] = [a.balance, b.balance]
            seen["locks free"] = not a.lock.locked() and not b.lock.locked()
            seen["36 refused"] = refused(b, a, 36)
            seen["locks free again"] = not a.lock.locked() and not b.lock.locked()
            c = Account(9, 1)
            move(c, a, 1)
            seen["a cent"] = [c.balance, a.balance]
        except Stuck:
            return "stuck"
        return seen

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


_seen, _wrote = beside(_observed)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(_seen != "stuck", "transfer did not return: does it wait for a lock it already holds?")
expect_same(_seen["whole balance"], [0, 50], "a transfer of the whole balance must be allowed")
expect_same(
    _seen["towards a smaller number"], [15, 35], "a transfer towards a smaller number went wrong"
)
expect(_seen["-5 refused"], "a negative amount must raise ValueError")
expect(_seen["16 refused"], "an amount above the balance must raise ValueError")
expect(_seen["to itself refused"], "a transfer from an account to itself must raise ValueError")
expect_same(_seen["after refusals"], [15, 35], "a refused transfer must change nothing")
expect(_seen["locks free"], "a refused transfer must release the locks")
expect(_seen["36 refused"], "an amount above the balance must raise ValueError")
expect(_seen["locks free again"], "a refused transfer must release the locks")
expect_same(_seen["a cent"], [0, 16], "a transfer of 1 cent went wrong")
### END HIDDEN TESTS


# %% [markdown]
# ### Check C2 · opposite directions at the same time: no deadlock (2 points)

# %% nbgrader="tests" grade_id="transfer_tests_no_deadlock" points=2
"""Two threads transferring between the same two accounts in opposite directions, at the same
moment, both finish."""
from advpy.checks import beside, expect, expect_same


def opposite(first, second):
    """Runs where your code runs: accounts numbered `first` and `second` (100 each, with
    MeetingLocks), transfer(x, y, 10) and transfer(y, x, 25) at the same moment. The balances
    afterwards, or "deadlocked" if they had not finished after 10 s.
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import run_together

        meeting = Meeting(2)
        x, y = Account(first, 100), Account(second, 100)
        x.lock, y.lock = MeetingLock(meeting), MeetingLock(meeting)
        try:
            run_together(
                [lambda: transfer(x, y, 10), lambda: transfer(y, x, 25)],
                timeout=10,
                message="deadlocked",
            )
        except AssertionError as error:
            if error.args == ("deadlocked (still running after 10 s)",):
                return "deadlocked"
            raise
        return [x.balance, y.balance]

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


balances, wrote = beside(opposite, 1, 2)
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(
    balances != "deadlocked",
    "transfer(x, y, 10) and transfer(y, x, 25) at the same moment deadlocked: take the two "
    "locks in the same order in every transfer",
)
expect_same(balances, [115, 85], "balances after both transfers", show=True)
### BEGIN HIDDEN TESTS
for _numbers in ((2, 1), (10, 3), (4, 7)):
    _balances, _wrote = beside(opposite, *_numbers)
    expect(
        not _wrote,
        "something was written to stderr while the check ran (where Python prints an exception "
        "that no code caught in a thread): a check passes only with clean output",
    )
    expect(
        _balances != "deadlocked", "transfers in opposite directions at the same moment deadlocked"
    )
    expect_same(
        _balances,
        [115, 85],
        "transfers in opposite directions at the same moment went wrong",
    )


def _cycle(order):
    # Runs where the answer runs: three accounts (MeetingLocks), three transfers around a
    # cycle at the same moment; the balances, or "deadlocked" after 10 s.
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        from advpy.checks import run_together

        meeting = Meeting(3)
        accounts = [Account(n, 100) for n in order]
        for account in accounts:
            account.lock = MeetingLock(meeting)
        try:
            run_together(
                [
                    lambda i=i: transfer(accounts[i], accounts[(i + 1) % 3], 10 * (i + 1))
                    for i in range(3)
                ],
                timeout=10,
                message="deadlocked",
            )
        except AssertionError as error:
            if error.args == ("deadlocked (still running after 10 s)",):
                return "deadlocked"
            raise
        return [account.balance for account in accounts]

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


# Three accounts, three transfers around a cycle.
for _order in ((1, 2, 3), (8, 2, 5)):
    _balances, _wrote = beside(_cycle, _order)
    expect(
        not _wrote,
        "something was written to stderr while the check ran (where Python prints an exception "
        "that no code caught in a thread): a check passes only with clean output",
    )
    expect(_balances != "deadlocked", "three transfers around a cycle of accounts deadlocked")
    expect_same(
        _balances,
        [120, 90, 90],
        "balances after three transfers around a cycle went wrong",
    )


def _random_transfers():
    # Runs where the answer runs: 8 threads making 100 random transfers each among six
    # accounts, interleaved line by line; the money left in all, or "deadlocked" after 20 s.
    # Also: whether anything was written to stderr meanwhile.
    import contextlib
    import io

    def observe():
        import random

        from advpy.checks import run_together

        bank = [Account(n, 1000) for n in (4, 1, 6, 2, 5, 3)]

        def transfers(seed):
            own = random.Random(seed)
            for _ in range(100):
                source, target = own.sample(bank, 2)
                try:
                    transfer(source, target, own.randint(1, 5))
                except ValueError:
                    pass

        try:
            run_together(
                [lambda s=s: transfers(s) for s in range(8)],
                timeout=20,
                message="deadlocked",
                interleave=transfer,
            )
        except AssertionError as error:
            if error.args == ("deadlocked (still running after 20 s)",):
                return "deadlocked"
            raise
        return sum(account.balance for account in bank)

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


# Many threads, random transfers among a few accounts.
_total, _wrote = beside(_random_transfers)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(_total != "deadlocked", "random transfers between accounts from 8 threads deadlocked")
expect_same(_total, 6000, "money was created or lost")
### END HIDDEN TESTS


# %% [markdown]
# ### Check C3 · both locks held for the whole transfer (2 points)
# The test's accounts note every read and change of their balance made by a thread that does
# not hold both locks at that moment.

# %% nbgrader="tests" grade_id="transfer_tests_locking" points=2
"""transfer reads and changes the balances only while holding both accounts' locks (the
funds check included)."""
from advpy.checks import beside, expect, expect_same


def watched_transfers(numbers, moves, refusals):
    """Runs where your code runs: two accounts x and y, numbered `numbers`, that note every
    read and change of their balance made by a thread not holding both locks; then each of
    `moves` and of `refusals` (x to y or y to x, an amount), each given 5 s, a ValueError let
    go for the refusals only. The balances and each account's uses noted, as plain data (or
    "stuck").
    Also: whether anything was written to stderr meanwhile (where Python prints an
    exception that no code caught in a thread)."""
    import contextlib
    import io

    def observe():
        from advpy.checks import call_with_timeout

        class WatchedAccount(Account):
            """An Account that notes every use of its balance made without both `watched` locks."""

            def __init__(self, number, balance):
                self.watched = []  # the locks a balance may only be used under
                self.misuses = []
                super().__init__(number, balance)
                self.lock = MeetingLock()

            @property
            def balance(self):
                self._check("read")
                return self._balance

            @balance.setter
            def balance(self, value):
                self._check("changed")
                self._balance = value

            def _check(self, what):
                if self.watched and not all(lock.held_by_me() for lock in self.watched):
                    self.misuses.append(what)

        x, y = WatchedAccount(numbers[0], 100), WatchedAccount(numbers[1], 100)
        x.watched = y.watched = [x.lock, y.lock]
        steps = [(move, False) for move in moves] + [(move, True) for move in refusals]
        for (direction, amount), may_refuse in steps:
            a, b = (x, y) if direction == "x to y" else (y, x)
            try:
                call_with_timeout(
                    lambda a=a, b=b, amount=amount: transfer(a, b, amount),
                    timeout=5,
                    message="stuck",
                )
            except ValueError:
                if not may_refuse:
                    raise
            except AssertionError as error:
                if error.args == ("stuck (still running after 5 s)",):
                    return "stuck"
                raise
        x.watched = y.watched = []
        return {"balances": [x.balance, y.balance], "x misuses": x.misuses, "y misuses": y.misuses}

    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        outcome = observe()
    return outcome, stderr.getvalue() != ""


seen, wrote = beside(watched_transfers, (1, 2), [("x to y", 40)], [])
expect(
    not wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(seen != "stuck", "transfer did not return")
expect_same(seen["balances"], [60, 140], "balances after moving 40", show=True)
misuses = seen["x misuses"] + seen["y misuses"]
expect(
    not misuses,
    "a balance was read or changed by a thread that did not hold both accounts' locks: "
    + ", ".join(misuses),
)
### BEGIN HIDDEN TESTS
_seen, _wrote = beside(
    watched_transfers,
    (6, 2),
    [("x to y", 30), ("y to x", 5)],
    [("x to y", 500), ("y to x", 0)],
)
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(_seen != "stuck", "transfer did not return")
expect_same(_seen["balances"], [75, 125], "balances after transfers on watched accounts")
expect(
    not _seen["x misuses"] and not _seen["y misuses"],
    "balances must be read (the funds check too) and changed only while both locks are held",
)
# A refused transfer towards a smaller number checks the funds under both locks too.
_seen, _wrote = beside(watched_transfers, (4, 1), [], [("x to y", 101)])
expect(
    not _wrote,
    "something was written to stderr while the check ran (where Python prints an exception "
    "that no code caught in a thread): a check passes only with clean output",
)
expect(_seen != "stuck", "transfer did not return")
expect_same(_seen["balances"], [100, 100], "a refused transfer must change nothing")
expect(not _seen["x misuses"], "the funds check must read the balance while both locks are held")
### END HIDDEN TESTS


# %% [markdown]
# ## Before you submit
# *Kernel → Restart Kernel and Run All Cells*, check that no cell shows an error, then press
# **Validate**.
