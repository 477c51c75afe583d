# %% [markdown]
# # ps36 · Token bucket rate limiter (10 points)
#
# An API lets each client make short bursts of requests but caps its average rate: that is a
# *token bucket*. The bucket holds up to `capacity` tokens and fills at a steady rate; every
# request spends one token, and a request that finds the bucket empty is refused. In a real
# server many threads ask the same bucket at once, so it must also be thread-safe.
#
# **How this notebook is graded.** You write one class, `TokenBucket`, in the answer cell.
# The test cells below check it; each shows its points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run the
# visible ones): passing the visible asserts is necessary, not
# sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines a clock for tests.
import threading
import time


class ManualClock:
    """A clock for tests: calling it gives `now` (seconds), which moves only by advance()."""

    def __init__(self, start=0.0):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


# %% [markdown]
# ## The problem
#
# `TokenBucket(capacity, refill_rate, clock=time.monotonic)` builds a bucket that
#
# - **starts full**, with `capacity` tokens;
# - **refills continuously** at `refill_rate` tokens per second, and keeps fractions: after
#   0.4 s at 1 token per second it holds 0.4 token more. A fraction of a token does not pay
#   for a request, but it is not lost either: it keeps growing towards the next whole token;
# - **never holds more than `capacity`**: time spent full is not saved up for later;
# - `allow_request()` returns `True` and takes one token when at least one whole token is
#   there, and otherwise returns `False` and takes nothing.
#
# A worked example with `capacity=3`, `refill_rate=1` (one token per second) and a clock that
# the example moves by hand (`ManualClock`, defined in the setup cell):
#
# | clock (s) | calls | results | tokens after | why |
# |---|---|---|---|---|
# | 0 | 4 × `allow_request()` | `True, True, True, False` | 0 | starts full: 3 tokens |
# | 0.5 | `allow_request()` | `False` | 0.5 | half a token flowed in: not enough |
# | 1.5 | 2 × `allow_request()` | `True, False` | 0.5 | 1.5 tokens: one request passes |
# | 100 | 4 × `allow_request()` | `True, True, True, False` | 0 | refilled, but only up to 3 |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `TokenBucket(capacity, refill_rate, clock=time.monotonic)` with `capacity >= 1` and
#   `refill_rate > 0` (numbers); you may add optional parameters, the tests pass only these;
# - the bucket reads the time **only** by calling `clock()`, a function of no arguments that
#   returns seconds as a number; the tests' clocks never go backwards;
# - it starts full, refills continuously at `refill_rate` per second keeping fractions, and
#   never holds more than `capacity` tokens;
# - `allow_request()` returns exactly `True` (taking one token) when at least one token is
#   there, else exactly `False`;
# - it is **thread-safe**: when many threads call `allow_request()` at once, the number of
#   `True`s is exactly what the tokens allow, never more.
#
# The tests never depend on floating-point rounding: whenever a request is decided, the
# number of tokens is a whole number reached by exact arithmetic or at least a millionth of a
# token away from 1.
#
# ### Where the usual sketch falls short
# A common first version keeps `tokens` and `last_refill = time.time()`, and on each request
# adds `(now - last_refill) * refill_rate`, caps at the capacity and takes a token if one is
# there. The arithmetic is right; two things around it are not.
#
# 1. **`time.time()` is the wall clock.** It jumps when the system clock is set (an NTP
#    correction, a virtual machine resumed, an administrator fixing the date): a jump back
#    makes the elapsed time negative and drains the bucket, a jump forward grants a burst
#    nobody earned. Elapsed time must come from a *monotonic* clock (`time.monotonic`).
#    Taking the clock as a parameter also makes the bucket testable: a test passes a clock
#    it moves by hand instead of sleeping, which is how every test below works.
# 2. **It is not thread-safe.** `self.tokens += ...` reads, adds and writes back in separate
#    steps, and `if self.tokens >= 1: self.tokens -= 1` checks and then acts. Two threads can
#    both read "1 token left" and both take it, or one can write back a stale count and undo
#    another's withdrawal. The GIL does not prevent this: it only guarantees that one
#    bytecode runs at a time, and a thread switch can fall between any two. The refill, the
#    check and the withdrawal must happen together under one `threading.Lock`.
#
# ### The cost target, and why
# Each request must cost **O(1)** time and memory, however many requests came before: keep
# two numbers (the tokens and when you last updated them), not a list of past requests.
# There is no timer thread either: the tokens that flowed in since the last request are
# computed when the next request arrives.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Nothing needs to happen between requests. When a request arrives, ask: how many seconds
# passed since I last updated the count, and so how many tokens flowed in meanwhile?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Keep `tokens` (a float, so fractions survive) and `updated` (the clock reading when
# `tokens` was last brought up to date). On each request: `now = clock()`, add
# `(now - updated) * refill_rate`, cap at `capacity`, set `updated = now`, then decide. Keep
# the clock you were given in an attribute and never call `time` functions yourself.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# Create `self._lock = threading.Lock()` in `__init__`, and put the whole body of
# `allow_request` inside `with self._lock:`. Inside: refill as in hint 2 with
# `min(capacity, ...)`, then `if tokens >= 1: tokens -= 1; return True`, else
# `return False`. Do not call a helper method that takes the same lock again: a `Lock`
# acquired twice by one thread waits forever.
# </details>


# %% nbgrader="solution" grade_id="token_bucket_answer"
class TokenBucket:
    """A rate limiter shared by threads: up to `capacity` tokens, refilled continuously at
    `refill_rate` tokens per second, read from `clock()`; each allowed request takes one."""

    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        """Start full. `clock()` returns the time in seconds and never goes backwards."""
        ### BEGIN SOLUTION
        self._capacity = capacity
        self._rate = refill_rate
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = capacity
        self._updated = clock()
        ### END SOLUTION

    def allow_request(self):
        """Take one token and return True if at least one is there; else return False."""
        ### BEGIN SOLUTION
        with self._lock:
            now = self._clock()
            refilled = self._tokens + (now - self._updated) * self._rate
            self._tokens = min(self._capacity, refilled)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
clock = ManualClock()
bucket = TokenBucket(3, 1.0, clock=clock)
print([bucket.allow_request() for _ in range(4)])  # expected: [True, True, True, False]
clock.advance(1.5)
print([bucket.allow_request() for _ in range(2)])  # expected: [True, False]

# %% [markdown]
# ## Tests
#
# Every test passes its own clock and moves it by hand: no test sleeps.
#
# ### Check 1 · the worked example (2 points)

# %% nbgrader="tests" grade_id="token_bucket_tests_examples" points=2
"""TokenBucket gives the worked example's answers, as exactly True or False."""
from advpy.checks import beside, expect_same


def worked_example():
    """Runs where your code runs: the worked example's requests to TokenBucket(3, 1) on a
    ManualClock, and the answers at each clock reading."""
    clock = ManualClock()
    bucket = TokenBucket(3, 1, clock=clock)
    answers = {"at 0": [bucket.allow_request() for _ in range(4)]}
    clock.advance(0.5)
    answers["at 0.5"] = bucket.allow_request()
    clock.advance(1.0)
    answers["at 1.5"] = [bucket.allow_request(), bucket.allow_request()]
    clock.advance(98.5)
    answers["at 100"] = [bucket.allow_request() for _ in range(4)]
    return answers


answers = beside(worked_example)
expect_same(
    answers["at 0"],
    [True, True, True, False],
    "a full bucket of 3 at clock 0, four requests",
    show=True,
)
expect_same(answers["at 0.5"], False, "at clock 0.5 (half a token)", show=True)
expect_same(
    answers["at 1.5"],
    [True, False],
    "at clock 1.5 (1.5 tokens), two requests",
    show=True,
)
expect_same(
    answers["at 100"],
    [True, True, True, False],
    "at clock 100 (refilled, but only up to the capacity), four requests",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import beside as _beside
from advpy.checks import expect_same as _expect_same


def _observed():
    # Runs where the answer runs: a bucket of 5 at 2 tokens per second on the test's own
    # clock, moved by hand; the answers after each move.
    class Clock:
        def __init__(self, start):
            self.now = start

        def __call__(self):
            return self.now

    clock = Clock(1000.0)
    bucket = TokenBucket(5, 2.0, clock=clock)
    seen = {"full": [bucket.allow_request() for _ in range(6)]}
    clock.now += 0.25  # 0.5 token
    seen["half"] = bucket.allow_request()
    clock.now += 0.5  # 1.5 tokens
    seen["one and a half"] = [bucket.allow_request(), bucket.allow_request()]
    clock.now += 60.0
    seen["long pause"] = [bucket.allow_request() for _ in range(6)]
    return seen


_seen = _beside(_observed)
_expect_same(
    _seen["full"], [True] * 5 + [False], "a full bucket of 5 must allow exactly 5 requests at once"
)
_expect_same(_seen["half"], False, "half a token must not pay for a request")
_expect_same(_seen["one and a half"], [True, False], "1.5 tokens must pay for exactly one request")
_expect_same(
    _seen["long pause"],
    [True] * 5 + [False],
    "after a long pause the bucket must hold exactly its capacity",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (3 points)
# Starts full, the cap, fractions kept across refused requests, refused requests cost
# nothing, time read only from `clock`, several buckets side by side.

# %% nbgrader="tests" grade_id="token_bucket_tests_edge_cases" points=3
"""Edge cases: starts full, capped, fractions kept, refusals free, only `clock` read."""
from advpy.checks import beside, expect_same


def new_bucket_and_slow_refill():
    """Runs where your code runs: five requests to a new TokenBucket(4, 0.5), then a bucket
    refilled at 0.3 token per second asked every 0.25 s; the answers."""
    clock = ManualClock()
    bucket = TokenBucket(4, 0.5, clock=clock)
    new = [bucket.allow_request() for _ in range(5)]
    clock = ManualClock(50.0)
    bucket = TokenBucket(1, 0.3, clock=clock)
    bucket.allow_request()
    every_quarter_second = []
    for _ in range(14):
        clock.advance(0.25)
        every_quarter_second.append(bucket.allow_request())
    return new, every_quarter_second


new, every_quarter_second = beside(new_bucket_and_slow_refill)
expect_same(
    new,
    [True, True, True, True, False],
    "a new bucket of 4 must start full",
    show=True,
)
# 0.3 token per second, checked every 0.25 s: 13 steps give 0.975 token, 14 give 1.05.
expect_same(
    every_quarter_second,
    [False] * 13 + [True],
    "0.3 token/s asked every 0.25 s: fractions must add up across refused requests",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import beside as _beside
from advpy.checks import expect_same as _expect_same


def _observed():
    # Runs where the answer runs: buckets on the test's own clocks, moved by hand; the
    # answers to each group of requests, as plain data.
    class Clock:
        def __init__(self, start):
            self.now = start

        def __call__(self):
            return self.now

    def requests(bucket, count):
        return [bucket.allow_request() for _ in range(count)]

    seen = {}
    # Capacity 1, and a clock starting at 0.0 (a falsy reading is still a reading).
    clock = Clock(0.0)
    bucket = TokenBucket(1, 1.0, clock=clock)
    seen["capacity 1"] = requests(bucket, 2)
    seen["empty"] = requests(bucket, 5)
    clock.now += 0.625
    seen["0.625 token"] = requests(bucket, 1)
    clock.now += 0.625
    seen["1.25 tokens"] = requests(bucket, 2)
    # The cap applies to fractions too: a full bucket left alone stays exactly full.
    clock = Clock(20.0)
    bucket = TokenBucket(2, 1.0, clock=clock)
    clock.now += 0.75
    seen["full, 0.75 s later"] = requests(bucket, 3)
    clock.now += 0.5
    seen["0.5 s after emptied"] = requests(bucket, 1)
    # Many refused requests on the way: 0.3 token/s, asked every 0.1 s from 0.03 token on:
    # 0.99 token after 32 steps, 1.02 after 33.
    clock = Clock(7.0)
    bucket = TokenBucket(2, 0.3, clock=clock)
    requests(bucket, 1)
    clock.now += 0.1
    requests(bucket, 1)
    seen["every 0.1 s"] = []
    for _ in range(33):
        clock.now += 0.1
        seen["every 0.1 s"].append(bucket.allow_request())
    # Only the given clock is read: it moves 2.5 s while real time barely moves.
    clock = Clock(123.0)
    bucket = TokenBucket(3, 1.0, clock=clock)
    requests(bucket, 3)
    clock.now += 2.5
    seen["clock moved 2.5 s"] = requests(bucket, 3)
    # A fast refill: 1024 tokens per second for 4.5/1024 s gives 4.5 tokens.
    clock = Clock(1e6)
    bucket = TokenBucket(10, 1024, clock=clock)
    requests(bucket, 10)
    clock.now += 4.5 / 1024
    seen["fast refill"] = requests(bucket, 5)
    # Two buckets on one clock keep separate counts.
    clock = Clock(5.0)
    first, second = TokenBucket(2, 1.0, clock=clock), TokenBucket(2, 1.0, clock=clock)
    requests(first, 3)
    seen["second bucket"] = requests(second, 3)
    return seen


_seen = _beside(_observed)
_expect_same(_seen["capacity 1"], [True, False], "a bucket of capacity 1 must start full")
_expect_same(_seen["empty"], [False] * 5, "an empty bucket must refuse every request")
_expect_same(_seen["0.625 token"], [False], "0.625 token must not pay for a request")
_expect_same(
    _seen["1.25 tokens"],
    [True, False],
    "refused requests must not cost tokens or lose the fraction already earned",
)
_expect_same(
    _seen["full, 0.75 s later"],
    [True, True, False],
    "a full bucket must not grow past capacity",
)
_expect_same(
    _seen["0.5 s after emptied"], [False], "time spent full must not be saved up for later"
)
_expect_same(
    _seen["every 0.1 s"],
    [False] * 32 + [True],
    "fractions of a token must accumulate across many refused requests",
)
_expect_same(
    _seen["clock moved 2.5 s"],
    [True, True, False],
    "the bucket must read the time only by calling the clock it was given",
)
_expect_same(_seen["fast refill"], [True] * 4 + [False], "a fast refill rate gave a wrong count")
_expect_same(_seen["second bucket"], [True, True, False], "each bucket must keep its own tokens")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · random request patterns against a reference (3 points)
# Hundreds of seeded random patterns of pauses and bursts, compared with a reference bucket
# that counts tokens in exact fractions.

# %% nbgrader="tests" grade_id="token_bucket_tests_random" points=3
"""TokenBucket answers like a reference bucket on hundreds of random request patterns."""
from advpy.checks import beside, expect_same


def bursts_after_pauses():
    """Runs where your code runs: bursts of requests to TokenBucket(2, 4) after pauses of a
    ManualClock; the answers of each burst."""
    clock = ManualClock(10.0)
    bucket = TokenBucket(2, 4, clock=clock)
    pattern = []
    for pause, burst in [(0.0, 3), (0.125, 1), (0.125, 1), (0.375, 2), (5.0, 3)]:
        clock.advance(pause)
        pattern.append([bucket.allow_request() for _ in range(burst)])
    return pattern


expect_same(
    beside(bursts_after_pauses),
    [[True, True, False], [False], [True], [True, False], [True, True, False]],
    "bursts after pauses of 0, 0.125, 0.125, 0.375 and 5 s at 4 tokens/s",
    show=True,
)
### BEGIN HIDDEN TESTS
import random as _random
from fractions import Fraction as _Fraction

from advpy.checks import beside as _beside
from advpy.checks import expect_same as _expect_same


class _ExactBucket:
    """The reference: the same bucket in exact fractions."""

    def __init__(self, capacity, rate, now):
        self.capacity, self.rate = _Fraction(capacity), _Fraction(rate)
        self.tokens, self.updated = self.capacity, _Fraction(now)

    def tokens_at(self, now):
        now = _Fraction(now)
        return min(self.capacity, self.tokens + (now - self.updated) * self.rate)

    def allow(self, now):
        self.tokens, self.updated = self.tokens_at(now), _Fraction(now)
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


# Each case: a start, a capacity, a rate and its steps (a pause, then a number of requests),
# drawn and answered by the reference here; the answer's bucket replays them where it runs.
_margin = _Fraction(1, 10**6)
_rng = _random.Random(36)
_rates = [0.1, 0.25, 0.3, 0.5, 0.75, 1, 1.5, 2, 3.7, 10]
_pauses = [0.0, 0.0, 0.013, 0.1, 0.25, 0.4, 1.0, 2.5, 7.3]
_cases, _wanted = [], []
for _case in range(200):
    _now = _rng.choice([0.0, 3.5, 1000.25, 86400.0])
    _capacity, _rate = _rng.randint(1, 8), _rng.choice(_rates)
    _exact = _ExactBucket(_capacity, _rate, _now)
    _steps, _want = [], []
    _start = _now
    for _step in range(30):
        _pause = _rng.choice(_pauses)
        _now += _pause
        _asked = 0
        for _ in range(_rng.randint(0, 4)):
            # Ask only when the exact count is clear of the 1-token boundary.
            if abs(_exact.tokens_at(_now) - 1) < _margin:
                break
            _want.append(_exact.allow(_now))
            _asked += 1
        _steps.append((_pause, _asked))
    _cases.append((_start, _capacity, _rate, _steps))
    _wanted.append(_want)


def _replayed(cases):
    # Runs where the answer runs: each case's steps on a new bucket and a clock of the test's
    # own; the answers of each case.
    class Clock:
        def __init__(self, start):
            self.now = start

        def __call__(self):
            return self.now

    answers = []
    for start, capacity, rate, steps in cases:
        clock = Clock(start)
        bucket = TokenBucket(capacity, rate, clock=clock)
        got = []
        for pause, asked in steps:
            clock.now += pause
            for _ in range(asked):
                got.append(bucket.allow_request())
        answers.append(got)
    return answers


_answers = _beside(_replayed, _cases)
for _got, _want in zip(_answers, _wanted, strict=True):
    _expect_same(
        _got,
        _want,
        "on a random pattern of pauses and bursts the answers differ from a reference bucket "
        "(check the refill, the cap and the fractions)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · thread safety (2 points)
# Many threads ask one bucket at once; exactly as many requests must pass as when the same
# requests come one after another. The check makes races happen on every run, not only now
# and then: it shortens the interpreter's thread switch interval (`sys.setswitchinterval`)
# so that threads take turns every microsecond, hands the interpreter to another thread
# before every line of your class's code, and uses a clock whose readings hand it over again
# in the middle of every arithmetic operation on them. A bucket without one lock around its
# whole refill-check-take step fails here, the visible part included.

# %% nbgrader="tests" grade_id="token_bucket_tests_threads" points=2
"""Many threads calling allow_request at once get exactly as many Trues as the same calls
made one after another."""
from advpy.checks import beside, expect, expect_same


def alone_then_at_once():
    """Runs where your code runs: 320 requests to a full bucket of 100 at one instant, first
    one after another, then from 8 threads at once (three times over); every answer."""
    import time

    from advpy.checks import YieldingFloat, run_in_threads, switch_interval

    class FrozenClock:
        """A test clock that stands still at `now`. Each reading first lets other threads run,
        and returns a YieldingFloat: arithmetic on it lets other threads run in the middle
        again."""

        def __init__(self, now):
            self.now = now

        def __call__(self):
            time.sleep(0)
            return YieldingFloat(self.now)

    alone = TokenBucket(100, YieldingFloat(1.0), clock=FrozenClock(0.0))
    one_after_another = [alone.allow_request() for _ in range(320)]
    at_once = []
    with switch_interval(1e-6):
        for _ in range(3):
            shared = TokenBucket(100, YieldingFloat(1.0), clock=FrozenClock(0.0))
            try:
                results = run_in_threads(
                    shared.allow_request, threads=8, calls=40, name="allow_request", interleave=True
                )
            except AssertionError:  # the threads had not finished after 30 s
                at_once.append("timed out")
                break
            at_once.append(results)
    return one_after_another, at_once


def count_trues(results):
    expect(
        results != "timed out",
        "allow_request, called from many threads at once, had not finished after 30 s: a "
        "deadlock? (a threading.Lock that one thread acquires twice, for instance in a helper "
        "method called with the lock held, waits forever)",
    )
    expect(all(r is True or r is False for r in results), "allow_request must return True or False")
    return sum(1 for r in results if r is True)


alone, at_once = beside(alone_then_at_once)
one_after_another = count_trues(alone)
for results in at_once:
    expect_same(
        count_trues(results),
        one_after_another,
        "8 threads made 320 requests at once to a full bucket of 100 that stands still; "
        "Trues counted, against the same requests made one after another (the refill, "
        "the check and the withdrawal must happen together under one lock)",
        show=True,
    )
### BEGIN HIDDEN TESTS
from advpy.checks import beside as _beside


def _trues_per_burst(bursts, threaded, rounds):
    # Runs where the answer runs: the answers of each burst on a new bucket of 30 at 2 tokens
    # per second, on a clock that stands still between bursts, `rounds` times over. A burst
    # is (seconds the clock moves first, threads, calls per thread); its requests come from
    # that many threads at once (a thread switch every microsecond), or one after another.
    import sys
    import time

    from advpy.checks import YieldingFloat, run_in_threads, switch_interval

    class FrozenClock:
        def __init__(self, now):
            self.now = now

        def __call__(self):
            time.sleep(0)
            return YieldingFloat(self.now)

    def one_round():
        clock = FrozenClock(500.0)
        bucket = TokenBucket(30, YieldingFloat(2.0), clock=clock)
        answers = []
        for pause, threads, calls in bursts:
            clock.now += pause
            if not threaded:
                answers.append([bucket.allow_request() for _ in range(threads * calls)])
                continue
            try:
                answers.append(
                    run_in_threads(
                        bucket.allow_request,
                        threads=threads,
                        calls=calls,
                        name="allow_request",
                        interleave=True,
                    )
                )
            except AssertionError:  # the threads had not finished after 30 s
                answers.append("timed out")
                break
        return answers

    answered = []
    with switch_interval(1e-6 if threaded else sys.getswitchinterval()):
        for _ in range(rounds):
            answered.append(one_round())
            if "timed out" in answered[-1]:
                break
    return answered


# A burst that empties the full bucket, then one after 4.25 s (8.5 tokens flow in).
_bursts = [(0.0, 12, 6), (4.25, 12, 2)]
(_alone,) = _beside(_trues_per_burst, _bursts, False, 1)
_expected = [count_trues(_results) for _results in _alone]
for _round in _beside(_trues_per_burst, _bursts, True, 3):
    _first, _second = [count_trues(_results) for _results in _round]
    expect(
        _first <= _expected[0],
        "threads calling at once got more Trues than the same requests made one after "
        "another: the refill, the check and the withdrawal must happen together under "
        "one lock",
    )
    expect(
        _first == _expected[0],
        "threads calling at once got fewer Trues than the same requests made one after "
        "another (a lost update? every change to the count must happen under the lock)",
    )
    expect(
        _second == _expected[1],
        "after a refill, threads calling at once got a different number of Trues than the "
        "same requests made one after another (the refill and the withdrawal must happen "
        "under one lock)",
    )
### END HIDDEN TESTS
