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
from advpy.checks import call_with_timeout, expect, expect_same


def fetch(cache, key):
    """cache.get(key), failing the check if it does not return within 5 s."""
    return call_with_timeout(
        lambda: cache.get(key),
        timeout=5,
        message="get did not return: does it wait for a lock it already holds?",
    )


calls = []


def load(key):
    calls.append(key)
    return [key, len(calls)]


cache = LoadingCache(load)
first = fetch(cache, "ada")
expect_same(
    first, ["ada", 1], 'the first get("ada") with a loader returning [key, calls]', show=True
)
expect(fetch(cache, "ada") is first, 'a second get("ada") must return the very same object')
expect_same(fetch(cache, "bob"), ["bob", 2], 'then get("bob")', show=True)
expect_same(calls, ["ada", "bob"], "the keys the loader was called with", show=True)
### BEGIN HIDDEN TESTS
_calls = []


def _load(key):
    _calls.append(key)
    return {"none": None, "zero": 0, "empty": "", "list": [], "false": False}.get(key, key)


_cache = LoadingCache(_load)
for _key in ["none", "zero", "empty", "list", "false", "none", "zero", "empty", "list", "false"]:
    fetch(_cache, _key)
expect_same(
    _calls,
    ["none", "zero", "empty", "list", "false"],
    "values such as None, 0, '', [] and False must be cached like any other value",
)
_empty = fetch(_cache, "list")
expect(
    fetch(_cache, "list") is _empty, "a cached empty list must come back as the very same object"
)
for _key in [3, (1, 2), "3", 3, (1, 2), "3"]:
    fetch(_cache, _key)
expect_same(
    _calls[5:], [3, (1, 2), "3"], "each hashable key must be loaded once (3 and '3' differ)"
)
_other_calls = []
_other = LoadingCache(lambda key: _other_calls.append(key) or key * 2)
expect_same(fetch(_other, 21), 42, "a second cache must use its own loader")
expect_same(_other_calls, [21], "each cache must keep its own values")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · many threads, one load (3 points)
# Eight threads ask for a missing key at the same instant. The test's loader makes the threads
# that call it wait for each other for a moment, so a cache that lets two of them in calls it
# twice every time.

# %% nbgrader="tests" grade_id="loading_cache_tests_threads" points=3
"""Threads that get a missing key at the same time make exactly one loader call, and all get
its result."""
import functools

from advpy.checks import expect, expect_same, run_together, switch_interval


def stampede(threads, keys):
    """`threads` threads get the keys at once, thread i asking for keys[i % len(keys)]; return
    (the loader's calls, the results)."""
    meeting = Meeting(threads, patience=0.2)
    calls = []

    def load(key):
        calls.append(key)
        meeting.arrive()  # loader calls that overlap all meet here
        return [key]

    cache = LoadingCache(load)
    asks = [functools.partial(cache.get, keys[i % len(keys)]) for i in range(threads)]
    with switch_interval(1e-6):
        results = run_together(
            asks, timeout=20, message="get from 8 threads at once", interleave=cache.get
        )
    return calls, results


calls, results = stampede(8, ["rates"])
expect_same(
    calls,
    ["rates"],
    "8 threads got one missing key at the same time; the keys the loader was called with "
    "(a check and a store under separate locks, or no lock, let several threads load it)",
    show=True,
)
expect(all(r is results[0] for r in results), "every thread must get the very same object")
### BEGIN HIDDEN TESTS
for _round in range(3):
    _calls, _results = stampede(8, ["x", "y"])
    expect_same(
        sorted(_calls),
        ["x", "y"],
        "threads getting two missing keys at once must cause one loader call per key",
    )
    expect(
        all(_r is _results[_i % 2] for _i, _r in enumerate(_results)),
        "all the threads that got the same key must get the very same object",
    )
_calls, _results = stampede(6, [None])
expect_same(_calls, [None], "a key of None must be loaded once too")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · a slow load holds up only its own key; failed loads are not kept (2 points)

# %% nbgrader="tests" grade_id="loading_cache_tests_slow_loads" points=2
"""While one key's load is still running, get of another key (cached or new) returns at once;
and the slow load still delivers its value."""
from advpy.checks import call_with_timeout, expect, expect_same

started, release = threading.Event(), threading.Event()


def load(key):
    if key == "slow":
        started.set()
        release.wait(60)  # a load that takes as long as the test wants
    return key.upper()


cache = LoadingCache(load)
call_with_timeout(lambda: cache.get("cached"), timeout=5, message="get did not return")
slow_result = []


def get_slow():
    try:
        slow_result.append(cache.get("slow"))
    except Exception as error:  # kept for the check below, not printed from the thread
        slow_result.append(error)


slow = threading.Thread(target=get_slow, daemon=True)
slow.start()
try:
    expect(started.wait(10), 'the loader for "slow" never started')
    for key in ["cached", "new"]:
        got = call_with_timeout(
            lambda key=key: cache.get(key),
            timeout=5,
            message=f'get("{key}") waited for the slow load of another key: hold no lock that '
            "other keys need while the loader runs",
        )
        expect_same(got, key.upper(), f'get("{key}") while "slow" was loading', show=True)
finally:
    release.set()
slow.join(10)
expect_same(slow_result, ["SLOW"], 'what get("slow") returned once its load finished', show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import run_together as _run_together


def _fetch(cache, key):
    return call_with_timeout(
        lambda: cache.get(key),
        timeout=5,
        message="get did not return: is it waiting for a load that failed earlier?",
    )


class _LoadFailed(Exception):
    pass


# A failing load raises to its caller, and is not kept.
_tries = []


def _flaky(key):
    _tries.append(key)
    if len(_tries) == 1:
        raise _LoadFailed("the source was down")
    return key * 2


_cache = LoadingCache(_flaky)
_raised = None
try:
    _fetch(_cache, 5)
except _LoadFailed as _error:
    _raised = _error
expect(_raised is not None, "get must raise the exception the loader raised")
expect_same(_fetch(_cache, 5), 10, "after a failed load, the next get must call the loader again")
expect_same(_fetch(_cache, 5), 10, "a value loaded after a failure must be kept")
expect_same(_tries, [5, 5], "after a failed load, the next get must call the loader again")

# Threads waiting for a load that fails do not wait forever.
_meeting_calls = []
_first_started = threading.Event()


def _fails_first(key):
    _meeting_calls.append(key)
    if len(_meeting_calls) == 1:
        _first_started.set()
        time.sleep(0.3)  # the other threads ask meanwhile and wait for this load
        raise _LoadFailed("the source was down")
    return "ok"


_cache = LoadingCache(_fails_first)


def _attempt():
    try:
        return _cache.get("k")
    except _LoadFailed:
        return "failed"


_outcomes = _run_together(
    [_attempt] * 5,
    timeout=10,
    message="threads waiting for a load that failed were still waiting: wake them up when a "
    "load fails",
)
expect(
    _outcomes.count("failed") >= 1 and set(_outcomes) <= {"failed", "ok"},
    "threads that asked during a failed load must either get its exception or load the key",
)
expect_same(_fetch(_cache, "k"), "ok", "after a failed load, a later get must load the key again")

# Threads waiting for a load in progress sleep: they use (almost) no CPU time meanwhile.
_load_started, _load_release = threading.Event(), threading.Event()


def _held_load(key):
    _load_started.set()
    _load_release.wait(10)
    return key


_cache = LoadingCache(_held_load)


def _get_h():
    try:
        _cache.get("h")
    except Exception:
        pass  # only the CPU time matters here


_holder = threading.Thread(target=_get_h, daemon=True)
_holder.start()
expect(_load_started.wait(10), "the loader never started")
_waiters = [threading.Thread(target=_get_h, daemon=True) for _ in range(4)]
_cpu_before = time.process_time()
for _waiter in _waiters:
    _waiter.start()
time.sleep(1.0)
_cpu_spent = time.process_time() - _cpu_before
_load_release.set()
for _thread in [_holder, *_waiters]:
    _thread.join(10)
expect(
    _cpu_spent < 0.1,
    "threads waiting for a load in progress kept the CPU busy: let them sleep until it ends",
)

# A slow load of one key does not stop two other new keys from loading at the same time.
_gate = Meeting(2, patience=20)


def _meet(key):
    if key != "plain":
        _gate.arrive()
    return key


_cache = LoadingCache(_meet)
_fetch(_cache, "plain")
_run_together(
    [lambda: _cache.get("p"), lambda: _cache.get("q")],
    timeout=10,
    message="two different keys could not load at the same time",
)
expect(_gate.arrived == 2, "the loads of two different keys must be able to run at once")
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
from advpy.checks import call_with_timeout, expect_same


def run(items, handle, workers, maxsize):
    return call_with_timeout(
        lambda: process_all(items, handle, workers, maxsize),
        timeout=15,
        message="process_all did not return: are all the workers told to stop?",
    )


expect_same(
    run(range(10), lambda n: n * n, 3, 2),
    [n * n for n in range(10)],
    "process_all(range(10), square, workers=3, maxsize=2)",
    show=True,
)
expect_same(
    run(["b", "a", "c"], str.upper, 2, 1),
    ["B", "A", "C"],
    'process_all(["b", "a", "c"], str.upper, workers=2, maxsize=1)',
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(run([], str.upper, 3, 2), [], "no items must give an empty list, and return")
expect_same(run(iter("xyz"), str.upper, 1, 1), ["X", "Y", "Z"], "one worker, a queue of one")
expect_same(
    run((n for n in range(4)), lambda n: -n, 8, 3),
    [0, -1, -2, -3],
    "a generator as input, more workers than items",
)
# Item 0's call finishes only after item 1's: the results must still come in input order.
_one_done = threading.Event()


def _late_first(n):
    if n == 0:
        _one_done.wait(5)
    if n == 1:
        _one_done.set()
    return n * 10


expect_same(
    run(range(5), _late_first, 2, 2),
    [0, 10, 20, 30, 40],
    "the results must be in the order of the items, not in the order the calls finished",
)


def _slow_last(n):
    if n == 5:
        time.sleep(0.5)
    return -n


expect_same(
    run(range(6), _slow_last, 3, 2),
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

from advpy.checks import call_with_timeout, expect, expect_same

handled, callers = [], []


def record(item):
    handled.append((item, threading.get_ident()))
    return item


def run_and_note_caller():
    callers.append(threading.get_ident())
    return process_all(range(200), record, 4, 3)


before = set(threading.enumerate())
results = call_with_timeout(run_and_note_caller, timeout=15, message="process_all did not return")
left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
expect(
    type(results) is list and sorted(results) == list(range(200)),
    "process_all(range(200), ...) must return a list holding the result of every item",
)
expect_same(
    sorted(Counter(item for item, _ in handled).values()),
    [1] * 200,
    "how many times each of 200 items was handled (each must be exactly 1)",
)
expect(
    all(ident != callers[0] for _, ident in handled),
    "handle must run in the worker threads, never in the thread that called process_all",
)
expect(
    not left, f"{len(left)} thread(s) started by process_all were still running after it returned"
)
### BEGIN HIDDEN TESTS
_sentinel_like = [None, 0, False, "", "STOP", -1, (), None, "DONE", 0, None]
_seen = []
_got = call_with_timeout(
    lambda: process_all(list(_sentinel_like), lambda item: _seen.append(item) or item, 3, 2),
    timeout=15,
    message="process_all did not return when the items included values like None",
)
expect(
    type(_got) is list and sorted(map(repr, _got)) == sorted(map(repr, _sentinel_like)),
    "items such as None, 0, False, '' or 'STOP' must be handled like any other item",
)
expect(
    sorted(map(repr, _seen)) == sorted(map(repr, _sentinel_like)),
    "items such as None, 0, False, '' or 'STOP' must be handled exactly once",
)

# `workers` calls run at the same time: the first `workers` items all wait for each other.
for _workers in (2, 5):
    _barrier = threading.Barrier(_workers, timeout=10)
    _running, _peak, _count_lock = [0], [0], threading.Lock()

    def _together(item, barrier=_barrier, running=_running, peak=_peak, lock=_count_lock):
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

    _before = set(threading.enumerate())
    _got = call_with_timeout(
        lambda w=_workers: process_all(range(30), _together, w, 2),
        timeout=20,
        message="process_all did not return",
    )
    _left = [_t for _t in threading.enumerate() if _t not in _before and _t.is_alive()]
    expect(
        type(_got) is list and sorted(_got) == list(range(30)),
        "the results when `workers` calls run at the same time",
    )
    expect(_peak[0] <= _workers, "more than `workers` calls of handle ran at the same time")
    expect(not _left, "threads started by process_all were still running after it returned")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · back-pressure and errors (2 points)
# The first check makes every `handle` call wait until the test lets them go, and counts the
# items pulled from the input meanwhile.

# %% nbgrader="tests" grade_id="process_all_tests_backpressure" points=2
"""The producer pulls at most workers + maxsize + 1 items ahead of finished calls; and a
handle that raises makes process_all raise, without hanging."""
from advpy.checks import call_with_timeout, expect, expect_same

pulled = [0]
gate = threading.Event()
in_handle = threading.Semaphore(0)


def counted(count):
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
        outcome.append(process_all(counted(100), held, 2, 3))
    except Exception as error:  # kept for the check below, not printed from the thread
        outcome.append(error)


runner = threading.Thread(target=run_held, daemon=True)
runner.start()
try:
    expect(
        in_handle.acquire(timeout=10) and in_handle.acquire(timeout=10),
        "two workers never started calling handle",
    )
    time.sleep(0.3)  # time for a greedy producer to pull far ahead
    ahead = pulled[0]
finally:
    gate.set()
runner.join(15)
expect(
    ahead <= 2 + 3 + 1,
    f"with workers=2 and maxsize=3, {ahead} items were pulled while no call had returned "
    "(at most 6 may be): use queue.Queue(maxsize) and let put() wait",
)
expect(
    len(outcome) == 1 and type(outcome[0]) is list and sorted(outcome[0]) == list(range(100)),
    "process_all must return the results of all 100 items once the calls go on",
)


class ServiceDown(Exception):
    """What the test's handle raises."""


def fail_on_7(n):
    if n == 7:
        raise ServiceDown(n)
    return n


raised = None
try:
    call_with_timeout(
        lambda: process_all(range(20), fail_on_7, 3, 2),
        timeout=15,
        message="process_all hung after handle raised",
    )
except ServiceDown as error:
    raised = error
expect(raised is not None, "when handle raises ServiceDown, process_all must raise it too")
### BEGIN HIDDEN TESTS
_before = set(threading.enumerate())
for _workers, _maxsize in ((1, 1), (3, 1), (4, 2)):
    _calls = []

    def _always_fails(n, calls=_calls):
        calls.append(n)
        raise ValueError("the service is down")

    _raised = None
    try:
        call_with_timeout(
            lambda w=_workers, m=_maxsize: process_all(range(60), _always_fails, w, m),
            timeout=15,
            message="process_all hung when every call of handle failed",
        )
    except ValueError as _error:
        _raised = _error
    expect(_raised is not None, "when every call fails, process_all must raise the error")
    expect(len(_calls) == len(set(_calls)), "after an error no item may be handled twice")
_left = [_t for _t in threading.enumerate() if _t not in _before and _t.is_alive()]
expect(not _left, "after handle raised, threads started by process_all were still running")


class _First(Exception):
    pass


class _Second(Exception):
    pass


def _two_failures(n):
    if n == 1:
        time.sleep(0.2)
        raise _First()
    if n == 2:
        raise _Second()
    return n


_which = None
try:
    call_with_timeout(
        lambda: process_all(range(4), _two_failures, 2, 1),
        timeout=15,
        message="process_all hung after two calls failed",
    )
except (_First, _Second) as _error:
    _which = type(_error)
expect(_which is _First, "when several items fail, the first item's exception must be raised")
# Back-pressure again, with other sizes.
_pulled = [0]
_gate = threading.Event()
_entered = threading.Semaphore(0)


def _counted(count):
    for _n in range(count):
        _pulled[0] += 1
        yield _n


def _held(item):
    _entered.release()
    _gate.wait(60)
    return item


def _run_held():
    try:
        process_all(_counted(500), _held, 3, 1)
    except Exception:
        pass  # only the items pulled matter here


_runner = threading.Thread(target=_run_held, daemon=True)
_runner.start()
try:
    expect(all(_entered.acquire(timeout=10) for _ in range(3)), "three workers never started")
    time.sleep(0.3)
    _ahead = _pulled[0]
finally:
    _gate.set()
_runner.join(15)
expect(_ahead <= 3 + 1 + 1, "the producer pulled more items ahead than the queue's room allows")
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
from advpy.checks import call_with_timeout, expect, expect_same


def refused(a, b, amount):
    """True if transfer(a, b, amount) raised ValueError (within 5 s)."""
    try:
        call_with_timeout(
            lambda: transfer(a, b, amount),
            timeout=5,
            message="transfer did not return: did it wait for a lock it already holds?",
        )
    except ValueError:
        return True
    return False


def move(a, b, amount):
    """transfer(a, b, amount), failing the check if it does not return within 5 s."""
    return call_with_timeout(
        lambda: transfer(a, b, amount),
        timeout=5,
        message="transfer did not return: does it wait for a lock it already holds?",
    )


a, b = Account(1, 100), Account(2, 50)
expect_same(move(a, b, 30), None, "what transfer(a, b, 30) returned", show=True)
expect_same([a.balance, b.balance], [70, 80], "balances after moving 30 from 100 to 50", show=True)
expect(refused(a, b, 71), "moving 71 out of a balance of 70 must raise ValueError")
expect(refused(a, b, 0), "an amount of 0 must raise ValueError")
expect_same([a.balance, b.balance], [70, 80], "balances after two refused transfers", show=True)
expect(
    not a.lock.locked() and not b.lock.locked(),
    "both locks must be released after a transfer, refused ones included",
)
### BEGIN HIDDEN TESTS
_a, _b = Account(5, 40), Account(3, 10)
move(_a, _b, 40)
expect_same([_a.balance, _b.balance], [0, 50], "a transfer of the whole balance must be allowed")
move(_b, _a, 15)
expect_same([_a.balance, _b.balance], [15, 35], "a transfer towards a smaller number went wrong")
expect(refused(_a, _b, -5), "a negative amount must raise ValueError")
expect(refused(_a, _b, 16), "an amount above the balance must raise ValueError")
expect(refused(_a, _a, 1), "a transfer from an account to itself must raise ValueError")
expect_same([_a.balance, _b.balance], [15, 35], "a refused transfer must change nothing")
expect(not _a.lock.locked() and not _b.lock.locked(), "a refused transfer must release the locks")
expect(refused(_b, _a, 36), "an amount above the balance must raise ValueError")
expect(not _a.lock.locked() and not _b.lock.locked(), "a refused transfer must release the locks")
_c = Account(9, 1)
move(_c, _a, 1)
expect_same([_c.balance, _a.balance], [0, 16], "a transfer of 1 cent went wrong")
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · opposite directions at the same time: no deadlock (2 points)

# %% nbgrader="tests" grade_id="transfer_tests_no_deadlock" points=2
"""Two threads transferring between the same two accounts in opposite directions, at the same
moment, both finish."""
from advpy.checks import expect_same, run_together


def opposite(first, second):
    meeting = Meeting(2)
    x, y = Account(first, 100), Account(second, 100)
    x.lock, y.lock = MeetingLock(meeting), MeetingLock(meeting)
    run_together(
        [lambda: transfer(x, y, 10), lambda: transfer(y, x, 25)],
        timeout=10,
        message="transfer(x, y, 10) and transfer(y, x, 25) at the same moment deadlocked: "
        "take the two locks in the same order in every transfer",
    )
    return [x.balance, y.balance]


expect_same(opposite(1, 2), [115, 85], "balances after both transfers", show=True)
### BEGIN HIDDEN TESTS
import random as _random

for _numbers in ((2, 1), (10, 3), (4, 7)):
    expect_same(
        opposite(*_numbers),
        [115, 85],
        "transfers in opposite directions at the same moment went wrong",
    )

# Three accounts, three transfers around a cycle.
for _order in ((1, 2, 3), (8, 2, 5)):
    _meeting = Meeting(3)
    _acc = [Account(_n, 100) for _n in _order]
    for _account in _acc:
        _account.lock = MeetingLock(_meeting)
    run_together(
        [lambda i=i, acc=_acc: transfer(acc[i], acc[(i + 1) % 3], 10 * (i + 1)) for i in range(3)],
        timeout=10,
        message="three transfers around a cycle of accounts deadlocked",
    )
    expect_same(
        [_account.balance for _account in _acc],
        [120, 90, 90],
        "balances after three transfers around a cycle went wrong",
    )

# Many threads, random transfers among a few accounts.
_rng = _random.Random(9)
_bank = [Account(_n, 1000) for _n in (4, 1, 6, 2, 5, 3)]


def _random_transfers(seed):
    _own = _random.Random(seed)
    for _ in range(100):
        _from, _to = _own.sample(_bank, 2)
        try:
            transfer(_from, _to, _own.randint(1, 5))
        except ValueError:
            pass


run_together(
    [lambda s=s: _random_transfers(s) for s in range(8)],
    timeout=20,
    message="random transfers between accounts from 8 threads deadlocked",
    interleave=transfer,
)
expect_same(sum(_account.balance for _account in _bank), 6000, "money was created or lost")
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · both locks held for the whole transfer (2 points)
# The test's accounts note every read and change of their balance made by a thread that does
# not hold both locks at that moment.

# %% nbgrader="tests" grade_id="transfer_tests_locking" points=2
"""transfer reads and changes the balances only while holding both accounts' locks (the
funds check included)."""
from advpy.checks import call_with_timeout, expect, expect_same


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


def watched_pair(first, second):
    x, y = WatchedAccount(first, 100), WatchedAccount(second, 100)
    x.watched = y.watched = [x.lock, y.lock]
    return x, y


x, y = watched_pair(1, 2)
call_with_timeout(lambda: transfer(x, y, 40), timeout=5, message="transfer did not return")
x.watched = y.watched = []
expect_same([x.balance, y.balance], [60, 140], "balances after moving 40", show=True)
expect(
    not x.misuses and not y.misuses,
    "a balance was read or changed by a thread that did not hold both accounts' locks: "
    + ", ".join(x.misuses + y.misuses),
)
### BEGIN HIDDEN TESTS
_x, _y = watched_pair(6, 2)
for _call in (lambda: transfer(_x, _y, 30), lambda: transfer(_y, _x, 5)):
    call_with_timeout(_call, timeout=5, message="transfer did not return")
for _call in (lambda: transfer(_x, _y, 500), lambda: transfer(_y, _x, 0)):
    try:
        call_with_timeout(_call, timeout=5, message="transfer did not return")
    except ValueError:
        pass
_x.watched = _y.watched = []
expect_same([_x.balance, _y.balance], [75, 125], "balances after transfers on watched accounts")
expect(
    not _x.misuses and not _y.misuses,
    "balances must be read (the funds check too) and changed only while both locks are held",
)
# A refused transfer towards a smaller number checks the funds under both locks too.
_x, _y = watched_pair(4, 1)
try:
    call_with_timeout(lambda: transfer(_x, _y, 101), timeout=5, message="transfer did not return")
except ValueError:
    pass
_x.watched = _y.watched = []
expect_same([_x.balance, _y.balance], [100, 100], "a refused transfer must change nothing")
expect(not _x.misuses, "the funds check must read the balance while both locks are held")
### END HIDDEN TESTS

# %% [markdown]
# ## Before you submit
# *Kernel → Restart Kernel and Run All Cells*, check that no cell shows an error, then press
# **Validate**.
