# %% [markdown]
# # ps12 · Microservices: a strangler's routes, a circuit breaker, a balancer (23 points)
#
# Three small pieces every caller and gateway of
# [12 · From a monolith to microservices](../12_microservices.ipynb) relies on, written as plain
# Python so that every rule can be checked exactly:
#
# - **Part A** · `strangler_route(routes, path)`: which service a request goes to, from a
#   routing table of path prefixes matched by whole path segments (6 points);
# - **Part B** · `CircuitBreaker(failure_threshold, reset_timeout)`: the closed, open and
#   half-open states, moved by the outcomes of calls and by a clock you pass in (10 points);
# - **Part C** · `Balancer(instances)`: round-robin over a service's instances that skips the
#   unhealthy ones and keeps its place in the rotation (7 points).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# Nothing here opens a connection or sleeps: time is a number you are given, and health is
# what the caller tells your balancer. The lesson runs the same logic against real servers.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it defines the error Part C raises.
import math


class NoHealthyInstance(LookupError):
    """Raised by Balancer.pick when no instance is healthy (or there is none)."""


# %% [markdown]
# ## Part A · `strangler_route`: which service serves this path?
#
# The strangler pattern moves a monolith's paths to new services one prefix at a time, behind
# a gateway that holds a **routing table**: path prefixes, each with the service that serves
# it. The lesson's nginx matched prefixes character by character, so `/orders` also caught
# `/orders-archive`. Your gateway matches **whole path segments**.
#
# Write `strangler_route(routes, path)`. `routes` is a dict from prefix to service name, for
# example `{"/": "monolith", "/orders": "orders", "/orders/archive": "archive"}`. `path` is a
# request target: a path starting with `/`, possibly followed by a query string. Return the
# service of the best matching prefix, or `None` when no prefix matches.
#
# ```python
# table = {"/": "monolith", "/orders": "orders", "/orders/archive": "archive"}
# strangler_route(table, "/orders/7")                  # 'orders'
# strangler_route(table, "/orders/archive/2019")       # 'archive'
# strangler_route(table, "/orders-archive/7")          # 'monolith'  (not a segment of /orders)
# strangler_route(table, "/users/1?next=/orders")      # 'monolith'  (the query is not the path)
# strangler_route({"/orders": "orders"}, "/users/1")   # None
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **The path** is the part of `path` before the first `?`, if there is one; the rest (the
#   query string) is never matched.
# - **Prefixes.** Each key of `routes` is `"/"` or a path of one or more segments without a
#   final slash (`"/orders"`, `"/orders/archive"`). `"/"` matches every path. Any other prefix
#   `p` matches a path equal to `p`, or a path that starts with `p + "/"` (so `"/orders"`
#   matches `/orders`, `/orders/` and `/orders/7`, but not `/orders-archive` or `/order`).
#   Matching is case-sensitive.
# - **The best match** is the longest matching prefix, whatever the order of the dict.
# - **Result.** The value stored for that prefix, as it is (services may be named by any
#   value); `None` when nothing matches, an empty table included. `routes` is not changed.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `path.split("?", 1)[0]` is the path without its query string. Write a small function
# `matches(prefix, path)` first, then choose among the prefixes that match.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# `max(matching, key=len)` picks the longest prefix; keep `None` for an empty list.
# </details>


# %% nbgrader="solution" grade_id="strangler_route_answer"
def strangler_route(routes, path):
    """Return the service of the longest prefix in `routes` that matches `path` by whole
    segments (the query string ignored), or None when no prefix matches."""
    ### BEGIN SOLUTION
    path = path.split("?", 1)[0]
    best = None
    for prefix in routes:
        if prefix == "/" or path == prefix or path.startswith(prefix + "/"):
            if best is None or len(prefix) > len(best):
                best = prefix
    return None if best is None else routes[best]
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
table = {"/": "monolith", "/orders": "orders", "/orders/archive": "archive"}
strangler_route(table, "/orders-archive/7")

# %% [markdown]
# ### Check A1 · prefixes by whole segments, the longest wins (3 points)

# %% nbgrader="tests" grade_id="strangler_route_tests_match" points=3
"""strangler_route matches prefixes by whole path segments and picks the longest match."""
from advpy.checks import expect_same

table = {"/": "monolith", "/orders": "orders", "/orders/archive": "archive"}
for path, service in [
    ("/orders/7", "orders"),
    ("/orders/archive/2019", "archive"),
    ("/orders-archive/7", "monolith"),
    ("/users/1", "monolith"),
]:
    expect_same(strangler_route(table, path), service, f"the service for {path!r}", show=True)
### BEGIN HIDDEN TESTS
_table = {"/orders/archive": "archive", "/": "monolith", "/orders": "orders", "/o": "o"}
for _path, _service in [
    ("/orders", "orders"),
    ("/orders/", "orders"),
    ("/orders/archive", "archive"),
    ("/orders/archive/", "archive"),
    ("/orders/archived", "orders"),
    ("/orders/archive-old/1", "orders"),
    ("/order", "monolith"),
    ("/ordersX", "monolith"),
    ("/o", "o"),
    ("/o/rders", "o"),
    ("/Orders/1", "monolith"),
    ("/", "monolith"),
    ("/archive/orders", "monolith"),
]:
    expect_same(
        strangler_route(_table, _path),
        _service,
        "a prefix matches the path itself or the path followed by '/', and the longest "
        "matching prefix wins whatever the order of the table",
    )
for _order in (["/a", "/a/b", "/a/b/c"], ["/a/b/c", "/a/b", "/a"], ["/a/b", "/a/b/c", "/a"]):
    _routes = {_prefix: _prefix.upper() for _prefix in _order}
    expect_same(
        strangler_route(_routes, "/a/b/c/d"),
        "/A/B/C",
        "the longest matching prefix must win whatever the order of the table",
    )
    expect_same(strangler_route(_routes, "/a/bc"), "/A", "segments are compared whole")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · query strings, no match, any kind of service (3 points)

# %% nbgrader="tests" grade_id="strangler_route_tests_edges" points=3
"""strangler_route ignores the query string, answers None when nothing matches, returns the
stored service as it is, and leaves the table unchanged."""
from advpy.checks import expect_same

table = {"/": "monolith", "/orders": "orders"}
expect_same(strangler_route(table, "/orders?page=2"), "orders", "'/orders?page=2'", show=True)
expect_same(
    strangler_route(table, "/users/1?next=/orders"), "monolith", "'/users/1?next=/orders'",
    show=True,
)  # fmt: skip
expect_same(strangler_route({"/orders": "orders"}, "/users/1"), None, "no match", show=True)
### BEGIN HIDDEN TESTS
_routes = {"/orders": "orders", "/users": "users"}
for _path, _service in [
    ("/orders?", "orders"),
    ("/orders/?x=1", "orders"),
    ("/orders?/users", "orders"),
    ("/cart?redirect=/orders/1", None),
    ("/orders-old?x=/orders", None),
    ("/users?a=1?b=2", "users"),
]:
    expect_same(
        strangler_route(_routes, _path),
        _service,
        "only the part before the first '?' is the path; without a match the answer is None",
    )
expect_same(strangler_route({}, "/orders"), None, "an empty table matches nothing")
expect_same(strangler_route({}, "/"), None, "an empty table matches nothing, not even '/'")
_odd = {"/": 0, "/zero": 0.0, "/none": None, "/list": [1, 2], "/false": False}
expect_same(strangler_route(_odd, "/x"), 0, "the stored value must be returned as it is")
expect_same(strangler_route(_odd, "/zero/1"), 0.0, "the stored value must be returned as it is")
expect_same(strangler_route(_odd, "/false"), False, "the stored value must be returned as it is")
expect_same(strangler_route(_odd, "/list"), [1, 2], "the stored value must be returned as it is")
_snapshot = {"/": "m", "/orders": "o", "/orders/archive": "a"}
_given = dict(_snapshot)
strangler_route(_given, "/orders/archive/1?x=2")
expect_same(_given, _snapshot, "strangler_route must not change the routing table")
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `CircuitBreaker`: an exact state machine
#
# A circuit breaker sits in front of calls to one service. While the service answers, it is
# **closed** and lets every call through. After enough failures in a row it **opens**: calls
# are refused at once, without touching the network, so that the caller fails fast and the
# service gets room to recover. After a while it lets **one** trial call through
# (**half-open**): if that call succeeds it closes again, if it fails it opens again.
#
# The caller asks before each call and reports how it went:
#
# ```python
# breaker = CircuitBreaker(failure_threshold=3, reset_timeout=10.0)
# if breaker.allow(now):
#     try:
#         result = call_the_service()
#     except ServiceError:
#         breaker.record_failure(now)
#     else:
#         breaker.record_success(now)
# else:
#     ...                               # fail fast: a cached answer, or an error at once
# ```
#
# `now` is the time in seconds as a number (an int or a float), from whatever clock the caller
# uses; the tests pass it in, and it never goes backwards. Your class must read time only from
# these arguments (the tests move time by hours without waiting).
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Settings.** `failure_threshold` must be an `int` of at least 1 (`True` is not an int
#   here); `reset_timeout` an `int` or `float` greater than 0 (not `bool`, not NaN; infinity is
#   allowed and means "never retry"). Anything else raises `ValueError` from the constructor.
# - **`state`** is an attribute (or property) holding the `str` `"closed"`, `"open"` or
#   `"half_open"`. A new breaker is `"closed"`. Reading it changes nothing.
# - **Closed.** `allow(now)` returns `True`. `record_failure(now)` counts one failure; when
#   `failure_threshold` failures have been counted **in a row**, the breaker opens, and the
#   time it opened is that `now`. `record_success(now)` sets the count back to 0.
# - **Open.** `allow(now)` returns `False` while `now - opened < reset_timeout`. From
#   `now - opened >= reset_timeout` on, the first `allow(now)` moves the breaker to
#   `"half_open"` and returns `True`: that call is the trial. `record_success` and
#   `record_failure` while open (late outcomes of calls allowed before it opened) change
#   nothing, the time it opened included.
# - **Half-open.** `allow(now)` returns `False`: only the one trial call goes through.
#   `record_success(now)` closes the breaker with a count of 0; `record_failure(now)` opens it
#   again, opened at that `now`.
# - `allow` returns exactly `True` or `False` (a `bool`); `record_success` and
#   `record_failure` return `None`.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Three attributes are enough: `state`, `failures` (the count in a row) and `opened` (when it
# last opened). Write each method as an `if` on `state`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `type(x) is int` refuses `True`; `math.isnan(x)` finds NaN (`math` is imported).
# </details>


# %% nbgrader="solution" grade_id="circuit_breaker_answer"
class CircuitBreaker:
    """Closed -> open after failure_threshold failures in a row; open -> half_open on the first
    allow() once reset_timeout has passed; half_open -> closed on a success, open on a failure."""

    def __init__(self, failure_threshold, reset_timeout):
        ### BEGIN SOLUTION
        if type(failure_threshold) is not int or failure_threshold < 1:
            raise ValueError("failure_threshold must be an int of at least 1")
        if type(reset_timeout) not in (int, float) or not reset_timeout > 0:
            raise ValueError("reset_timeout must be a number greater than 0")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.state = "closed"
        self.failures = 0
        self.opened = None
        ### END SOLUTION

    def allow(self, now):
        """True when a call may go out now."""
        ### BEGIN SOLUTION
        if self.state == "closed":
            return True
        if self.state == "open" and now - self.opened >= self.reset_timeout:
            self.state = "half_open"
            return True
        return False
        ### END SOLUTION

    def record_success(self, now):
        """A call that was allowed succeeded."""
        ### BEGIN SOLUTION
        if self.state in ("closed", "half_open"):
            self.state = "closed"
            self.failures = 0
        ### END SOLUTION

    def record_failure(self, now):
        """A call that was allowed failed."""
        ### BEGIN SOLUTION
        if self.state == "closed":
            self.failures += 1
            if self.failures >= self.failure_threshold:
                self.state = "open"
                self.opened = now
        elif self.state == "half_open":
            self.state = "open"
            self.opened = now
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
breaker = CircuitBreaker(failure_threshold=2, reset_timeout=10)
breaker.record_failure(0)
breaker.record_failure(1)
print(breaker.state, breaker.allow(5), breaker.allow(11), breaker.state)

# %% [markdown]
# ### Check B1 · closed, then open after failures in a row (3 points)

# %% nbgrader="tests" grade_id="circuit_breaker_tests_trip" points=3
"""CircuitBreaker starts closed, lets calls through, and opens after failure_threshold
failures in a row (a success resets the count); open, it refuses calls."""
from advpy.checks import expect_same

breaker = CircuitBreaker(failure_threshold=3, reset_timeout=10)
expect_same(breaker.state, "closed", "a new breaker's state", show=True)
expect_same(breaker.allow(0), True, "allow(0) on a new breaker", show=True)
breaker.record_failure(1)
breaker.record_failure(2)
expect_same(breaker.state, "closed", "the state after 2 failures of 3", show=True)
breaker.record_failure(3)
expect_same(breaker.state, "open", "the state after 3 failures in a row", show=True)
expect_same(breaker.allow(4), False, "allow(4), one second after it opened", show=True)
### BEGIN HIDDEN TESTS
def _run(breaker, steps):
    """Apply steps like ("fail", t), ("ok", t), ("allow", t); return what allow returned and
    the state after each step."""
    seen = []
    for _what, _now in steps:
        if _what == "allow":
            seen.append((_what, breaker.allow(_now), breaker.state))
        else:
            _result = (breaker.record_failure if _what == "fail" else breaker.record_success)(_now)
            seen.append((_what, _result, breaker.state))
    return seen


_steps = [("fail", 1), ("fail", 2), ("ok", 3), ("fail", 4), ("fail", 5), ("allow", 6)]
expect_same(
    [_state for *_, _state in _run(CircuitBreaker(3, 10), _steps)],
    ["closed"] * 6,
    "a success must reset the count: only failures in a row open the breaker",
)
for _threshold in (1, 2, 5):
    _b = CircuitBreaker(_threshold, 30.0)
    _states = [_state for *_, _state in _run(_b, [("fail", _t) for _t in range(_threshold)])]
    expect_same(
        _states,
        ["closed"] * (_threshold - 1) + ["open"],
        "the breaker must open at exactly failure_threshold failures in a row",
    )
    expect_same(_b.allow(_threshold + 1.5), False, "an open breaker must refuse calls")
expect_same(
    _run(CircuitBreaker(2, 10), [("allow", 0), ("ok", 0), ("fail", 0), ("allow", 0)]),
    [("allow", True, "closed"), ("ok", None, "closed"), ("fail", None, "closed"),
     ("allow", True, "closed")],
    "closed: allow returns True, the record methods return None",
)  # fmt: skip
_b = CircuitBreaker(2, 10)
expect_same([_b.allow(_t) for _t in range(5)], [True] * 5, "closed: every call is allowed")
expect_same(_b.state, "closed", "allow must not change a closed breaker")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · half-open after the timeout, one trial, then closed or open again (4 points)

# %% nbgrader="tests" grade_id="circuit_breaker_tests_recover" points=4
"""Once reset_timeout has passed, the first allow() moves an open breaker to half_open and lets
one trial through; a success closes it, a failure opens it again from that time."""
from advpy.checks import expect_same

breaker = CircuitBreaker(failure_threshold=1, reset_timeout=10)
breaker.record_failure(100)
expect_same(breaker.allow(109.5), False, "allow 9.5 s after it opened (timeout 10 s)", show=True)
expect_same(breaker.allow(110), True, "allow exactly 10 s after it opened", show=True)
expect_same(breaker.state, "half_open", "the state after that allow", show=True)
expect_same(breaker.allow(110), False, "a second allow while half-open", show=True)
breaker.record_success(111)
expect_same(breaker.state, "closed", "the state after the trial call succeeded", show=True)
### BEGIN HIDDEN TESTS
def _run(breaker, steps):
    seen = []
    for _what, _now in steps:
        if _what == "allow":
            seen.append((_what, breaker.allow(_now), breaker.state))
        else:
            _result = (breaker.record_failure if _what == "fail" else breaker.record_success)(_now)
            seen.append((_what, _result, breaker.state))
    return seen


_b = CircuitBreaker(2, 5.5)
_seen = _run(
    _b,
    [("fail", 0), ("fail", 1), ("allow", 6.4), ("allow", 6.5), ("allow", 6.5), ("allow", 50),
     ("fail", 7), ("allow", 12.4), ("allow", 12.5), ("ok", 13), ("fail", 14), ("allow", 14),
     ("fail", 15), ("allow", 16)],
)  # fmt: skip
expect_same(
    _seen[:6],
    [("fail", None, "closed"), ("fail", None, "open"), ("allow", False, "open"),
     ("allow", True, "half_open"), ("allow", False, "half_open"), ("allow", False, "half_open")],
    "open until now - opened >= reset_timeout, then one trial call and no other until its "
    "outcome is recorded",
)  # fmt: skip
expect_same(
    _seen[6:9],
    [("fail", None, "open"), ("allow", False, "open"), ("allow", True, "half_open")],
    "a failed trial must open the breaker again, timed from the failure",
)
expect_same(
    _seen[9:],
    [("ok", None, "closed"), ("fail", None, "closed"), ("allow", True, "closed"),
     ("fail", None, "open"), ("allow", False, "open")],
    "a successful trial must close the breaker with a count of 0: it opens again only after "
    "failure_threshold new failures",
)  # fmt: skip
_b = CircuitBreaker(1, 1)
_b.record_failure(0)
expect_same(_b.allow(1), True, "with an int timeout, exactly reset_timeout later is enough")
_b = CircuitBreaker(1, 0.125)
_b.record_failure(0.25)
expect_same(_b.allow(0.375), True, "with a float timeout, exactly reset_timeout later is enough")
_b = CircuitBreaker(1, 3600)
_b.record_failure(0)
expect_same(
    [_b.allow(_t) for _t in (1, 3599, 3599.999)], [False] * 3, "open for the whole timeout"
)
expect_same(_b.state, "open", "a refused allow must not change an open breaker")
expect_same(_b.allow(10**9), True, "hours later the first allow is the trial")
_b = CircuitBreaker(3, 10)
for _t in range(3):
    _b.record_failure(_t)
expect_same(_b.allow(11), False, "the open time is when the last failure opened it")
expect_same(_b.allow(12), True, "the open time is when the last failure opened it")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · settings, late outcomes, exact values (3 points)

# %% nbgrader="tests" grade_id="circuit_breaker_tests_edges" points=3
"""CircuitBreaker refuses bad settings with ValueError, ignores outcomes recorded while open,
and answers exact bools and strings."""
from advpy.checks import expect_raises, expect_same, expect_type

expect_raises(
    lambda: CircuitBreaker(0, 10), ValueError, "CircuitBreaker(0, 10) must raise ValueError"
)
expect_raises(
    lambda: CircuitBreaker(3, 0), ValueError, "CircuitBreaker(3, 0) must raise ValueError"
)
breaker = CircuitBreaker(1, 10)
breaker.record_failure(0)
breaker.record_failure(5)  # a late failure while open
expect_same(breaker.allow(10), True, "a late failure while open does not restart the timeout",
            show=True)  # fmt: skip
### BEGIN HIDDEN TESTS
for _threshold, _timeout in [
    (-1, 10), (True, 10), (2.0, 10), ("3", 10), (None, 10),
    (3, -1), (3, -0.5), (3, 0.0), (3, math.nan), (3, True), (3, "10"), (3, None),
]:  # fmt: skip
    expect_raises(
        lambda _threshold=_threshold, _timeout=_timeout: CircuitBreaker(_threshold, _timeout),
        ValueError,
        "an invalid failure_threshold or reset_timeout must raise ValueError",
    )
for _threshold, _timeout in [(1, 0.001), (10**6, 1), (2, math.inf), (1, 10**9)]:
    _b = CircuitBreaker(_threshold, _timeout)
    expect_type(_b.state, str, "state must be a str")
    expect_same(_b.state, "closed", "valid settings must give a closed breaker")
_b = CircuitBreaker(1, math.inf)
_b.record_failure(0)
expect_same(_b.allow(10**12), False, "an infinite timeout never lets a trial through")
_b = CircuitBreaker(2, 10)
_b.record_failure(0)
_b.record_failure(0)
_b.record_success(3)
expect_same(_b.state, "open", "a late success while open must change nothing")
expect_same(_b.allow(9), False, "a late success while open must change nothing")
_b.record_failure(9)
expect_same(_b.allow(10), True, "a late failure while open must not move the open time")
_b = CircuitBreaker(1, 10)
for _value in (_b.allow(0), _b.allow(0.5)):
    expect_type(_value, bool, "allow must return a bool")
_b.record_failure(1)
expect_type(_b.allow(2), bool, "allow must return a bool when open")
expect_type(_b.allow(11), bool, "allow must return a bool for the trial")
expect_same(_b.state, "half_open", "the half-open state is spelt 'half_open'")
expect_type(_b.allow(12), bool, "allow must return a bool when half-open")
expect_same(_b.record_failure(13), None, "record_failure must return None")
expect_same(_b.record_success(13), None, "record_success must return None")
expect_same(_b.state, "open", "a success recorded while open must change nothing")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `Balancer`: round-robin over the healthy instances
#
# A client that calls a service with several instances spreads its calls over them itself
# (client-side load balancing), and must stop sending calls to an instance the health checks
# or its own failures say is down, and take it back when it is up again.
#
# Write a class `Balancer(instances)`. `instances` is a list of instance names (strings), in
# rotation order. Every instance starts healthy.
#
# - `pick()` returns the name of the instance that gets the next call. The rotation keeps its
#   place: the first pick considers `instances[0]`; each later pick considers the instances
#   **after the one picked last**, in order, wrapping around at the end, and returns the first
#   healthy one. If no instance is healthy (or there is none), it raises
#   `NoHealthyInstance` (setup cell).
# - `mark(instance, healthy)` records whether `instance` is healthy (`True` or `False`); it
#   returns `None`. An instance that comes back keeps its place in the order. Marking an
#   instance that is not in the list raises `KeyError`, and changes nothing.
# - The constructor raises `ValueError` if a name appears twice in `instances`. Nothing
#   changes the list it is given.
#
# ```python
# balancer = Balancer(["a", "b", "c"])
# [balancer.pick() for _ in range(4)]      # ['a', 'b', 'c', 'a']
# balancer.mark("b", False)
# [balancer.pick() for _ in range(3)]      # ['c', 'a', 'c']      after 'a' comes 'b': skipped
# balancer.mark("b", True)
# [balancer.pick() for _ in range(3)]      # ['a', 'b', 'c']
# ```

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Keep the list, a set of the instances that are down, and the index of the last pick.
# Skipping an instance is not the same as rotating over a list of the healthy ones: with
# `a, b, c` and `b` down, a counter modulo 2 over `[a, c]` restarts the order.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# `for step in range(1, len(names) + 1): i = (last + step) % len(names)`, starting from
# `last = -1`.
# </details>


# %% nbgrader="solution" grade_id="balancer_answer"
class Balancer:
    """Round-robin over instances in order, skipping the ones marked unhealthy."""

    def __init__(self, instances):
        ### BEGIN SOLUTION
        self.names = list(instances)
        if len(set(self.names)) != len(self.names):
            raise ValueError("an instance appears twice")
        self.down = set()
        self.last = -1
        ### END SOLUTION

    def mark(self, instance, healthy):
        """Record whether `instance` is healthy; KeyError for an unknown instance."""
        ### BEGIN SOLUTION
        if instance not in self.names:
            raise KeyError(instance)
        if healthy:
            self.down.discard(instance)
        else:
            self.down.add(instance)
        ### END SOLUTION

    def pick(self):
        """The next healthy instance after the last one picked; NoHealthyInstance if none."""
        ### BEGIN SOLUTION
        for step in range(1, len(self.names) + 1):
            index = (self.last + step) % len(self.names)
            if self.names[index] not in self.down:
                self.last = index
                return self.names[index]
        raise NoHealthyInstance("no healthy instance")
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
balancer = Balancer(["a", "b", "c"])
print([balancer.pick() for _ in range(4)])
balancer.mark("b", False)
print([balancer.pick() for _ in range(3)])

# %% [markdown]
# ### Check C1 · the rotation, and the list it is given (3 points)

# %% nbgrader="tests" grade_id="balancer_tests_rotation" points=3
"""Balancer picks the instances in the order given, round and round, refuses a name given
twice, and leaves the list it is given unchanged."""
from advpy.checks import expect_raises, expect_same

balancer = Balancer(["a", "b", "c"])
expect_same([balancer.pick() for _ in range(4)], ["a", "b", "c", "a"], "4 picks", show=True)
expect_raises(
    lambda: Balancer(["a", "b", "a"]), ValueError, "a name given twice must raise ValueError"
)
### BEGIN HIDDEN TESTS
_names = [f"10.0.0.{_i}:8000" for _i in range(7)]
_b = Balancer(_names)
expect_same(
    [_b.pick() for _ in range(20)],
    [_names[_i % 7] for _i in range(20)],
    "the picks must go through the instances in the order given, round and round",
)
_one = Balancer(["only"])
expect_same([_one.pick() for _ in range(3)], ["only"] * 3, "one instance is picked every time")
_b = Balancer(["web-3", "web-1", "web-2"])
expect_same(
    [_b.pick() for _ in range(4)],
    ["web-3", "web-1", "web-2", "web-3"],
    "the rotation must follow the order of the list given, not a sorted one",
)
_given = ["p", "q"]
_b = Balancer(_given)
_b.mark("p", False)
_b.pick()
expect_same(_given, ["p", "q"], "the balancer must not change the list it was given")
for _names in (["a", "a"], ["a", "b", "c", "d", "b"], ["", ""]):
    expect_raises(
        lambda _names=_names: Balancer(_names),
        ValueError,
        "a name that appears twice must raise ValueError",
    )
_b = Balancer(["", "0"])
expect_same([_b.pick() for _ in range(3)], ["", "0", ""], "any string is a name, '' included")
expect_raises(
    lambda: Balancer([]).pick(), NoHealthyInstance, "with no instance, pick must raise"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · skipping the unhealthy, and taking them back (4 points)

# %% nbgrader="tests" grade_id="balancer_tests_health" points=4
"""Balancer skips instances marked unhealthy without losing its place in the rotation, takes
them back at their place, raises NoHealthyInstance when none is healthy, and KeyError for an
unknown instance."""
from advpy.checks import expect_raises, expect_same

balancer = Balancer(["a", "b", "c"])
expect_same([balancer.pick() for _ in range(4)], ["a", "b", "c", "a"], "4 picks", show=True)
balancer.mark("b", False)
expect_same([balancer.pick() for _ in range(3)], ["c", "a", "c"], "3 picks, b down", show=True)
balancer.mark("b", True)
expect_same([balancer.pick() for _ in range(3)], ["a", "b", "c"], "3 picks, b back", show=True)
### BEGIN HIDDEN TESTS
_b = Balancer(["a", "b", "c", "d", "e"])
expect_same([_b.pick() for _ in range(2)], ["a", "b"], "the rotation starts with the first")
_b.mark("c", False)
_b.mark("d", False)
expect_same(_b.pick(), "e", "after b come c and d, both down, then e")
_b.mark("c", True)
expect_same(
    [_b.pick() for _ in range(4)], ["a", "b", "c", "e"], "an instance back up keeps its place"
)
_b.mark("e", False)
expect_same(_b.pick(), "a", "the rotation wraps around past an unhealthy last instance")
_b = Balancer(["a", "b", "c"])
_b.mark("a", False)
expect_same([_b.pick() for _ in range(3)], ["b", "c", "b"], "the first instance can be down too")
_b = Balancer(["a", "b", "c"])
_b.pick()
_b.mark("a", False)
_b.mark("a", False)
_b.mark("b", True)
expect_same([_b.pick() for _ in range(3)], ["b", "c", "b"], "marking twice is the same as once")
_b.mark("a", True)
expect_same(_b.pick(), "c", "after b comes c")
expect_same(_b.pick(), "a", "a is back")
for _name in ("a", "b", "c"):
    _b.mark(_name, False)
expect_raises(_b.pick, NoHealthyInstance, "with every instance down, pick must raise")
expect_raises(_b.pick, NoHealthyInstance, "with every instance down, pick must keep raising")
_b.mark("b", True)
expect_same([_b.pick() for _ in range(2)], ["b", "b"], "the one healthy instance gets every call")
expect_same(_b.mark("c", True), None, "mark must return None")
expect_raises(lambda: _b.mark("z", False), KeyError, "an unknown instance must raise KeyError")
expect_raises(lambda: _b.mark("z", True), KeyError, "an unknown instance must raise KeyError")
expect_same([_b.pick() for _ in range(3)], ["c", "b", "c"], "a failed mark must change nothing")
_b = Balancer(["a", "b", "c", "d"])
_b.pick()
_b.mark("b", False)
_b.pick()
_b.mark("b", True)
expect_same(
    _b.pick(),
    "d",
    "after a pick that skipped an instance, the next pick starts after the instance picked",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Done
#
# Restart the kernel, run every cell, and press **Validate**. In the lesson the same pieces run
# against real servers: the routing table is nginx's in front of the monolith and the orders
# service, the breaker stands between a caller and a slow pricing service, and the balancer's
# health comes from the registry's checks.
