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
from advpy.checks import expect_same

clock = ManualClock()
bucket = TokenBucket(3, 1, clock=clock)
expect_same(
    [bucket.allow_request() for _ in range(4)],
    [True, True, True, False],
    "a full bucket of 3 at clock 0, four requests",
    show=True,
)
clock.advance(0.5)
expect_same(bucket.allow_request(), False, "at clock 0.5 (half a token)", show=True)
clock.advance(1.0)
expect_same(
    [bucket.allow_request(), bucket.allow_request()],
    [True, False],
    "at clock 1.5 (1.5 tokens), two requests",
    show=True,
)
clock.advance(98.5)
expect_same(
    [bucket.allow_request() for _ in range(4)],
    [True, True, True, False],
    "at clock 100 (refilled, but only up to the capacity), four requests",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect_same as _expect_same


class _HiddenClock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


_clock = _HiddenClock(1000.0)
_bucket = TokenBucket(5, 2.0, clock=_clock)
_expect_same(
    [_bucket.allow_request() for _ in range(6)],
    [True] * 5 + [False],
    "a full bucket of 5 must allow exactly 5 requests at once",
)
_clock.now += 0.25  # 0.5 token
_expect_same(_bucket.allow_request(), False, "half a token must not pay for a request")
_clock.now += 0.5  # 1.5 tokens
_expect_same(
    [_bucket.allow_request(), _bucket.allow_request()],
    [True, False],
    "1.5 tokens must pay for exactly one request",
)
_clock.now += 60.0
_expect_same(
    [_bucket.allow_request() for _ in range(6)],
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
from advpy.checks import expect_same

clock = ManualClock()
bucket = TokenBucket(4, 0.5, clock=clock)
expect_same(
    [bucket.allow_request() for _ in range(5)],
    [True, True, True, True, False],
    "a new bucket of 4 must start full",
    show=True,
)
# 0.3 token per second, checked every 0.25 s: 13 steps give 0.975 token, 14 give 1.05.
clock = ManualClock(50.0)
bucket = TokenBucket(1, 0.3, clock=clock)
bucket.allow_request()
answers = []
for _ in range(14):
    clock.advance(0.25)
    answers.append(bucket.allow_request())
expect_same(
    answers,
    [False] * 13 + [True],
    "0.3 token/s asked every 0.25 s: fractions must add up across refused requests",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect_same as _expect_same


class _HiddenClock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def _requests(bucket, count):
    return [bucket.allow_request() for _ in range(count)]


# Capacity 1, and a clock starting at 0.0 (a falsy reading is still a reading).
_clock = _HiddenClock(0.0)
_bucket = TokenBucket(1, 1.0, clock=_clock)
_expect_same(_requests(_bucket, 2), [True, False], "a bucket of capacity 1 must start full")
_expect_same(_requests(_bucket, 5), [False] * 5, "an empty bucket must refuse every request")
_clock.now += 0.625
_expect_same(_requests(_bucket, 1), [False], "0.625 token must not pay for a request")
_clock.now += 0.625
_expect_same(
    _requests(_bucket, 2),
    [True, False],
    "refused requests must not cost tokens or lose the fraction already earned",
)
# The cap applies to fractions too: a full bucket left alone stays exactly full.
_clock = _HiddenClock(20.0)
_bucket = TokenBucket(2, 1.0, clock=_clock)
_clock.now += 0.75
_expect_same(
    _requests(_bucket, 3), [True, True, False], "a full bucket must not grow past capacity"
)
_clock.now += 0.5
_expect_same(_requests(_bucket, 1), [False], "time spent full must not be saved up for later")
# Many refused requests on the way: 0.3 token/s, asked every 0.1 s from 0.03 token on:
# 0.99 token after 32 steps, 1.02 after 33.
_clock = _HiddenClock(7.0)
_bucket = TokenBucket(2, 0.3, clock=_clock)
_requests(_bucket, 1)
_clock.now += 0.1
_requests(_bucket, 1)
_seen = []
for _ in range(33):
    _clock.now += 0.1
    _seen.append(_bucket.allow_request())
_expect_same(
    _seen,
    [False] * 32 + [True],
    "fractions of a token must accumulate across many refused requests",
)
# Only the given clock is read: it moves 2.5 s while real time barely moves.
_clock = _HiddenClock(123.0)
_bucket = TokenBucket(3, 1.0, clock=_clock)
_requests(_bucket, 3)
_clock.now += 2.5
_expect_same(
    _requests(_bucket, 3),
    [True, True, False],
    "the bucket must read the time only by calling the clock it was given",
)
# A fast refill: 1024 tokens per second for 4.5/1024 s gives 4.5 tokens.
_clock = _HiddenClock(1e6)
_bucket = TokenBucket(10, 1024, clock=_clock)
_requests(_bucket, 10)
_clock.now += 4.5 / 1024
_expect_same(_requests(_bucket, 5), [True] * 4 + [False], "a fast refill rate gave a wrong count")
# Two buckets on one clock keep separate counts.
_clock = _HiddenClock(5.0)
_first, _second = TokenBucket(2, 1.0, clock=_clock), TokenBucket(2, 1.0, clock=_clock)
_requests(_first, 3)
_expect_same(_requests(_second, 3), [True, True, False], "each bucket must keep its own tokens")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · random request patterns against a reference (3 points)
# Hundreds of seeded random patterns of pauses and bursts, compared with a reference bucket
# that counts tokens in exact fractions.

# %% nbgrader="tests" grade_id="token_bucket_tests_random" points=3
"""TokenBucket answers like a reference bucket on hundreds of random request patterns."""
from advpy.checks import expect_same

clock = ManualClock(10.0)
bucket = TokenBucket(2, 4, clock=clock)
pattern = []
for pause, burst in [(0.0, 3), (0.125, 1), (0.125, 1), (0.375, 2), (5.0, 3)]:
    clock.advance(pause)
    pattern.append([bucket.allow_request() for _ in range(burst)])
expect_same(
    pattern,
    [[True, True, False], [False], [True], [True, False], [True, True, False]],
    "bursts after pauses of 0, 0.125, 0.125, 0.375 and 5 s at 4 tokens/s",
    show=True,
)
### BEGIN HIDDEN TESTS
import random as _random
from fractions import Fraction as _Fraction


class _HiddenClock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


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


_margin = _Fraction(1, 10**6)
_rng = _random.Random(36)
_rates = [0.1, 0.25, 0.3, 0.5, 0.75, 1, 1.5, 2, 3.7, 10]
_pauses = [0.0, 0.0, 0.013, 0.1, 0.25, 0.4, 1.0, 2.5, 7.3]
for _case in range(200):
    _clock = _HiddenClock(_rng.choice([0.0, 3.5, 1000.25, 86400.0]))
    _capacity, _rate = _rng.randint(1, 8), _rng.choice(_rates)
    _bucket = TokenBucket(_capacity, _rate, clock=_clock)
    _exact = _ExactBucket(_capacity, _rate, _clock.now)
    _got, _want = [], []
    for _step in range(30):
        _clock.now += _rng.choice(_pauses)
        for _ in range(_rng.randint(0, 4)):
            # Ask only when the exact count is clear of the 1-token boundary.
            if abs(_exact.tokens_at(_clock.now) - 1) < _margin:
                break
            _got.append(_bucket.allow_request())
            _want.append(_exact.allow(_clock.now))
    expect_same(
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
from advpy.checks import YieldingFloat, expect, expect_same, run_in_threads, switch_interval


class FrozenClock:
    """A test clock that stands still at `now`. Each reading first lets other threads run, and
    returns a YieldingFloat: arithmetic on it lets other threads run in the middle again."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        time.sleep(0)
        return YieldingFloat(self.now)


def count_trues(results):
    expect(all(r is True or r is False for r in results), "allow_request must return True or False")
    return sum(1 for r in results if r is True)


# 320 requests to a full bucket of 100 at one instant, first one after another...
alone = TokenBucket(100, YieldingFloat(1.0), clock=FrozenClock(0.0))
one_after_another = count_trues([alone.allow_request() for _ in range(320)])
# ... then the same requests from 8 threads at once, three times over.
with switch_interval(1e-6):
    for _ in range(3):
        shared = TokenBucket(100, YieldingFloat(1.0), clock=FrozenClock(0.0))
        results = run_in_threads(
            shared.allow_request, threads=8, calls=40, name="allow_request", interleave=True
        )
        expect_same(
            count_trues(results),
            one_after_another,
            "8 threads made 320 requests at once to a full bucket of 100 that stands still; "
            "Trues counted, against the same requests made one after another (the refill, "
            "the check and the withdrawal must happen together under one lock)",
            show=True,
        )


### BEGIN HIDDEN TESTS
def _trues_per_burst(bursts, threaded):
    """Trues of each burst on a new bucket of 30 at 2 tokens per second, on a clock that stands
    still between bursts. A burst is (seconds the clock moves first, threads, calls per thread);
    its requests come from that many threads at once, or one after another."""
    _clock = FrozenClock(500.0)
    _bucket = TokenBucket(30, YieldingFloat(2.0), clock=_clock)
    _counts = []
    for _pause, _threads, _calls in bursts:
        _clock.now += _pause
        if threaded:
            _results = run_in_threads(
                _bucket.allow_request,
                threads=_threads,
                calls=_calls,
                name="allow_request",
                interleave=True,
            )
        else:
            _results = [_bucket.allow_request() for _ in range(_threads * _calls)]
        _counts.append(count_trues(_results))
    return _counts


# A burst that empties the full bucket, then one after 4.25 s (8.5 tokens flow in).
_bursts = [(0.0, 12, 6), (4.25, 12, 2)]
_expected = _trues_per_burst(_bursts, threaded=False)
with switch_interval(1e-6):
    for _round in range(3):
        _first, _second = _trues_per_burst(_bursts, threaded=True)
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
