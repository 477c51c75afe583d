# %% [markdown]
# # ps21 · Scalability and availability: capacity from a model, nines, a load balancer (21 points)
#
# Three questions a system designer answers with arithmetic before anything is built, each
# from [21 · Scalability, availability, fault tolerance](../21_scalability_availability.ipynb):
#
# - **Part A** · `mmc(arrival_rate, service_rate, servers)` and `servers_needed(...)`: the
#   waits of an M/M/c queue (Erlang C), Little's law, and how many servers keep the mean wait
#   under a target (9 points);
# - **Part B** · `availability(system)`, `downtime_minutes(...)` and `nines(...)`: the
#   availability of components in series and in parallel, and what it means in downtime
#   (5 points);
# - **Part C** · `choose_server(queue_lengths, seed)`: a load-balancing policy, run by a
#   discrete-event simulation of eight servers at 90% load, that must keep the 99th
#   percentile of the response time under a bound that random choice misses (7 points).
#
# Everything here is pure arithmetic on plain values: no server, no clock.
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports the modules your answers may use.
import math
import random

# %% [markdown]
# ## Part A · `mmc` and `servers_needed`: waiting in an M/M/c queue
#
# Requests arrive at random (a Poisson process) at `arrival_rate` per second; each of
# `servers` identical servers handles one request at a time, in a time that is random
# (exponential) with mean `1 / service_rate`; a request that finds every server busy waits in
# one shared first-come-first-served queue. That is the M/M/c queue of the lesson, and its
# averages have exact formulas:
#
# - the offered load `a = arrival_rate / service_rate` (in erlangs) and the utilisation
#   `rho = a / servers`;
# - when `rho < 1`, the probability that a request has to wait is **Erlang C**,
#   `C = (a^c / c!) / ((1 - rho) * sum(a^k / k! for k < c) + a^c / c!)`, and the mean wait in
#   the queue is `W_q = C / (servers * service_rate - arrival_rate)`;
# - the mean response time adds the service, `W = W_q + 1 / service_rate`; by **Little's law**
#   the mean number waiting is `L_q = arrival_rate * W_q` and in the system
#   `L = arrival_rate * W`.
#
# Write `mmc(arrival_rate, service_rate, servers)`, returning a dict with exactly the keys
# `"utilisation"` (`rho`), `"p_wait"` (`C`), `"wait"` (`W_q`), `"response"` (`W`),
# `"queue_length"` (`L_q`) and `"in_system"` (`L`), every value a `float`:
#
# ```python
# mmc(8.0, 10.0, 1)   # {'utilisation': 0.8, 'p_wait': 0.8, 'wait': 0.4, 'response': 0.5,
#                     #  'queue_length': 3.2, 'in_system': 4.0}   (up to rounding)
# mmc(1.0, 1.0, 1)    # utilisation 1.0, p_wait 1.0, and inf for the four others
# ```
#
# The exact contract, which the hidden tests check (values to a relative tolerance of 1e-6):
#
# - **Inputs.** `servers` is an `int` of at least 1 (a `bool` is not a number of servers);
#   `service_rate` is a finite number above 0; `arrival_rate` is a finite number of at least
#   0 (an `int` or a `float`, not a `bool`, for both). Anything else raises `ValueError`, NaN
#   included.
# - **Overload.** When `rho >= 1` the queue grows without end: `"utilisation"` is `rho` as
#   computed (it can be above 1), `"p_wait"` is `1.0`, and the four others are `math.inf`.
#   Nothing is raised.
# - **No traffic.** `arrival_rate == 0` is a valid, quiet system: utilisation, `p_wait`,
#   waits and lengths `0.0`, and `"response"` the service time `1 / service_rate`.
# - **Large clusters.** It must work for hundreds of servers (`servers=400` with
#   `rho = 0.95`): `a^c` and `c!` overflow a float long before that, so do not compute them
#   separately (see the hints).
#
# Then write `servers_needed(arrival_rate, service_rate, max_wait)`: the **smallest** number
# of servers for which the mean wait in the queue `W_q` is at most `max_wait` (seconds; a wait
# equal to `max_wait` is short enough).
# The rates follow `mmc`'s rules; `max_wait` is a number of at least 0 (`math.inf` allowed:
# then any stable system will do); otherwise `ValueError`. With `arrival_rate == 0`, the
# answer is 1. With `arrival_rate > 0` and `max_wait == 0` no number of servers is enough
# (some request always waits): raise `ValueError`. The result is an `int`.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Erlang B, the probability that all `c` servers are busy in a system *without* a queue, has a
# recurrence that never builds a large number: `B(0) = 1`,
# `B(k) = a * B(k - 1) / (k + a * B(k - 1))`. Erlang C follows from it:
# `C = B / (1 - rho * (1 - B))`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Validate first: `type(x) in (int, float)` refuses `True`; `math.isfinite` refuses NaN and
# infinities. For `servers_needed`, start from the smallest stable number of servers,
# `math.floor(a) + 1`, and add one until the wait is short enough.
# </details>


# %% nbgrader="solution" grade_id="mmc_answer"
def mmc(arrival_rate, service_rate, servers):
    """The averages of an M/M/c queue, as a dict of floats: utilisation, p_wait (Erlang C),
    wait (mean time in the queue), response, queue_length and in_system (Little's law)."""
    ### BEGIN SOLUTION
    for value in (arrival_rate, service_rate):
        if type(value) not in (int, float) or not math.isfinite(value):
            raise ValueError("rates are finite numbers")
    if service_rate <= 0 or arrival_rate < 0:
        raise ValueError("service_rate must be above 0 and arrival_rate at least 0")
    if type(servers) is not int or servers < 1:
        raise ValueError("servers must be an int of at least 1")
    offered = arrival_rate / service_rate
    rho = offered / servers
    if rho >= 1:
        return {
            "utilisation": float(rho),
            "p_wait": 1.0,
            "wait": math.inf,
            "response": math.inf,
            "queue_length": math.inf,
            "in_system": math.inf,
        }
    blocked = 1.0
    for k in range(1, servers + 1):
        blocked = offered * blocked / (k + offered * blocked)
    p_wait = blocked / (1 - rho * (1 - blocked))
    wait = p_wait / (servers * service_rate - arrival_rate)
    response = wait + 1 / service_rate
    return {
        "utilisation": float(rho),
        "p_wait": float(p_wait),
        "wait": float(wait),
        "response": float(response),
        "queue_length": float(arrival_rate * wait),
        "in_system": float(arrival_rate * response),
    }
    ### END SOLUTION


def servers_needed(arrival_rate, service_rate, max_wait):
    """The smallest number of servers whose mean wait in the queue is at most max_wait."""
    ### BEGIN SOLUTION
    mmc(arrival_rate, service_rate, 1)  # refuses rates that are not rates
    if type(max_wait) not in (int, float) or math.isnan(max_wait) or max_wait < 0:
        raise ValueError("max_wait is a number of at least 0")
    if arrival_rate == 0:
        return 1
    if max_wait == 0:
        raise ValueError("with traffic, some request always waits: no count of servers is enough")
    servers = math.floor(arrival_rate / service_rate) + 1
    while mmc(arrival_rate, service_rate, servers)["wait"] > max_wait:
        servers += 1
    return servers
    ### END SOLUTION


# %%
# Scratch cell: try your functions here. It is not graded.
mmc(8.0, 10.0, 1)

# %% [markdown]
# ### Check A1 · one server: M/M/1 and Little's law (2 points)

# %% nbgrader="tests" grade_id="mmc_tests_single" points=2
"""mmc with one server matches the M/M/1 formulas (C = rho, W = 1 / (mu - lambda)) and Little's
law, with the six keys and float values."""
from advpy.checks import describe, expect, expect_same, same

result = mmc(8.0, 10.0, 1)
expect_same(
    sorted(result),
    ["in_system", "p_wait", "queue_length", "response", "utilisation", "wait"],
    "the keys of mmc's dict",
    show=True,
)
expected = {
    "utilisation": 0.8,
    "p_wait": 0.8,
    "wait": 0.4,
    "response": 0.5,
    "queue_length": 3.2,
    "in_system": 4.0,
}
expect(
    same(result, expected, rel_tol=1e-6),
    f"mmc(8.0, 10.0, 1) (every value a float)\n  returned: {describe(result)}\n"
    f"  expected: {describe(expected)}",
)
### BEGIN HIDDEN TESTS
for _lam, _mu in [(1, 2), (0.5, 3.0), (99.0, 100.0), (3, 7), (0.001, 0.002000001)]:
    _rho = _lam / _mu
    _w = 1 / (_mu - _lam)
    expect(
        same(
            mmc(_lam, _mu, 1),
            {
                "utilisation": _rho,
                "p_wait": _rho,
                "wait": _w - 1 / _mu,
                "response": _w,
                "queue_length": _lam * (_w - 1 / _mu),
                "in_system": _lam * _w,
            },
            rel_tol=1e-6,
        ),
        "with one server, mmc must give the M/M/1 values (p_wait = rho, response = "
        "1 / (service_rate - arrival_rate), lengths by Little's law), every value a float "
        "(int rates included)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · several servers: Erlang C (3 points)

# %% nbgrader="tests" grade_id="mmc_tests_erlang" points=3
"""mmc with several servers gives Erlang C's probability of waiting and the waits it implies,
for small and for very large clusters."""
from advpy.checks import describe, expect, same

result = mmc(2.0, 1.0, 3)
expected = {
    "utilisation": 2 / 3,
    "p_wait": 4 / 9,
    "wait": 4 / 9,
    "response": 13 / 9,
    "queue_length": 8 / 9,
    "in_system": 26 / 9,
}
expect(
    same(result, expected, rel_tol=1e-6),
    f"mmc(2.0, 1.0, 3)\n  returned: {describe(result)}\n  expected: {describe(expected)}",
)
### BEGIN HIDDEN TESTS


def _erlang_c(lam, mu, c):
    # Erlang C from its textbook sum, in exact fractions (slow, but only for small c).
    from fractions import Fraction

    a = Fraction(lam) / Fraction(mu)
    top = a**c / math.factorial(c)
    bottom = (1 - a / c) * sum(a**k / math.factorial(k) for k in range(c)) + top
    p = top / bottom
    wait = p / (c * Fraction(mu) - Fraction(lam))
    return {
        "utilisation": float(a / c),
        "p_wait": float(p),
        "wait": float(wait),
        "response": float(wait + 1 / Fraction(mu)),
        "queue_length": float(Fraction(lam) * wait),
        "in_system": float(Fraction(lam) * (wait + 1 / Fraction(mu))),
    }


for _lam, _mu, _c in [(1.0, 1.0, 2), (7.0, 1.0, 8), (15.0, 2.0, 8), (45.0, 1.0, 50), (3, 2, 4)]:
    expect(
        same(mmc(_lam, _mu, _c), _erlang_c(_lam, _mu, _c), rel_tol=1e-6),
        "with several servers, mmc must give Erlang C's p_wait and the waits and lengths that "
        "follow from it",
    )
_big = mmc(380.0, 1.0, 400)
expect(
    same(_big, _erlang_c(380, 1, 400), rel_tol=1e-6),
    "mmc must work for 400 servers at 95% utilisation (compute Erlang C without a^c and c!)",
)
_sizes = [mmc(90.0, 1.0, c)["wait"] for c in (91, 95, 100, 120)]
expect(
    _sizes == sorted(_sizes, reverse=True),
    "the mean wait must fall as servers are added at the same traffic",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · overload, no traffic and bad inputs (2 points)

# %% nbgrader="tests" grade_id="mmc_tests_edges" points=2
"""mmc answers inf at rho >= 1, a quiet system at arrival_rate 0, and ValueError for inputs
that are not rates or a number of servers."""
from advpy.checks import describe, expect, expect_raises, same

result = mmc(1.0, 1.0, 1)
expected = {
    "utilisation": 1.0,
    "p_wait": 1.0,
    "wait": math.inf,
    "response": math.inf,
    "queue_length": math.inf,
    "in_system": math.inf,
}
expect(
    same(result, expected),
    f"mmc(1.0, 1.0, 1) (rho = 1)\n  returned: {describe(result)}\n  expected: {describe(expected)}",
)
expect_raises(
    lambda: mmc(1.0, 1.0, 0),
    ValueError,
    "mmc with servers=0 must raise ValueError",
)
### BEGIN HIDDEN TESTS
for _lam, _mu, _c, _rho in [(5.0, 1.0, 2, 2.5), (8, 2, 4, 1.0), (30.0, 10.0, 3, 1.0)]:
    expect(
        same(
            mmc(_lam, _mu, _c),
            {
                "utilisation": float(_rho),
                "p_wait": 1.0,
                "wait": math.inf,
                "response": math.inf,
                "queue_length": math.inf,
                "in_system": math.inf,
            },
            rel_tol=1e-9,
        ),
        "at rho >= 1, mmc must give rho as computed, p_wait 1.0 and inf for the others",
    )
for _lam, _mu, _c in [(0, 4, 1), (0.0, 0.5, 3), (0, 1, 10)]:
    expect(
        same(
            mmc(_lam, _mu, _c),
            {
                "utilisation": 0.0,
                "p_wait": 0.0,
                "wait": 0.0,
                "response": 1 / _mu,
                "queue_length": 0.0,
                "in_system": 0.0,
            },
            rel_tol=1e-9,
        ),
        "with arrival_rate 0, mmc must give zeros (floats) and the service time as response",
    )
for _args in [
    (1.0, 2.0, True),
    (1.0, 2.0, 2.0),
    (1.0, 2.0, -1),
    (1.0, 2.0, None),
    (1.0, 0.0, 1),
    (1.0, -2.0, 1),
    (-1.0, 2.0, 1),
    (math.nan, 2.0, 1),
    (1.0, math.nan, 1),
    (math.inf, 2.0, 1),
    (1.0, math.inf, 1),
    (True, 2.0, 1),
    (1.0, True, 1),
    ("1", 2.0, 1),
]:
    expect_raises(
        lambda _args=_args: mmc(*_args),
        ValueError,
        "mmc must raise ValueError for servers that are not an int >= 1 and rates that are not "
        "finite numbers (service_rate > 0, arrival_rate >= 0; bools and NaN refused)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A4 · `servers_needed` (2 points)

# %% nbgrader="tests" grade_id="mmc_tests_servers_needed" points=2
"""servers_needed finds the smallest number of servers whose mean wait is at most max_wait, and
refuses what cannot be met."""
from advpy.checks import TimeLimitExceeded, expect_raises, expect_same, time_limit


def within_seconds(call, *args, seconds=5):
    """call(*args), stopped with a failed check if it runs longer than `seconds`."""
    try:
        with time_limit(seconds):
            return call(*args)
    except TimeLimitExceeded:
        raise AssertionError(
            f"servers_needed did not finish within {seconds} s: does its loop stop when the wait "
            "is short enough, and does mmc's wait fall as servers are added?"
        ) from None


expect_same(
    within_seconds(servers_needed, 2.0, 1.0, 0.5),
    3,
    "servers_needed(2.0, 1.0, 0.5) (3 servers wait 4/9 s on average)",
    show=True,
)
expect_raises(
    lambda: within_seconds(servers_needed, 2.0, 1.0, 0),
    ValueError,
    "servers_needed(2.0, 1.0, 0) asks for no wait at all and must raise ValueError",
)
### BEGIN HIDDEN TESTS
for _lam, _mu, _target, _servers in [
    (2.0, 1.0, 0.4, 4),
    (2.0, 1.0, 10.0, 3),
    (2.0, 1.0, math.inf, 3),
    (3, 1, 1, 4),
    (0.5, 1.0, 0.9, 2),
    (0.5, 1.0, 1.1, 1),
    (100.0, 1.0, 0.01, 114),
    (100.0, 10.0, 0.001, 16),
    (380.0, 1.0, 0.001, 418),
    (380.0, 1.0, 0.05, 391),
    (7.5, 0.5, 0.2, 19),
]:
    expect_same(
        within_seconds(servers_needed, _lam, _mu, _target),
        _servers,
        "servers_needed must give the smallest number of servers (an int) that is stable and "
        "whose mean wait in the queue is at most max_wait",
    )
for _lam, _mu in [(0, 1.0), (0.0, 3)]:
    for _target in (0, 0.0, 5.0):
        expect_same(
            within_seconds(servers_needed, _lam, _mu, _target),
            1,
            "without traffic, one server is enough (for any max_wait, 0 included)",
        )
expect_same(
    within_seconds(servers_needed, 1.0, 2.0, 0.5),
    1,
    "a mean wait equal to max_wait is short enough",
)
for _args in [
    (1.0, 1.0, -0.1),
    (1.0, 1.0, math.nan),
    (1.0, 1.0, "1"),
    (1.0, 1.0, None),
    (1.0, 0.0, 1.0),
    (-1.0, 1.0, 1.0),
]:
    expect_raises(
        lambda _args=_args: within_seconds(servers_needed, *_args),
        ValueError,
        "servers_needed must raise ValueError for a max_wait that is not a number >= 0 (NaN "
        "included) and for bad rates",
    )
expect_raises(
    lambda: within_seconds(servers_needed, 0.001, 1.0, 0.0),
    ValueError,
    "any traffic with max_wait 0 cannot be served without waiting: ValueError",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `availability`, `downtime_minutes`, `nines`: what redundancy buys
#
# A component's **availability** is the fraction of time it works. A system describes how
# components depend on each other, as nested plain values:
#
# - a number from 0 to 1 is one component with that availability;
# - `("serial", [part, part, ...])` works only when **every** part works (a request passes
#   through all of them): availability is the product;
# - `("parallel", [part, part, ...])` works when **at least one** part works (redundant
#   copies, failing independently): availability is `1 - product(1 - a)`.
#
# ```python
# availability(("serial", [0.99, ("parallel", [0.9, 0.9])]))   # 0.99 * 0.99 = 0.9801
# downtime_minutes(0.999)                                       # 525.6 minutes in a year
# nines(0.9995)                                                 # 3
# ```
#
# The exact contract, which the hidden tests check (relative tolerance 1e-9):
#
# - `availability(system)` returns a `float`. A component is an `int` or a `float` (not a
#   `bool`) from 0 to 1 inclusive; a group is a 2-tuple of `"serial"` or `"parallel"` and a
#   non-empty list of parts, nested to any depth. Anything else (a number out of range, NaN,
#   another kind, an empty list) raises `ValueError`.
# - `downtime_minutes(availability, days=365)`: the minutes in `days` days during which a
#   system of that availability is down, a `float`. `availability` follows the component
#   rule; `days` is a number above 0; otherwise `ValueError`.
# - `nines(availability)`: how many nines the availability has, an `int`: the largest `n`
#   such that the unavailability `1 - availability` is at most `10**-n`, counted with a
#   relative slack of `1e-6` (so that `0.999`, stored as a float a hair under 0.999, has 3).
#   `0.9995` has 3, `0.5` has 0, `0` has 0, and `1` (never down) has `math.inf`. Same input
#   rule, `ValueError` otherwise.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# `availability` is recursive: a number is its own answer; a group computes the availability of
# each part first. `math.prod` multiplies a list.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `math.floor(-math.log10(1 - 0.999))` is 2, not 3: `1 - 0.999` is
# `0.0010000000000000009`. Count nines with a loop that compares against
# `10**-(n + 1) * (1 + 1e-6)`, or add the slack to the logarithm.
# </details>


# %% nbgrader="solution" grade_id="availability_answer"
def availability(system):
    """The availability of a component (a number from 0 to 1) or of a ("serial", parts) or
    ("parallel", parts) group of them, as a float."""
    ### BEGIN SOLUTION
    if type(system) in (int, float):
        if not 0 <= system <= 1:
            raise ValueError("a component's availability is from 0 to 1")
        return float(system)
    if type(system) is tuple and len(system) == 2 and type(system[1]) is list and system[1]:
        kind, parts = system
        values = [availability(part) for part in parts]
        if kind == "serial":
            return float(math.prod(values))
        if kind == "parallel":
            return float(1 - math.prod(1 - value for value in values))
    raise ValueError("a system is a number, or ('serial' | 'parallel', [parts])")
    ### END SOLUTION


def downtime_minutes(availability, days=365):
    """Minutes of downtime in `days` days at this availability."""
    ### BEGIN SOLUTION
    if type(availability) not in (int, float) or not 0 <= availability <= 1:
        raise ValueError("availability is a number from 0 to 1")
    if type(days) not in (int, float) or not days > 0:
        raise ValueError("days is a number above 0")
    return float((1 - availability) * days * 24 * 60)
    ### END SOLUTION


def nines(availability):
    """How many nines: the largest n with 1 - availability <= 10**-n (slack 1e-6); inf at 1."""
    ### BEGIN SOLUTION
    if type(availability) not in (int, float) or not 0 <= availability <= 1:
        raise ValueError("availability is a number from 0 to 1")
    if availability == 1:
        return math.inf
    count = 0
    while 1 - availability <= 10.0 ** -(count + 1) * (1 + 1e-6):
        count += 1
    return count
    ### END SOLUTION


# %%
# Scratch cell: try your functions here. It is not graded.
availability(("serial", [0.99, ("parallel", [0.9, 0.9])]))

# %% [markdown]
# ### Check B1 · serial and parallel systems (3 points)

# %% nbgrader="tests" grade_id="availability_tests_structure" points=3
"""availability multiplies serial parts, combines parallel parts as 1 - product of the
unavailabilities, nests, and refuses what is not a system."""
from advpy.checks import describe, expect, expect_raises, same

result = availability(("serial", [0.99, ("parallel", [0.9, 0.9])]))
expect(
    same(result, 0.9801, rel_tol=1e-9),
    f"availability(('serial', [0.99, ('parallel', [0.9, 0.9])]))\n  returned: "
    f"{describe(result)}\n  expected: 0.9801 (a float)",
)
expect_raises(
    lambda: availability(("serial", [])),
    ValueError,
    "availability(('serial', [])) must raise ValueError",
)
### BEGIN HIDDEN TESTS
for _system, _expected in [
    (0.5, 0.5),
    (1, 1.0),
    (0, 0.0),
    (("serial", [0.9]), 0.9),
    (("parallel", [0.9]), 0.9),
    (("serial", [0.999, 0.999, 0.999]), 0.999**3),
    (("parallel", [0.99, 0.99]), 1 - 0.01**2),
    (("parallel", [0.5, 0.6, 0.7]), 1 - 0.5 * 0.4 * 0.3),
    (("parallel", [("serial", [0.9, 0.9]), ("serial", [0.9, 0.9])]), 1 - (1 - 0.81) ** 2),
    (("serial", [("parallel", [0.9, 0.8]), ("parallel", [0.7, 0])]), (1 - 0.02) * 0.7),
    (("parallel", [0, 0]), 0.0),
    (("serial", [1, 1]), 1.0),
    (("parallel", [1, 0.2]), 1.0),
    (("serial", [("serial", [("parallel", [("serial", [0.95])])])]), 0.95),
]:
    expect(
        same(availability(_system), _expected, rel_tol=1e-9),
        "availability must multiply serial parts and give 1 - product(1 - a) for parallel ones, "
        "nested to any depth, as a float",
    )
for _bad in [
    1.5,
    -0.01,
    math.nan,
    True,
    "0.9",
    None,
    ("parallel", []),
    ("mirror", [0.9, 0.9]),
    ("serial", [0.9, 1.2]),
    ("parallel", [0.9, ("serial", [])]),
    ("serial", [0.9, True]),
    ("serial", (0.9, 0.9)),
    ["parallel", [0.9, 0.9]],
]:
    expect_raises(
        lambda _bad=_bad: availability(_bad),
        ValueError,
        "availability must raise ValueError for a component out of [0, 1], NaN, a bool, another "
        "kind of group or an empty list, at any depth",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · downtime and nines (2 points)

# %% nbgrader="tests" grade_id="availability_tests_downtime" points=2
"""downtime_minutes converts an availability into minutes down per period; nines counts the
nines with a slack for float rounding, inf at 1."""
from advpy.checks import describe, expect, expect_raises, expect_same, same

result = downtime_minutes(0.999)
expect(
    same(result, 525.6, rel_tol=1e-9),
    f"downtime_minutes(0.999)\n  returned: {describe(result)}\n  expected: 525.6 (a float)",
)
expect_same(nines(0.9995), 3, "nines(0.9995)", show=True)
expect_same(nines(0.999), 3, "nines(0.999) (mind the float rounding of 1 - 0.999)", show=True)
### BEGIN HIDDEN TESTS
from advpy.checks import TimeLimitExceeded as _TimeLimitExceeded
from advpy.checks import time_limit as _time_limit


def _nines(value):
    """nines(value), failing the check if it runs longer than 2 s (a loop that never ends)."""
    try:
        with _time_limit(2):
            return nines(value)
    except _TimeLimitExceeded:
        raise AssertionError(
            "nines did not return within 2 s for one of the availabilities: does its loop end "
            "for every availability from 0 to 1?"
        ) from None


for _args, _expected in [
    ((0.99,), 5256.0),
    ((0.9999,), 52.56),
    ((1,), 0.0),
    ((0,), 525600.0),
    ((0.99, 30), 432.0),
    ((0.999, 0.5), 0.72),
    ((0.95, 7), 504.0),
]:
    expect(
        same(downtime_minutes(*_args), _expected, rel_tol=1e-9),
        "downtime_minutes must give (1 - availability) * days * 24 * 60 as a float (days "
        "defaulting to 365)",
    )
for _value, _count in [
    (0.9, 1),
    (0.99, 2),
    (0.99999, 5),
    (0.999999999, 9),
    (1 - 1e-12, 12),
    (0.9989, 2),
    (0.95, 1),
    (0.5, 0),
    (0.0, 0),
    (0, 0),
    (0.89, 0),
]:
    expect_same(
        _nines(_value),
        _count,
        "nines must give the largest n with 1 - availability <= 10**-n (with a relative slack "
        "of 1e-6), as an int",
    )
expect_same(_nines(1.0), math.inf, "nines(1.0) must be math.inf")
expect_same(_nines(1), math.inf, "nines(1) must be math.inf")
for _call in [
    lambda: downtime_minutes(1.01),
    lambda: downtime_minutes(-0.1),
    lambda: downtime_minutes(math.nan),
    lambda: downtime_minutes(True),
    lambda: downtime_minutes(0.9, 0),
    lambda: downtime_minutes(0.9, -1),
    lambda: downtime_minutes(0.9, math.nan),
    lambda: downtime_minutes(0.9, "30"),
    lambda: _nines(-0.5),
    lambda: _nines(1.5),
    lambda: _nines(math.nan),
    lambda: _nines(False),
]:
    expect_raises(
        _call,
        ValueError,
        "downtime_minutes and nines must raise ValueError for an availability outside [0, 1] "
        "(NaN and bools too) and for days that are not above 0",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `choose_server`: a load balancer that keeps the tail short
#
# A load balancer in front of identical servers decides, for each request, which server gets
# it. The lesson measured two blind policies (round-robin and random) and two that look at the
# servers (least-outstanding, and the **power of two choices**: ask two random servers, pick
# the less busy one). Blind policies leave some queues long while others are empty, and the
# 99th percentile of the response time shows it.
#
# Write `choose_server(queue_lengths, seed)`: `queue_lengths` is a list of ints, the number of
# requests each server has outstanding (waiting or in service) when a request arrives;
# `seed` is an int. Return the index of the server to send the request to.
#
# The test runs your policy inside a simulation (`advpy.checks.simulate_balancer`, built on
# SimPy): 8 servers, each handling one request at a time with a random (exponential) service
# time of mean 1, requests arriving at random at 90% of the cluster's capacity. At every
# arrival it calls your function with the current queue lengths and a **new random 32-bit
# seed**. The contract, which the hidden tests check:
#
# - **Result.** An `int` (not a `bool`) from `0` to `len(queue_lengths) - 1`. An empty list
#   raises `ValueError`.
# - **Deterministic.** The same list and seed always give the same index: use the seed for any
#   randomness (`random.Random(seed)`), never the global `random` functions or a counter that
#   changes between calls.
# - **Read-only.** The list is left as it was given.
# - **Never the longest.** With two or more servers, the server whose queue is strictly longer
#   than every other one is never chosen.
# - **A short tail.** In the simulation, the 99th percentile of the response time (in mean
#   service times) stays **under 15**, in the run shown in Check C2 and in one more hidden run
#   (another seed), each of 2000 requests. Random choice gives about 20 to 30.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# Least-outstanding: `min(range(len(queue_lengths)), key=queue_lengths.__getitem__)`. It needs
# no randomness at all, and it is allowed.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Power of two choices: `first, second = random.Random(seed).sample(range(n), 2)` draws two
# *different* servers. Drawing twice with `randrange` can pick the same server twice, and then
# it can pick the longest queue.
# </details>


# %% nbgrader="solution" grade_id="choose_server_answer"
def choose_server(queue_lengths, seed):
    """The index of the server that gets the next request, from the servers' outstanding
    requests and a seed for any randomness."""
    ### BEGIN SOLUTION
    if not queue_lengths:
        raise ValueError("there is no server to choose")
    if len(queue_lengths) == 1:
        return 0
    first, second = random.Random(seed).sample(range(len(queue_lengths)), 2)
    return first if queue_lengths[first] <= queue_lengths[second] else second
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
choose_server([3, 0, 5, 1], seed=7)

# %% [markdown]
# ### Check C1 · the contract: an index, deterministic, read-only, never the longest (3 points)

# %% nbgrader="tests" grade_id="choose_server_tests_contract" points=3
"""choose_server returns an int index, the same one for the same list and seed, leaves the list
alone, never picks the strictly longest queue, and refuses an empty list."""
from advpy.checks import expect, expect_raises, expect_same, expect_type

lengths = [4, 0, 2, 9]
choice = choose_server(lengths, 12345)
expect_type(choice, int, "choose_server([4, 0, 2, 9], 12345) must return an int")
expect(0 <= choice < 4, "choose_server([4, 0, 2, 9], 12345) must return an index from 0 to 3")
expect(choice != 3, "choose_server([4, 0, 2, 9], 12345) chose the longest queue")
expect_same(choose_server([7], 99), 0, "with one server, choose_server([7], 99)", show=True)
expect_raises(
    lambda: choose_server([], 1), ValueError, "choose_server([], 1) must raise ValueError"
)
### BEGIN HIDDEN TESTS
_rng = random.Random(2100)
for _round in range(120):
    _n = _rng.choice([2, 2, 3, 4, 5, 8, 16])
    _lengths = [_rng.randrange(6) for _ in range(_n)]
    _longest = _rng.randrange(_n)
    _lengths[_longest] = max(_lengths) + _rng.randrange(1, 4)
    _seed = _rng.getrandbits(32)
    _given = list(_lengths)
    _choice = choose_server(_given, _seed)
    expect_type(_choice, int, "choose_server must return an int")
    expect(0 <= _choice < _n, "choose_server must return the index of one of the servers")
    expect(
        _choice != _longest,
        "with two or more servers, choose_server must never choose the strictly longest queue",
    )
    expect_same(_given, _lengths, "choose_server must leave the list of queue lengths unchanged")
    expect_same(
        choose_server(list(_lengths), _seed),
        _choice,
        "choose_server must give the same index for the same list and seed (use the seed, not "
        "the global random functions or a counter)",
    )
for _seed in (0, 1, 2**31, 2**32 - 1):
    for _lengths in ([0], [50]):
        expect_same(choose_server(_lengths, _seed), 0, "with one server, the index is 0")
    for _lengths in ([0, 0], [3, 3, 3]):
        _choice = choose_server(_lengths, _seed)
        expect(
            type(_choice) is int and 0 <= _choice < len(_lengths),
            "with equal queues, choose_server must still return a valid index (an int)",
        )
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · the 99th percentile under load (4 points)
#
# This check runs the simulation with your policy, and with random choice for comparison. It
# takes a few seconds.

# %% nbgrader="tests" grade_id="choose_server_tests_p99" points=4
"""choose_server keeps the 99th percentile of the response time under 15 mean service times in a
simulated cluster at 90% load, where random choice does not."""
from advpy.checks import expect, simulate_balancer


def random_choice(queue_lengths, seed):
    return random.Random(seed).randrange(len(queue_lengths))


blind = simulate_balancer(random_choice, servers=8, load=0.9, requests=2000, seed=2)
yours = simulate_balancer(choose_server, servers=8, load=0.9, requests=2000, seed=2)
print(f"random choice: p99 {blind.p99:.1f}, longest queue {blind.longest_queue}")
print(f"your policy:   p99 {yours.p99:.1f}, longest queue {yours.longest_queue}")
expect(yours.p99 < 15, f"the 99th percentile with your policy is {yours.p99:.1f}, not under 15")
### BEGIN HIDDEN TESTS
_run = simulate_balancer(choose_server, servers=8, load=0.9, requests=2000, seed=5)
expect(
    _run.p99 < 15,
    "in a hidden run of the simulation, the 99th percentile of the response time with your "
    "policy was not under 15",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Done
#
# Restart the kernel, run every cell, and press **Validate**. Part A is the arithmetic of
# capacity planning (how many servers for a target wait), Part B the arithmetic of redundancy
# (what a second copy buys), and Part C the policy that decides which copy does the work.
