# %% [markdown]
# # ps15 · Rate limiting: a sliding window counter, its 429 and its Redis counters (23 points)
#
# Three pieces of a rate limiter, each from [15 · Rate limiting](../15_rate_limiting.ipynb):
#
# - **Part A** · `decide(previous, current, limit, window_ms, elapsed_ms)`: the sliding window
#   counter's verdict on one request, exactly, with how many requests remain and how long a
#   rejected client must wait (8 points);
# - **Part B** · `limit_response(limit, allowed, remaining, retry_after_ms, reset_ms)`: the
#   status and the exact `RateLimit-*` and `Retry-After` headers of the answer (7 points);
# - **Part C** · `allow(url, key, limit, window_ms, now_ms)`: the same limiter with its
#   counters in a real Redis, holding its limit when many clients call it at once (8 points).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check. Part C's tests start a Redis server of
# their own on this machine and give your function its address.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the answers may use. Part C's client is redis-py
# (`redis.Redis.from_url(url)`); try it against a server of your own in the scratch cell.
import math

import redis

# %% [markdown]
# ## Part A · `decide`: the sliding window counter's verdict
#
# A sliding window counter allows at most `limit` requests in any window of `window_ms`
# milliseconds, approximately, with two numbers: how many requests it allowed in the current
# fixed window (`current`) and in the one before it (`previous`). A request arriving
# `elapsed_ms` after the current window began sees a sliding window that still covers
# `(window_ms - elapsed_ms) / window_ms` of the previous one, so it counts
#
# ```
# used = previous * (window_ms - elapsed_ms) / window_ms + current
# ```
#
# requests as already made. Write `decide(previous, current, limit, window_ms, elapsed_ms)`,
# returning a tuple `(allowed, remaining, retry_after_ms)`:
#
# ```python
# decide(0, 0, 3, 1000, 0)       # (True, 2, 0)     nothing used: allowed, 2 more fit
# decide(3, 0, 3, 1000, 500)     # (True, 0, 0)     used 1.5; 1.5 + 1 <= 3
# decide(3, 1, 3, 1000, 600)     # (False, 0, 67)   used 2.2; 3.2 > 3; fits again 67 ms later
# decide(0, 3, 3, 1000, 100)     # (False, 0, 1234) this window is full: wait until, in the
#                                #                  next one, its 3 weigh no more than 2
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Arguments** are ints. `previous` and `current` are at least 0, `limit` and `window_ms`
#   at least 1, and `0 <= elapsed_ms < window_ms`; otherwise raise `ValueError`, whatever the
#   other arguments are.
# - **`allowed`** (a bool) is True exactly when `used + 1 <= limit`, compared **exactly**:
#   `used` is a fraction, so compare without floating point (multiply through by `window_ms`).
# - **`remaining`** (an int, never negative) is how many *more* requests would be allowed at
#   this same instant after this one: the largest whole `k` with `used + a + k <= limit`, where
#   `a` is 1 if this request was allowed and 0 if not; 0 when there is no such `k >= 0`.
# - **`retry_after_ms`** (an int) is 0 when the request is allowed. When it is rejected, it is
#   the **smallest whole number of milliseconds `t >= 1`** such that a request arriving `t` ms
#   later would be allowed, if no request is allowed in between. Time moves on across window
#   boundaries: when the current window ends, its count becomes `previous` and `current` starts
#   again at 0 (and after one more window, `previous` is 0 too).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Multiply everything by `window_ms`: `used * window_ms = previous * (window_ms - elapsed_ms) +
# current * window_ms`, an int. Then `allowed` is `used_w + window_ms <= limit * window_ms`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `remaining` is `(limit * window_ms - used_w - a * window_ms) // window_ms`, at least 0.
# A rejection can clear later in **this** window only if `current + 1 <= limit` (the previous
# window's weight shrinks); otherwise the earliest chance is in the next window, where the
# previous count is this window's `current`.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# In this window, with `room = limit - current - 1 >= 0`, you need
# `previous * (window_ms - e) <= room * window_ms`, that is
# `e >= window_ms - (room * window_ms) // previous`. If that `e` is inside the window, wait
# `e - elapsed_ms`. Otherwise, in the next window (previous = `current`, current = 0) you need
# `e2 >= window_ms - ((limit - 1) * window_ms) // current` (never below 0), and wait
# `window_ms - elapsed_ms + e2`; if that `e2` is `window_ms` itself, one window later still.
# </details>


# %% nbgrader="solution" grade_id="decide_answer"
def decide(previous, current, limit, window_ms, elapsed_ms):
    """Return (allowed, remaining, retry_after_ms) for one request of a sliding window counter
    whose previous window allowed `previous` requests and current one `current`."""
    ### BEGIN SOLUTION
    if previous < 0 or current < 0 or limit < 1 or window_ms < 1:
        raise ValueError("counts must be >= 0, limit and window_ms >= 1")
    if not 0 <= elapsed_ms < window_ms:
        raise ValueError("elapsed_ms must be in [0, window_ms)")
    used = previous * (window_ms - elapsed_ms) + current * window_ms
    capacity = limit * window_ms
    allowed = used + window_ms <= capacity
    taken = used + window_ms if allowed else used
    remaining = max(0, (capacity - taken) // window_ms)
    if allowed:
        return True, remaining, 0
    room = limit - current - 1
    if room >= 0:
        moment = window_ms - (room * window_ms) // previous
        if moment < window_ms:
            return False, remaining, moment - elapsed_ms
    later = 0 if current == 0 else max(0, window_ms - ((limit - 1) * window_ms) // current)
    return False, remaining, window_ms - elapsed_ms + later
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
decide(3, 1, 3, 1000, 600)

# %% [markdown]
# ### Check A1 · allowed or not (3 points)

# %% nbgrader="tests" grade_id="decide_tests_verdict" points=3
"""decide allows a request exactly when the weighted count plus this request fits the limit,
and returns a tuple of a bool and two ints."""
from advpy.checks import expect_same, expect_type

expect_same(decide(0, 0, 3, 1000, 0), (True, 2, 0), "decide(0, 0, 3, 1000, 0)", show=True)
expect_same(decide(3, 0, 3, 1000, 500), (True, 0, 0), "decide(3, 0, 3, 1000, 500)", show=True)
expect_same(decide(0, 3, 3, 1000, 100)[0], False, "decide(0, 3, 3, 1000, 100)[0]", show=True)
### BEGIN HIDDEN TESTS
for _args, _allowed in [
    ((0, 0, 1, 1, 0), True),
    ((0, 1, 1, 1, 0), False),
    ((10, 0, 10, 60_000, 0), False),
    ((10, 0, 10, 60_000, 5_999), False),
    ((10, 0, 10, 60_000, 6_000), True),
    ((2, 1, 3, 1000, 500), True),
    ((2, 1, 3, 1000, 499), False),
    ((3, 2, 3, 1000, 999), False),
    ((3, 0, 3, 3, 1), True),
    ((3, 0, 3, 3, 0), False),
    ((5, 5, 5, 1000, 999), False),
    ((0, 4, 5, 7, 3), True),
    ((7, 0, 3, 10, 8), True),
    ((7, 0, 3, 10, 7), False),
]:
    _result = decide(*_args)
    expect_type(_result, tuple, "decide must return a tuple (allowed, remaining, retry_after_ms)")
    expect_same(
        _result[0],
        _allowed,
        "a request must be allowed exactly when previous * (window_ms - elapsed_ms) / window_ms "
        "+ current + 1 <= limit, compared exactly (allowed must be a bool)",
    )
# At the exact boundary (used + 1 == limit) floating point can tip the comparison either way.
for _case in [
    (7, 1, 3, 7, 6),
    (7, 1, 3, 49, 42),
    (12, 1, 3, 60, 55),
    (12, 1, 3, 60_000, 55_000),
    (14, 1, 4, 7, 6),
    (15, 1, 12, 3, 1),
    (15, 1, 7, 3, 2),
]:
    _previous, _current, _limit, _window, _elapsed = _case
    for _shift in (0, -1):  # exactly at the limit, then one millisecond earlier (just over it)
        expect_same(
            decide(_previous, _current, _limit, _window, _elapsed + _shift)[0],
            _shift == 0,
            "the comparison must be exact, without floating-point rounding (work in integers: "
            "multiply by window_ms)",
        )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · `remaining` and `retry_after_ms` (3 points)

# %% nbgrader="tests" grade_id="decide_tests_numbers" points=3
"""decide counts the requests that remain at this instant and, for a rejection, the smallest
whole number of milliseconds after which one request would be allowed."""
from advpy.checks import expect_same

expect_same(decide(3, 1, 3, 1000, 600), (False, 0, 67), "decide(3, 1, 3, 1000, 600)", show=True)
expect_same(decide(0, 3, 3, 1000, 100), (False, 0, 1234), "decide(0, 3, 3, 1000, 100)", show=True)
expect_same(decide(4, 1, 10, 1000, 250), (True, 5, 0), "decide(4, 1, 10, 1000, 250)", show=True)
### BEGIN HIDDEN TESTS
import random as _random


def _allowed_at(_previous, _current, _limit, _window, _moment):
    # a request _moment ms after the current window began (it may be in a later window)
    _shift, _elapsed = divmod(_moment, _window)
    if _shift == 1:
        _previous, _current = _current, 0
    elif _shift >= 2:
        _previous, _current = 0, 0
    return _previous * (_window - _elapsed) + (_current + 1) * _window <= _limit * _window


def _expected(_previous, _current, _limit, _window, _elapsed):
    _used = _previous * (_window - _elapsed) + _current * _window
    _allowed = _used + _window <= _limit * _window
    _taken = _used + (_window if _allowed else 0)
    _remaining = max(0, (_limit * _window - _taken) // _window)
    if _allowed:
        return (True, _remaining, 0)
    _t = 1
    while not _allowed_at(_previous, _current, _limit, _window, _elapsed + _t):
        _t += 1
    return (False, _remaining, _t)


_rng = _random.Random(1515)
_cases = [
    (0, 1, 1, 1000, 0),
    (0, 1, 1, 1000, 999),
    (1, 1, 1, 1000, 500),
    (5, 0, 5, 100, 0),
    (5, 5, 5, 100, 0),
    (5, 4, 5, 100, 30),
    (2, 0, 2, 100, 0),
    (3, 3, 4, 100, 1),
    (10, 0, 3, 100, 10),
    (100, 0, 3, 100, 1),
    (0, 0, 1, 1, 0),
    (6, 6, 6, 7, 6),
    (50, 0, 50, 1000, 1),
    (1, 0, 1, 1000, 0),
    (0, 9, 10, 1000, 1),
    (8, 3, 10, 1000, 10),
]
_cases += [
    (_rng.randint(0, 12), _rng.randint(0, 12), _rng.randint(1, 12), _w, _rng.randrange(_w))
    for _w in [1, 2, 3, 7, 10, 97, 100, 250, 1000] * 12
]
for _case in _cases:
    _result = decide(*_case)
    _want = _expected(*_case)
    expect_same(
        _result[1],
        _want[1],
        "remaining must be the largest whole k with used + a + k <= limit (a = 1 when allowed), "
        "never negative, an int",
    )
    expect_same(
        _result[2],
        _want[2],
        "retry_after_ms must be 0 when allowed, and otherwise the smallest whole t >= 1 after "
        "which a request would be allowed, counts moving on at each window boundary",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · what `decide` refuses (2 points)

# %% nbgrader="tests" grade_id="decide_tests_errors" points=2
"""decide raises ValueError for negative counts, a limit or window below 1, and an elapsed time
outside the window."""
from advpy.checks import expect_raises, expect_type

expect_raises(lambda: decide(0, 0, 0, 1000, 0), ValueError, "decide(0, 0, 0, 1000, 0)")
expect_raises(lambda: decide(0, 0, 3, 1000, 1000), ValueError, "decide(0, 0, 3, 1000, 1000)")
### BEGIN HIDDEN TESTS
for _args in [
    (-1, 0, 3, 1000, 0),
    (0, -1, 3, 1000, 0),
    (0, 0, -2, 1000, 0),
    (0, 0, 3, 0, 0),
    (0, 0, 3, -5, 0),
    (0, 0, 3, 1000, -1),
    (0, 0, 3, 1000, 5000),
    (0, 0, 3, 1, 1),
    (5, 5, 0, 1000, 10),
    (-3, 9, 3, 1000, 999),
]:
    expect_raises(
        lambda _args=_args: decide(*_args),
        ValueError,
        "decide must raise ValueError for counts below 0, limit or window_ms below 1, and "
        "elapsed_ms outside [0, window_ms), whatever the other arguments are",
    )
for _args in [(0, 0, 1, 1, 0), (0, 0, 3, 1000, 999), (0, 0, 1, 1000, 0)]:
    expect_type(decide(*_args), tuple, "arguments at the edges of their ranges must be accepted")
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `limit_response`: the status and the headers
#
# The answer to every request carries the limiter's state, and a rejected one says when to come
# back. Write `limit_response(limit, allowed, remaining, retry_after_ms, reset_ms)` returning a
# tuple `(status, headers)`: `status` an int, `headers` a dict of header names to string values.
# `reset_ms` is how long until the limiter's quota is fully available again, in milliseconds.
#
# ```python
# limit_response(100, True, 41, 0, 12_500)
# # (200, {'RateLimit-Limit': '100', 'RateLimit-Remaining': '41', 'RateLimit-Reset': '13'})
# limit_response(100, False, 0, 2_001, 12_500)
# # (429, {'RateLimit-Limit': '100', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '13',
# #        'Retry-After': '3'})
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **`status`** is `200` when `allowed`, `429` (Too Many Requests) when not.
# - **`headers`** holds exactly these keys, spelled exactly so: `RateLimit-Limit` (the limit),
#   `RateLimit-Remaining` (`remaining`), `RateLimit-Reset` (`reset_ms` in whole seconds,
#   **rounded up**), and, **only when the request is rejected**, `Retry-After`
#   (`retry_after_ms` in whole seconds, **rounded up**). Every value is a string of decimal
#   digits (`"3"`, not `"3.0"`). Rounding is exact however large the numbers are (integer
#   arithmetic: `10**18 + 1` ms is `1000000000000001` seconds, rounded up).
# - **Refused arguments.** `allowed` must be a bool (True or False), otherwise raise
#   `TypeError`. Raise `ValueError` when `limit < 1`, `remaining < 0`, `remaining > limit`,
#   `reset_ms < 0` or `retry_after_ms < 0`; when a rejected request has `retry_after_ms == 0`
#   (a 429 must make the client wait); and when an allowed one has `retry_after_ms != 0`.

# %% nbgrader="solution" grade_id="limit_response_answer"
def limit_response(limit, allowed, remaining, retry_after_ms, reset_ms):
    """Return (status, headers) for an answer of a rate-limited API."""
    ### BEGIN SOLUTION
    if type(allowed) is not bool:
        raise TypeError("allowed must be True or False")
    if limit < 1 or not 0 <= remaining <= limit or reset_ms < 0 or retry_after_ms < 0:
        raise ValueError("limit >= 1, 0 <= remaining <= limit, times >= 0")
    if allowed == (retry_after_ms != 0):
        raise ValueError("retry_after_ms is 0 exactly when the request is allowed")
    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(-(-reset_ms // 1000)),
    }
    if not allowed:
        headers["Retry-After"] = str(-(-retry_after_ms // 1000))
    return (200 if allowed else 429), headers
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
limit_response(100, False, 0, 2_001, 12_500)

# %% [markdown]
# ### Check B1 · an allowed request (2 points)

# %% nbgrader="tests" grade_id="limit_response_tests_allowed" points=2
"""limit_response answers 200 with the three RateLimit headers, the reset rounded up to whole
seconds, and no Retry-After."""
from advpy.checks import expect_same

expect_same(
    limit_response(100, True, 41, 0, 12_500),
    (200, {"RateLimit-Limit": "100", "RateLimit-Remaining": "41", "RateLimit-Reset": "13"}),
    "limit_response(100, True, 41, 0, 12_500)",
    show=True,
)
### BEGIN HIDDEN TESTS
for _args, _reset in [
    ((1, True, 0, 0, 0), "0"),
    ((1, True, 1, 0, 1), "1"),
    ((5, True, 5, 0, 999), "1"),
    ((5, True, 4, 0, 1000), "1"),
    ((5, True, 3, 0, 1001), "2"),
    ((60, True, 59, 0, 3_599_001), "3600"),
    ((7, True, 2, 0, 10**18 + 1), "1000000000000001"),
    ((7, True, 2, 0, 10**18), "1000000000000000"),
]:
    _limit, _allowed, _remaining = _args[:3]
    expect_same(
        limit_response(*_args),
        (
            200,
            {
                "RateLimit-Limit": str(_limit),
                "RateLimit-Remaining": str(_remaining),
                "RateLimit-Reset": _reset,
            },
        ),
        "an allowed request must give 200 and exactly RateLimit-Limit, RateLimit-Remaining and "
        "RateLimit-Reset (seconds rounded up, exact for large values), as strings of digits",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · a rejected request (3 points)

# %% nbgrader="tests" grade_id="limit_response_tests_rejected" points=3
"""limit_response answers 429 with Retry-After, both times rounded up to whole seconds."""
from advpy.checks import expect_same

expect_same(
    limit_response(100, False, 0, 2_001, 12_500),
    (
        429,
        {
            "RateLimit-Limit": "100",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": "13",
            "Retry-After": "3",
        },
    ),
    "limit_response(100, False, 0, 2_001, 12_500)",
    show=True,
)
### BEGIN HIDDEN TESTS
for _args, _retry, _reset in [
    ((1, False, 0, 1, 0), "1", "0"),
    ((1, False, 0, 999, 1), "1", "1"),
    ((3, False, 0, 1000, 1000), "1", "1"),
    ((3, False, 0, 1001, 59_000), "2", "59"),
    ((3, False, 1, 120_000, 120_001), "120", "121"),
    ((9, False, 0, 10**18 + 1, 10**18 + 999), "1000000000000001", "1000000000000001"),
]:
    expect_same(
        limit_response(*_args),
        (
            429,
            {
                "RateLimit-Limit": str(_args[0]),
                "RateLimit-Remaining": str(_args[2]),
                "RateLimit-Reset": _reset,
                "Retry-After": _retry,
            },
        ),
        "a rejected request must give 429, the three RateLimit headers and Retry-After "
        "(retry_after_ms in seconds rounded up, exact for large values)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · what `limit_response` refuses (2 points)

# %% nbgrader="tests" grade_id="limit_response_tests_errors" points=2
"""limit_response raises TypeError for an allowed that is not a bool, and ValueError for
numbers out of range and a retry time that contradicts the verdict."""
from advpy.checks import expect_raises, expect_type

expect_raises(
    lambda: limit_response(10, False, 0, 0, 5000), ValueError, "a 429 with retry_after_ms 0"
)
expect_raises(lambda: limit_response(10, 1, 3, 0, 5000), TypeError, "allowed=1 (not a bool)")
### BEGIN HIDDEN TESTS
for _allowed in [0, 1, None, "True", "", 1.0]:
    expect_raises(
        lambda _allowed=_allowed: limit_response(10, _allowed, 0, 1000, 5000),
        TypeError,
        "allowed must be exactly True or False; anything else raises TypeError",
    )
for _args in [
    (0, True, 0, 0, 1000),
    (-1, False, 0, 10, 1000),
    (10, True, -1, 0, 1000),
    (10, True, 11, 0, 1000),
    (10, True, 3, 0, -1),
    (10, False, 0, -1000, 1000),
    (10, False, 0, -1, 1000),
    (10, True, 3, 0, -1000),
    (10, True, 3, 500, 1000),
    (10, False, 0, 0, 0),
]:
    expect_raises(
        lambda _args=_args: limit_response(*_args),
        ValueError,
        "limit_response must raise ValueError for limit < 1, remaining outside [0, limit], "
        "negative times, and a retry_after_ms that is 0 for a rejection or not 0 for an "
        "allowed request",
    )
for _args in [(1, True, 1, 0, 0), (1, False, 0, 1, 0), (10, True, 10, 0, 0)]:
    expect_type(limit_response(*_args), tuple, "arguments at the edges of their ranges are valid")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `allow`: the counters in Redis, shared by every client
#
# Now the limiter keeps its counts in a Redis server that many app processes share. Write
# `allow(url, key, limit, window_ms, now_ms)`: connect to the Redis at `url` (for instance
# `redis.Redis.from_url(url)`; you may keep one client per `url` between calls), decide the
# request of the client named `key` arriving at `now_ms` (milliseconds, given by the caller so
# that every process agrees on the time), count it if it is allowed, and return the same tuple
# as `decide`: `(allowed, remaining, retry_after_ms)`.
#
# ```python
# allow(url, "ada", 3, 1000, 5_000)     # (True, 2, 0)
# allow(url, "ada", 3, 1000, 5_010)     # (True, 1, 0)
# allow(url, "bob", 3, 1000, 5_020)     # (True, 2, 0)       another client, its own counts
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Counters.** Window number `n = now_ms // window_ms` begins at `n * window_ms`. The
#   number of requests of `key` allowed in window `n` is stored at the Redis key
#   `f"{key}:{n}"` (a missing key counts 0). `previous` is window `n - 1`'s count,
#   `current` window `n`'s; `elapsed_ms = now_ms - n * window_ms`. The verdict and the numbers
#   are exactly `decide`'s for those counts.
# - **Counting.** An allowed request adds 1 to `f"{key}:{n}"`; a rejected one changes nothing.
#   After a call, `f"{key}:{n}"` (if it exists) must expire (`PEXPIRE`) no earlier than the
#   end of window `n + 1`, where it is still read as `previous`, and no later than
#   `2 * window_ms` milliseconds from now, so that no counter stays forever. No other key is
#   created, changed or deleted.
# - **Concurrency.** Many clients, each its own thread and connection, may call `allow` for
#   the same `key` and the same `now_ms` at once: exactly as many requests are allowed as one
#   client calling in turn would have been allowed. A read, a decision in Python and a write as
#   separate commands do not do that: use a Lua script (`EVAL`), or `WATCH`/`MULTI`/`EXEC`
#   retried until it succeeds.
# - **Refused arguments.** The same `ValueError`s as `decide` (with `now_ms >= 0` in place of
#   the range of `elapsed_ms`), raised before anything is written.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# With `WATCH`, redis-py's `pipe = client.pipeline()`, `pipe.watch(k1, k2)` reads in immediate
# mode (`pipe.get(k1)`), then `pipe.multi()` queues commands and `pipe.execute()` runs them, or
# raises `redis.WatchError` when another client changed a watched key: start again.
# </details>
#
# <details><summary>Hint 2</summary>
#
# You may call your `decide` from Part A between the reads and the writes. In Lua instead,
# `redis.call('GET', KEYS[1])` reads, `tonumber(x or '0')` makes a number, and integer division
# is `math.floor(a / b)`.
# </details>


# %% nbgrader="solution" grade_id="allow_answer"
def allow(url, key, limit, window_ms, now_ms):
    """Decide one request of `key` at `now_ms` with a sliding window counter whose counts live
    in the Redis at `url`; count it if allowed. Return (allowed, remaining, retry_after_ms)."""
    ### BEGIN SOLUTION
    if now_ms < 0:
        raise ValueError("now_ms must be >= 0")
    number, elapsed = divmod(now_ms, window_ms) if window_ms >= 1 else (0, 0)
    decide(0, 0, limit, window_ms, elapsed)  # validates the arguments before any write
    this, before = f"{key}:{number}", f"{key}:{number - 1}"
    client = redis.Redis.from_url(url)
    try:
        with client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(this, before)
                    current = int(pipe.get(this) or 0)
                    previous = int(pipe.get(before) or 0)
                    verdict = decide(previous, current, limit, window_ms, elapsed)
                    pipe.multi()
                    if verdict[0]:
                        pipe.incr(this)
                        pipe.pexpire(this, 2 * window_ms)
                    pipe.execute()
                    return verdict
                except redis.WatchError:
                    continue
    finally:
        client.close()
    ### END SOLUTION


# %%
# Scratch cell: try your function against a Redis of your own. It is not graded.
# from advpy.services import redis_server
# with redis_server() as server:
#     print(allow(server.url, "ada", 3, 1000, 5_000))

# %% [markdown]
# ### Check C1 · the verdicts and the counters (3 points)

# %% nbgrader="tests" grade_id="allow_tests_counts" points=3
"""allow reads this window's and the previous window's counters from Redis, decides like
decide, and counts only allowed requests at f"{key}:{n}"."""
from advpy.checks import expect_same
from advpy.services import redis_server

with redis_server() as _server:
    _check = _server.connect(decode_responses=True)
    expect_same(allow(_server.url, "ada", 3, 1000, 5_000), (True, 2, 0), "first request", show=True)
    expect_same(allow(_server.url, "ada", 3, 1000, 5_010), (True, 1, 0), "second", show=True)
    expect_same(allow(_server.url, "bob", 3, 1000, 5_020), (True, 2, 0), "bob's first", show=True)
    expect_same(_check.get("ada:5"), "2", 'the counter "ada:5" after 2 allowed', show=True)
    ### BEGIN HIDDEN TESTS
    _check.flushdb()
    _steps = [
        (0, (True, 2, 0)),
        (10, (True, 1, 0)),
        (20, (True, 0, 0)),
        (30, (False, 0, 1304)),
        (999, (False, 0, 335)),
        (1500, (True, 0, 0)),
        (1600, (False, 0, 67)),
        (1900, (True, 0, 0)),
        (2000, (True, 0, 0)),
        (3500, (True, 1, 0)),
        (9000, (True, 2, 0)),
    ]
    for _now, _want in _steps:
        expect_same(
            allow(_server.url, "carol", 3, 1000, _now),
            _want,
            "a sequence of requests of one client must get decide's verdicts for the counts in "
            "Redis (this window's and the previous window's)",
        )
    expect_same(
        {k: _check.get(k) for k in _check.keys("carol:*")},
        {"carol:0": "3", "carol:1": "2", "carol:2": "1", "carol:3": "1", "carol:9": "1"},
        'each window\'s counter f"{key}:{n}" must hold the number of allowed requests only',
    )
    _check.flushdb()
    _check.set("dan:41", "6")
    _check.set("dan:42", "1")
    expect_same(
        allow(_server.url, "dan", 8, 100, 4_250),
        decide(6, 1, 8, 100, 50),
        "counts already in Redis (left by other processes) must be read, for the previous "
        "window too",
    )
    _check.set("erin:7", "5")
    expect_same(
        allow(_server.url, "erin", 5, 1000, 9_100),
        (True, 4, 0),
        "a counter two windows old must not count",
    )
    _check.set("fay:3", "4")
    expect_same(
        allow(_server.url, "fay", 4, 10, 39),
        (False, 0, 4),
        "a full window must reject, and a rejected request must not be counted",
    )
    expect_same(_check.get("fay:3"), "4", "a rejected request must not change the counter")
    ### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · many clients at once (3 points)

# %% nbgrader="tests" grade_id="allow_tests_concurrent" points=3
"""allow holds its limit exactly when many clients, each in its own thread, call it for the
same key at the same instant."""
from advpy.checks import beside, expect, expect_same
from advpy.services import redis_server


def burst(url, key, limit, threads, each, now=7_000, window=60_000):
    """Runs where your code runs: `threads` threads, started at once, each call
    allow(url, key, limit, window, now) `each` times; every verdict they got (None if some
    call had not returned after 60 s)."""
    from advpy.checks import run_together

    calls = [
        lambda: [allow(url, key, limit, window, now)[0] for _ in range(each)]
        for _ in range(threads)
    ]
    try:
        return [verdict for got in run_together(calls, timeout=60) for verdict in got]
    except AssertionError:  # a call still running after 60 s
        return None


with redis_server() as _server:
    verdicts = beside(burst, _server.url, "crowd", 20, 8, 5)
    expect(verdicts is not None, "40 requests sent at once: some had no answer after 60 s")
    expect_same(
        sum(verdicts),
        20,
        "requests allowed out of 40 sent at once by 8 clients, limit 20",
        show=True,
    )
    ### BEGIN HIDDEN TESTS
    _check = _server.connect(decode_responses=True)
    for _trial, (_limit, _threads, _each) in enumerate([(12, 10, 3), (7, 16, 2)]):
        _verdicts = beside(burst, _server.url, f"mob{_trial}", _limit, _threads, _each)
        expect(_verdicts is not None, "requests sent at once must all be answered")
        expect_same(
            sum(_verdicts),
            _limit,
            "under many concurrent clients, exactly the limit must be allowed (make the read, "
            "the decision and the write one atomic step)",
        )
        expect_same(
            _check.get(f"mob{_trial}:0"),
            str(_limit),
            "under concurrency the counter must end at the number of allowed requests",
        )
    _check.set("late:0", "20")
    _verdicts = beside(burst, _server.url, "late", 20, 8, 2, 60_000 + 15_000)
    expect(_verdicts is not None, "requests sent at once must all be answered")
    expect_same(
        sum(_verdicts),
        20 - 15,
        "under concurrency, the previous window's weighted count must be respected",
    )
    ### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · expiry, other keys, refused arguments (2 points)

# %% nbgrader="tests" grade_id="allow_tests_hygiene" points=2
"""allow gives every counter it writes an expiry of at most two windows, leaves other keys
alone, and raises ValueError before writing anything."""
from advpy.checks import expect, expect_raises, expect_same
from advpy.services import redis_server

with redis_server() as _server:
    _check = _server.connect(decode_responses=True)
    allow(_server.url, "gus", 5, 10_000, 12_345)
    _ttl = _check.pttl("gus:1")
    expect(
        17_655 - 1000 <= _ttl <= 20_000,
        f"the counter gus:1 must live until window 2 ends, 17655 ms from now, and at most "
        f"20000 ms (PTTL {_ttl}, read a little after the call)",
    )
    expect_raises(
        lambda: allow(_server.url, "gus", 0, 1000, 12_345), ValueError, "a limit of 0"
    )
    ### BEGIN HIDDEN TESTS
    _check.flushdb()
    _check.set("other", "keep")
    _check.set("hal:4", "1")
    _check.set("hal:5", "2", px=500_000)
    for _now in [50_000, 59_999]:
        allow(_server.url, "hal", 9, 10_000, _now)
        _ttl = _check.pttl("hal:5")
        expect(
            20_000 - (_now - 50_000) - 1000 <= _ttl <= 20_000,
            "after a call, this window's counter must expire no earlier than the end of the "
            "next window and no later than 2 * window_ms from now",
        )
    allow(_server.url, "ivy", 2, 50, 10**12)
    _ttl = _check.pttl(f"ivy:{10**12 // 50}")
    expect(1 <= _ttl <= 100, "the expiry must follow window_ms (at most 2 * window_ms)")
    expect_same(
        sorted(_check.keys("*")),
        sorted(["other", "hal:4", "hal:5", f"ivy:{10**12 // 50}"]),
        "allow must create no key but the counter of the current window",
    )
    expect_same(_check.get("other"), "keep", "allow must not change other keys")
    expect_same(_check.get("hal:4"), "1", "allow must not change the previous window's counter")
    _check.set("kit:4", "1")
    _check.set("kit:5", "1")
    expect_same(
        allow(_server.url, "kit", 2, 1, 5)[0],
        False,
        "with window_ms=1, window n is now_ms itself: its counter and the previous one count",
    )
    _check.delete("kit:4", "kit:5")
    _before = sorted(_check.keys("*"))
    for _args in [
        ("jo", 0, 1000, 5),
        ("jo", -1, 1000, 5),
        ("jo", 3, 0, 5),
        ("jo", 3, -1000, 5),
        ("jo", 3, 1000, -1),
    ]:
        expect_raises(
            lambda _args=_args: allow(_server.url, *_args),
            ValueError,
            "allow must raise ValueError for a limit or window_ms below 1 and a negative now_ms",
        )
    expect_same(sorted(_check.keys("*")), _before, "refused arguments must write nothing")
    expect_same(
        allow(_server.url, "jo", 1, 1, 0), (True, 0, 0), "the smallest valid arguments work"
    )
    ### END HIDDEN TESTS
