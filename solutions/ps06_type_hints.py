# %% [markdown]
# # ps06 · Type hints: typed APIs that mypy checks (20 points)
#
# Four small APIs of the kind a backend's shared code is made of, each typed so that mypy
# catches the caller's mistakes before the code runs. The skills are those of
# [06 · Type hints and mypy](../06_type_hints.ipynb):
#
# - **Part A** · `first(items, default)`: a generic function with `TypeVar`s and `@overload`
#   (5 points);
# - **Part B** · `top_n(items, n)`: a `Protocol` and a `TypeVar` bound to it (5 points);
# - **Part C** · `Order` and `is_order(value)`: a `TypedDict` with a `Literal` field, and a
#   `TypeGuard` that checks JSON at run time (5 points);
# - **Part D** · `none_on(*errors)`: a decorator typed with `ParamSpec` (5 points).
#
# **How this notebook is graded.** Each part has one answer cell, and three kinds of test
# cells below it:
#
# - *types*: `mypy --strict` must accept your answer cell, and a few lines of code that use
#   it correctly, with the types the contract states (checked with `typing.assert_type`);
# - *misuse*: lines of code that use your API wrongly must be reported by mypy, **on exactly
#   those lines**, with the error code given (`[arg-type]`, `[assignment]`...);
# - *runtime*: your code must also behave as the contract says when it runs.
#
# When a visible check fails, its message shows what mypy said, line by line. Every test cell
# also holds **hidden tests** that run only when your instructor grades the notebook (Validate
# and `advpy check` run the visible ones): passing the visible checks is necessary, not
# sufficient. The hidden tests check the contract sentences below, nothing beyond them.
#
# **How mypy sees your answer.** mypy checks text, not the objects in memory. Jupyter keeps
# the text of every cell it runs, and a function remembers the cell that defined it, so the
# tests read the **whole text of the answer cell** that defined your function and give it to
# mypy as a module named `answer`; the code that uses it starts with `from answer import
# ...`. (`inspect.getsource` would give the function alone, without the imports, `TypeVar`s
# and overloads around it.) So:
#
# - each answer cell must be **complete on its own**: its imports, its `TypeVar`s, everything
#   it uses; mypy does not see the other cells;
# - **run the answer cell after every change**: mypy sees the text you last ran;
# - keep the answer cell plain Python (no `%magic` lines), and keep it clean under
#   `mypy --strict`: any error in it fails that part's type checks.
#
# The setup cell gives you `show_mypy(function, usage)` to see what mypy says, as the tests
# will. mypy's first run in a kernel takes about half a second (it reads the standard
# library's type stubs); later runs take a few hundredths of a second.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines show_mypy.
import itertools

from advpy.checks import cell_source, format_mypy, run_mypy


def show_mypy(function, usage=""):
    """Print what `mypy --strict` reports on the cell that defined `function` (as module
    `answer`) and on `usage`, code that may `from answer import ...`."""
    print(format_mypy(run_mypy(cell_source(function), usage or None)))


# %% [markdown]
# ## Part A · `first`: generics and overloads
#
# *5 points, in the three checks below.*
#
# `first(items)` returns the first item of any iterable, or `None` when it is empty;
# `first(items, default)` returns `default` instead of `None`. Simple at run time, and a good
# test of a signature: the result's type must follow the argument's.
#
# ```python
# first([3, 1, 2])        # 3      type: int | None   (the list might have been empty)
# first([], 0)            # 0      type: int
# first(["a"], 0)         # "a"    type: str | int    (the default need not be an item)
# first(iter("xyz"))      # "x"    type: str | None
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Types.** For `items` of type `Iterable[T]` (any iterable: list, tuple, str, set, dict,
#   generator...), `first(items)` has type `T | None`, and `first(items, default)` with a
#   `default` of type `D` has type `T | D` (no `None` in it unless `D` holds it). mypy must
#   reject a call with an argument that is not iterable, and a call with more than two
#   arguments. Nothing is typed `Any`.
# - **Run time.** The result is the first item itself, even when it is `0`, `""`, `None` or
#   `False`; when there is no item, it is `default` (`None` when not given). `first` takes
#   at most one item from `items`, so it works on endless iterators and leaves the rest of
#   an iterator unread.
#
# One plain signature cannot say both types. `def first(items: Iterable[T], default: D = None)
# -> T | D` is refused (`None` is not a `D`), and `default: D | None = None` makes every call's
# type `T | D | None`. Two `@overload` signatures, one per way of calling, followed by the
# implementation, can.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# At run time, `next(iter(items), default)` is the whole body. The work is in the
# signatures: two `TypeVar`s (`T` for the items, `D` for the default), and `typing.overload`.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# Decorate two signatures with `@overload`, bodies `...`: `(items: Iterable[T]) -> T | None`
# and `(items: Iterable[T], default: D) -> T | D`. Then the real function, whose signature
# covers both: `(items: Iterable[T], default: D | None = None) -> T | D | None`. Import
# `Iterable` from `collections.abc`, and `TypeVar` and `overload` from `typing`.
# </details>

# %% nbgrader="solution" grade_id="first_answer"
# Part A: define first (with its imports, TypeVars and overloads) in this cell.
### BEGIN SOLUTION
from collections.abc import Iterable
from typing import TypeVar, overload

T = TypeVar("T")
D = TypeVar("D")


@overload
def first(items: Iterable[T]) -> T | None: ...
@overload
def first(items: Iterable[T], default: D) -> T | D: ...
def first(items: Iterable[T], default: D | None = None) -> T | D | None:
    """The first item of `items`, or `default` when there is none."""
    return next(iter(items), default)


### END SOLUTION

# %%
# Scratch cell: try your function here. It is not graded.
show_mypy(
    first,
    """
from answer import first
reveal_type(first([3, 1, 2]))
reveal_type(first(["a"], 0))
""",
)

# %% [markdown]
# ### Check A1 · mypy accepts correct uses, with the right types (2 points)

# %% nbgrader="tests" grade_id="first_tests_types" points=2
"""mypy --strict accepts the answer cell and correct calls of first, typed T | None or T | D."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(first),
    """\
from typing import assert_type
from answer import first

assert_type(first([3, 1, 2]), int | None)
assert_type(first([], 0), int)
assert_type(first(["a"], 0), str | int)
""",
    what="correct calls of first",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(first),
    """\
from collections.abc import Iterator
from typing import assert_type
from answer import first

def numbers() -> Iterator[float]:
    yield 1.5

assert_type(first((1, 2)), int | None)
assert_type(first("xyz"), str | None)
assert_type(first({"k": 1}), str | None)
assert_type(first({2.5}), float | None)
assert_type(first(numbers(), "none"), float | str)
assert_type(first(iter([b"x"]), None), bytes | None)
assert_type(first([[1]], []), list[int])
label: str = first(["a", "b"], "")
""",
    what="correct calls of first with other iterables and defaults (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · mypy reports misuses (1 point)

# %% nbgrader="tests" grade_id="first_tests_misuse" points=1
"""mypy --strict reports calls of first that are wrong, each on its own line."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(first),
    """\
from answer import first

first(42)  # expect: call-overload|arg-type
count: int = first([1, 2])  # expect: assignment
""",
    what="wrong calls of first",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(first),
    """\
from answer import first

first([1], 0, 2)  # expect: call-overload|call-arg
first(None)  # expect: call-overload|arg-type
first()  # expect: call-overload|call-arg
first(["a"], 0).upper()  # expect: union-attr
name: str = first([1, 2], "none")  # expect: assignment
first([1.5]) + 1  # expect: operator
""",
    what="wrong calls of first (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · what first does at run time (2 points)

# %% nbgrader="tests" grade_id="first_tests_runtime" points=2
"""first returns the first item, or the default (None if not given), reading at most one item."""
from advpy.checks import expect, expect_same

expect_same(first([3, 1, 2]), 3, "first([3, 1, 2])", show=True)
expect_same(first([]), None, "first([])", show=True)
expect_same(first([], 0), 0, "first([], 0)", show=True)
expect_same(first(["a"], 0), "a", 'first(["a"], 0)', show=True)
### BEGIN HIDDEN TESTS
for _falsy in (0, "", None, False, 0.0):
    expect_same(
        first([_falsy, 7], "default"),
        _falsy,
        "a first item that looks false (0, '', None, False) must be returned as it is",
    )
expect_same(first((), None), None, "with no item, the default given must be returned")
expect_same(first("", 0), 0, "an empty string has no item: the default must be returned")
expect_same(first("xyz"), "x", "any iterable must be accepted: the first item of a string")
expect_same(first({"k": 1}), "k", "iterating a dict gives its keys: the first key")
expect_same(first(x * 2 for x in [5, 6]), 10, "a generator's first item")
expect_same(first((x for x in []), "none"), "none", "an empty generator has no item")
_items = iter([1, 2, 3])
first(_items)
expect_same(next(_items, None), 2, "first must take one item from an iterator, no more")


def _endless():
    # Endless as far as a right answer can tell; stops the test instead of running forever.
    for _number in itertools.count(5):
        if _number > 50:
            raise AssertionError("first must work on an endless iterator (it read on and on)")
        yield _number


expect_same(first(_endless()), 5, "first must work on an endless iterator")
_list = [4, 5]
first(_list)
expect_same(_list, [4, 5], "first must not change the list it is given")
expect(first([[]], 1) == [], "an empty list as the first item is still the first item")
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `top_n`: a Protocol and a bound TypeVar
#
# *5 points, in the three checks below.*
#
# `top_n(items, n)` returns the `n` largest items, largest first: the top scores, the
# slowest requests, the latest versions. It only needs to compare items with `<`, so it
# should accept anything that supports `<` (numbers, strings, dates, your own classes) and
# mypy should refuse anything that does not (`object()`, dicts, `None`).
#
# ```python
# top_n([3, 1, 2], 2)        # [3, 2]       type: list[int]
# top_n(("b", "a", "c"), 1)  # ["c"]        type: list[str]
# top_n([1, 2], 0)           # []
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Types.** Define a `Protocol` named `SupportsLessThan` that describes "has a `__lt__`
#   method" and that `int`, `str`, `float` and a class with its own `__lt__` all satisfy.
#   `top_n(items: Iterable[C], n: int) -> list[C]`, where `C` is a `TypeVar` bound to that
#   protocol, so the result has the items' own type. mypy must reject items without `__lt__`,
#   items that cannot be compared with each other (`[1, "a"]`), and an `n` that is not an
#   `int`.
# - **Run time.** A new `list` of the `n` largest items, largest first. Items that are equal
#   keep their input order (the one seen first comes first). When `n` is larger than the
#   number of items, all of them, sorted; when `n <= 0`, `[]`. `items` is any iterable,
#   read once (a generator works).
#
# Why a bound `TypeVar` and not `Iterable[SupportsLessThan] -> list[SupportsLessThan]`: with
# the protocol alone, `top_n([3, 1], 1)` has type `list[SupportsLessThan]`, and the caller
# cannot add the result to a number without a cast. The bound says "any type `C`, as long as
# it supports `<`", and keeps `C`.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# A class `SupportsLessThan` that inherits from `Protocol`, with one method, `__lt__`, whose
# body is `...`. A `TypeVar` takes `bound=`. At run time, `sorted(..., reverse=True)` is
# stable and compares with `<` only.
# </details>
#
# <details><summary>Hint 2 (the parameter of `__lt__`)</summary>
#
# If you write `def __lt__(self, other: object) -> bool`, `int` does **not** satisfy the
# protocol: `int.__lt__` accepts only an `int`, and a method that accepts less than the
# protocol promises does not fit it (parameters are contravariant). Type the parameter
# `Any`, as typeshed's own comparison protocols do: `def __lt__(self, other: Any, /) ->
# bool: ...` (the `/` makes it positional-only, so its name does not matter).
# </details>

# %% nbgrader="solution" grade_id="top_n_answer"
# Part B: define SupportsLessThan and top_n (with their imports and TypeVar) in this cell.
### BEGIN SOLUTION
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar


class SupportsLessThan(Protocol):
    """Anything that can be compared with `<`."""

    def __lt__(self, other: Any, /) -> bool: ...


C = TypeVar("C", bound=SupportsLessThan)


def top_n(items: Iterable[C], n: int) -> list[C]:
    """The n largest items, largest first; equal items keep their order."""
    if n <= 0:
        return []
    return sorted(items, reverse=True)[:n]


### END SOLUTION

# %%
# Scratch cell: try your code here. It is not graded.
show_mypy(top_n, "from answer import top_n\nreveal_type(top_n([3, 1, 2], 2))\n")

# %% [markdown]
# ### Check B1 · mypy accepts correct uses, with the right types (2 points)

# %% nbgrader="tests" grade_id="top_n_tests_types" points=2
"""mypy --strict accepts the answer cell and calls of top_n on comparable items, typed list[C]."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(top_n),
    """\
from typing import assert_type
from answer import SupportsLessThan, top_n

assert_type(top_n([3, 1, 2], 2), list[int])
assert_type(top_n(("b", "a", "c"), 1), list[str])
comparable: SupportsLessThan = 2.5
""",
    what="correct calls of top_n",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(top_n),
    """\
from datetime import date
from typing import assert_type
from answer import top_n, SupportsLessThan

class Version:
    def __init__(self, major: int) -> None:
        self.major = major

    def __lt__(self, other: "Version") -> bool:
        return self.major < other.major

assert_type(top_n([Version(1), Version(3)], 1), list[Version])
assert_type(top_n((x / 2 for x in range(3)), 1), list[float])
assert_type(top_n({date(2024, 1, 1)}, 1), list[date])
assert_type(top_n([(1, "a"), (2, "b")], 1), list[tuple[int, str]])
mine: SupportsLessThan = Version(2)
word: SupportsLessThan = "text"
total: int = sum(top_n([4, 5, 6], 2)) + 1
""",
    what="correct calls of top_n on other comparable types (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · mypy reports misuses (1 point)

# %% nbgrader="tests" grade_id="top_n_tests_misuse" points=1
"""mypy --strict reports calls of top_n on items that cannot be compared, and a wrong n."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(top_n),
    """\
from answer import top_n

top_n([object(), object()], 1)  # expect: type-var
top_n([1, 2], "2")  # expect: arg-type
""",
    what="wrong calls of top_n",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(top_n),
    """\
from answer import top_n, SupportsLessThan

top_n([{"a": 1}], 1)  # expect: type-var
top_n([1, "a"], 1)  # expect: type-var
top_n([None, None], 1)  # expect: type-var
top_n(5, 1)  # expect: arg-type
top_n([1, 2], 1.5)  # expect: arg-type
top_n([3, 4], 1)[0].upper()  # expect: attr-defined
nothing: SupportsLessThan = object()  # expect: assignment
""",
    what="wrong calls of top_n (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · what top_n does at run time (2 points)

# %% nbgrader="tests" grade_id="top_n_tests_runtime" points=2
"""top_n returns a new list of the n largest, largest first; equal items keep their order."""
from advpy.checks import beside, expect, expect_same

expect_same(top_n([3, 1, 2], 2), [3, 2], "top_n([3, 1, 2], 2)", show=True)
expect_same(top_n(("b", "a", "c"), 1), ["c"], 'top_n(("b", "a", "c"), 1)', show=True)
expect_same(top_n([5, 9], 10), [9, 5], "top_n([5, 9], 10): all the items, sorted", show=True)


### BEGIN HIDDEN TESTS
def _stable_names():
    # Runs where the answer runs: items that compare by points only (equal points, different
    # names), ranked by top_n; the names, in the order returned.
    class Score:
        def __init__(self, points, name):
            self.points = points
            self.name = name

        def __lt__(self, other):
            return self.points < other.points

        def __eq__(self, other):
            return self.points == other.points

        __hash__ = None

    scores = [Score(1, "a"), Score(3, "b"), Score(2, "c"), Score(3, "d"), Score(2, "e")]
    return [score.name for score in top_n(scores, 4)]


expect_same(
    beside(_stable_names),
    ["b", "d", "c", "e"],
    "equal items must keep their input order (the one seen first comes first)",
)
expect_same(top_n([4, 2, 8], 0), [], "n == 0 must give an empty list")
expect_same(top_n([4, 2, 8], -2), [], "a negative n must give an empty list")
expect_same(top_n([], 3), [], "no items: an empty list")
expect_same(top_n((x * x for x in [3, -4, 1]), 2), [16, 9], "items may come from a generator")
expect_same(top_n([2, 2, 1, 2], 3), [2, 2, 2], "repeated values are all kept")
expect_same(top_n({7: "x", 3: "y"}, 1), [7], "any iterable: a dict gives its keys")
_given = [1, 3, 2]
_result = top_n(_given, 3)
expect_same(_given, [1, 3, 2], "top_n must not change the list it is given")
expect(_result is not _given, "top_n must return a new list, not the one it was given")
expect_same(top_n([0.5, -1.0, 0.25], 2), [0.5, 0.25], "floats, largest first")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `Order` and `is_order`: a TypedDict and a TypeGuard
#
# *5 points, in the three checks below.*
#
# An order arrives as JSON, `json.loads` gives a `dict`, and mypy can say nothing about a
# `dict[str, Any]`. A `TypedDict` names the keys and the type of each; a `Literal` type lists
# the only strings a field may hold. But a type is a promise, not a check: something must
# look at the data once, at the boundary, before the rest of the code trusts the type. A
# function returning `TypeGuard[Order]` is that check, and tells mypy so: after
# `if is_order(payload):`, mypy treats `payload` as an `Order`.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Types.** `Status` is a type alias for `Literal["open", "paid", "shipped"]`. `Order` is a
#   `TypedDict` with the required keys `id` (`int`), `status` (`Status`), `total_cents`
#   (`int`), and the key `note` (`str`), which may be absent (`NotRequired`). mypy must
#   reject an `Order` with a missing or unknown key, a value of the wrong type, a status not
#   in the list, and a read of a key `Order` does not have.
#   `is_order(value: object) -> TypeGuard[Order]`.
# - **Run time.** `is_order(value)` returns `True` exactly when `value` is a `dict` holding
#   the keys `id`, `status` and `total_cents`, perhaps `note`, and no other key, where `id`
#   and `total_cents` are `int`s but **not** `bool`s (JSON's `true` is not a number; in
#   Python `bool` is a subclass of `int`), `total_cents` is not negative (`0` is fine),
#   `status` is one of the three strings, and `note`, when present, is a `str`. Otherwise it
#   returns `False`; it never raises, whatever `value` is.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `Literal`, `NotRequired`, `TypedDict` and `TypeGuard` all come from `typing` in Python
# 3.11. At run time, check the type first (`isinstance(value, dict)`), then the set of keys,
# then each value. `type(x) is int` is `False` for `True`; `isinstance(True, int)` is `True`.
# </details>
#
# <details><summary>Hint 2 (never raises)</summary>
#
# Checking `value["status"] in {"open", "paid", "shipped"}` raises `TypeError` when the
# status is a list (a list is not hashable, so it cannot be looked up in a set). Check that
# it is a `str` first, or compare against a tuple.
# </details>

# %% nbgrader="solution" grade_id="order_guard_answer"
# Part C: define Status, Order and is_order (with their imports) in this cell.
### BEGIN SOLUTION
from typing import Literal, NotRequired, TypedDict, TypeGuard

Status = Literal["open", "paid", "shipped"]
STATUSES = ("open", "paid", "shipped")
REQUIRED = {"id", "status", "total_cents"}


class Order(TypedDict):
    """An order as the shop's JSON API sends it."""

    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]


def is_order(value: object) -> TypeGuard[Order]:
    """True when value is a dict shaped exactly like an Order."""
    if not isinstance(value, dict):
        return False
    keys = set(value)
    if not REQUIRED <= keys or not keys <= REQUIRED | {"note"}:
        return False
    total = value["total_cents"]
    return (
        type(value["id"]) is int
        and type(total) is int
        and total >= 0
        and type(value["status"]) is str
        and value["status"] in STATUSES
        and type(value.get("note", "")) is str
    )


### END SOLUTION

# %%
# Scratch cell: try your code here. It is not graded.
print(is_order({"id": 1, "status": "paid", "total_cents": 1250}))
show_mypy(is_order, 'from answer import Order\nbad: Order = {"id": 1}\n')

# %% [markdown]
# ### Check C1 · mypy accepts correct uses, and narrows with the guard (1 point)

# %% nbgrader="tests" grade_id="order_guard_tests_types" points=1
"""mypy --strict accepts the answer cell, well-formed Orders, and narrowing by is_order."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(is_order),
    """\
from typing import assert_type
from answer import Order, is_order

paid: Order = {"id": 1, "status": "paid", "total_cents": 1250}
noted: Order = {"id": 2, "status": "open", "total_cents": 0, "note": "gift"}

def total(payload: object) -> int:
    if is_order(payload):
        assert_type(payload, Order)
        return payload["total_cents"]
    return 0
""",
    what="correct uses of Order and is_order",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(is_order),
    """\
from typing import assert_type
from answer import Order, Status, is_order

state: Status = "shipped"
built = Order(id=3, status="open", total_cents=5)
assert_type(built["status"], Status)
assert_type(built["id"], int)
note: str = built.get("note", "")
orders: list[Order] = [built, {"id": 4, "status": "paid", "total_cents": 7}]
valid = [p for p in [object(), {}] if is_order(p)]
assert_type(valid, list[Order])
def statuses(items: list[object]) -> list[Status]:
    return [item["status"] for item in items if is_order(item)]
""",
    what="correct uses of Order, Status and is_order (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · mypy reports malformed orders (2 points)

# %% nbgrader="tests" grade_id="order_guard_tests_misuse" points=2
"""mypy --strict reports Orders with a wrong status, a missing key, and unchecked payloads."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(is_order),
    """\
from answer import Order

lost: Order = {"id": 3, "status": "lost", "total_cents": 5}  # expect: typeddict-item
short: Order = {"id": 4, "status": "open"}  # expect: typeddict-item
""",
    what="malformed Orders",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(is_order),
    """\
from answer import Order, Status

text_id: Order = {"id": "5", "status": "open", "total_cents": 5}  # expect: typeddict-item
more: Order = {"id": 6, "status": "open", "total_cents": 1, "x": 0}  # expect: typeddict-unknown-key
bad_note: Order = {"id": 7, "status": "open", "total_cents": 5, "note": 1}  # expect: typeddict-item
float_total: Order = {"id": 8, "status": "open", "total_cents": 2.5}  # expect: typeddict-item
no_status = Order(id=9, total_cents=5)  # expect: typeddict-item
refunded: Status = "refunded"  # expect: assignment
capital: Order = {"id": 10, "status": "Paid", "total_cents": 5}  # expect: typeddict-item
def read(order: Order) -> object:
    return order["totl_cents"]  # expect: typeddict-item
payload: object = {}
payload["total_cents"]  # expect: index
""",
    what="malformed Orders and unchecked reads (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · what is_order accepts at run time (2 points)

# %% nbgrader="tests" grade_id="order_guard_tests_runtime" points=2
"""is_order accepts exactly the dicts shaped like an Order, and returns False for the rest."""
from advpy.checks import expect_same

expect_same(
    is_order({"id": 1, "status": "paid", "total_cents": 1250}),
    True,
    'is_order({"id": 1, "status": "paid", "total_cents": 1250})',
    show=True,
)
expect_same(
    is_order({"id": 1, "status": "lost", "total_cents": 1250}),
    False,
    'is_order({"id": 1, "status": "lost", "total_cents": 1250})',
    show=True,
)
expect_same(is_order([1, "paid", 1250]), False, 'is_order([1, "paid", 1250])', show=True)
### BEGIN HIDDEN TESTS
_good = {"id": 7, "status": "open", "total_cents": 300}
for _status in ("open", "paid", "shipped"):
    expect_same(is_order({**_good, "status": _status}), True, "each of the three statuses")
expect_same(is_order({**_good, "total_cents": 0}), True, "a total of 0 cents is valid")
expect_same(is_order({**_good, "id": 0}), True, "an id of 0 is an int like any other")
expect_same(is_order({**_good, "note": "gift"}), True, "a note that is a str is allowed")
expect_same(is_order({**_good, "note": ""}), True, "an empty note is still a str")
_rejected = [
    ({**_good, "id": True}, "an id that is a bool (True) is not an int here"),
    ({**_good, "total_cents": False}, "a total that is a bool is not an int here"),
    ({**_good, "total_cents": -1}, "a negative total must be refused"),
    ({**_good, "total_cents": 2.5}, "a total that is a float must be refused"),
    ({**_good, "id": "7"}, "an id that is a str must be refused"),
    ({**_good, "status": "Paid"}, "statuses are exact strings (case matters)"),
    ({**_good, "status": ["open"]}, "a status that is a list must be refused"),
    ({**_good, "status": None}, "a status that is None must be refused"),
    ({**_good, "note": None}, "a note, when present, must be a str"),
    ({**_good, "coupon": "X"}, "a dict with an unknown key must be refused"),
    ({"id": 7, "status": "open"}, "a dict without total_cents must be refused"),
    ({"status": "open", "total_cents": 3}, "a dict without id must be refused"),
    ({}, "an empty dict must be refused"),
    (None, "None must be refused"),
    ("order", "a str must be refused"),
    (list(_good.items()), "a list of pairs is not a dict"),
    (42, "an int must be refused"),
]
for _value, _why in _rejected:
    try:
        _answer = is_order(_value)
    except Exception:
        raise AssertionError(
            f"is_order raised an exception: it must return False ({_why})"
        ) from None
    expect_same(_answer, False, _why)
### END HIDDEN TESTS

# %% [markdown]
# ## Part D · `none_on`: a decorator typed with ParamSpec
#
# *5 points, in the three checks below.*
#
# `none_on(*errors)` makes a decorator: the decorated function returns `None` instead of
# raising one of the exception classes `errors`. Lesson 05's decorators, typed: a decorator
# typed `Callable[..., Any]` hides the function's parameters from mypy, so every call of the
# decorated function goes unchecked. A `ParamSpec` carries the parameters over unchanged, and
# the return type becomes `R | None`, which forces callers to handle the `None`.
#
# ```python
# @none_on(ValueError)
# def parse_port(text: str, base: int = 10) -> int:
#     return int(text, base)
#
# parse_port("8080")     # 8080    type: int | None
# parse_port("http")     # None    (int() raised ValueError)
# parse_port(8080)       # mypy: Argument 1 to "parse_port" has incompatible type "int"
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Types.** `none_on(*errors: type[Exception])`: mypy must reject an argument that is not
#   an exception class. Decorating a function `(params) -> R` gives a function with exactly
#   the same parameters (names, types, defaults, keyword arguments) that returns `R | None`:
#   mypy checks calls of it as it would check calls of the original, and its result must be
#   checked for `None` before use.
# - **Run time.** Each call of the decorated function calls the original once, with the same
#   arguments, and returns its result as it is (even `0`, `""` or `None`). If the call raises
#   an instance of one of `errors` (subclasses included), it returns `None` instead; any
#   other exception goes through unchanged. `none_on()` with no class catches nothing. The
#   decorated function keeps the original's `__name__` and `__doc__`, and has `__wrapped__`
#   (use `functools.wraps`).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Three nested functions: `none_on(*errors)` returns `decorate(func)`, which returns
# `wrapper(*args, **kwargs)`. `except errors:` catches any class in the tuple `errors` (and
# nothing when it is empty).
# </details>
#
# <details><summary>Hint 2 (the types)</summary>
#
# `P = ParamSpec("P")` and `R = TypeVar("R")`. `decorate` takes `Callable[P, R]` and returns
# `Callable[P, R | None]`; `wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None`; so
# `none_on` returns `Callable[[Callable[P, R]], Callable[P, R | None]]`.
# </details>

# %% nbgrader="solution" grade_id="none_on_answer"
# Part D: define none_on (with its imports, ParamSpec and TypeVar) in this cell.
### BEGIN SOLUTION
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def none_on(*errors: type[Exception]) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """A decorator: the function returns None instead of raising one of `errors`."""

    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return func(*args, **kwargs)
            except errors:
                return None

        return wrapper

    return decorate


### END SOLUTION


# %%
# Scratch cell: try your decorator here. It is not graded.
@none_on(ValueError)
def parse_port(text: str, base: int = 10) -> int:
    return int(text, base)


print(parse_port("8080"), parse_port("http"))
show_mypy(none_on, "from answer import none_on\nnone_on(ValueError)(int)\n")

# %% [markdown]
# ### Check D1 · mypy accepts correct uses, with the right types (2 points)

# %% nbgrader="tests" grade_id="none_on_tests_types" points=2
"""mypy --strict accepts the answer cell and decorated functions, typed R | None."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(none_on),
    """\
from typing import assert_type
from answer import none_on

@none_on(ValueError)
def parse_port(text: str, base: int = 10) -> int:
    return int(text, base)

assert_type(parse_port("8080"), int | None)
assert_type(parse_port("1f90", base=16), int | None)
""",
    what="correct uses of none_on",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(none_on),
    """\
from collections.abc import Callable
from typing import assert_type
from answer import none_on

@none_on(KeyError, IndexError)
def pick(items: list[str], index: int, *, upper: bool = False) -> str:
    return items[index].upper() if upper else items[index]

@none_on()
def ratio(a: float, b: float) -> float:
    return a / b

assert_type(pick(["a"], 0), str | None)
assert_type(pick(["a"], 0, upper=True), str | None)
assert_type(ratio(1, 2), float | None)
lookup: Callable[[list[str], int], str | None] = pick
value = pick(["a"], 0)
if value is not None:
    print(value.upper())
safe_int = none_on(ValueError, TypeError)(int)
""",
    what="correct uses of none_on with several classes and keyword arguments (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check D2 · mypy reports misuses (1 point)

# %% nbgrader="tests" grade_id="none_on_tests_misuse" points=1
"""mypy --strict checks calls of a decorated function like the original's, and its None."""
from advpy.checks import cell_source, expect_mypy

expect_mypy(
    cell_source(none_on),
    """\
from answer import none_on

@none_on(ValueError)
def parse_port(text: str, base: int = 10) -> int:
    return int(text, base)

parse_port(8080)  # expect: arg-type
port: int = parse_port("8080")  # expect: assignment
""",
    what="wrong uses of a function decorated with none_on",
    show=True,
)
### BEGIN HIDDEN TESTS
expect_mypy(
    cell_source(none_on),
    """\
from answer import none_on

@none_on(KeyError)
def pick(items: list[str], index: int, *, upper: bool = False) -> str:
    return items[index]

pick(["a"], index="0")  # expect: arg-type
pick(["a"], 0, lower=True)  # expect: call-arg
pick(["a"])  # expect: call-arg
pick(["a"], 0, True)  # expect: misc|call-arg
pick(["a"], 0).upper()  # expect: union-attr
none_on("ValueError")  # expect: arg-type
none_on(print)  # expect: arg-type
none_on(KeyboardInterrupt)  # expect: arg-type
""",
    what="wrong uses of none_on and of decorated functions (hidden)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check D3 · what none_on does at run time (2 points)

# %% nbgrader="tests" grade_id="none_on_tests_runtime" points=2
"""none_on returns the result, or None for the listed errors only, and keeps the metadata."""
from advpy.checks import beside, expect, expect_same


def port_parser():
    """parse_port, decorated with @none_on(ValueError). (Made with `beside`, where your code
    runs, as the test's functions must be for your decorator to wrap them.)"""

    @none_on(ValueError)
    def parse_port(text, base=10):
        """Parse a port number."""
        return int(text, base)

    return parse_port


parse_port = beside(port_parser)
expect_same(parse_port("8080"), 8080, 'parse_port("8080")', show=True)
expect_same(parse_port("1f90", base=16), 8080, 'parse_port("1f90", base=16)', show=True)
expect_same(parse_port("http"), None, 'parse_port("http") (int raised ValueError)', show=True)
refused = False
try:
    parse_port(None)
except TypeError:
    refused = True
expect(
    refused, "parse_port(None): int raises TypeError, which none_on(ValueError) must let through"
)
expect_same(parse_port.__name__, "parse_port", "the decorated function's __name__", show=True)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: functions of the test decorated by the answer's none_on, and
    # what each use of them did, as plain data.
    calls = []

    @none_on(KeyError, IndexError)
    def pick(items, index, *, fallback=None):
        """Pick an item."""
        calls.append((index, fallback))
        return items[index]

    @none_on(LookupError)
    def lookup(items, key):
        return items[key]

    @none_on()
    def nothing(value):
        raise ValueError(value)

    @none_on(KeyError)
    def other(value):
        raise ValueError(value)

    first, _second = none_on(ValueError), none_on(KeyError)  # made after: must not share

    @first
    def raises_key(value):
        raise KeyError(value)

    def raised(func, *args):
        try:
            func(*args)
        except Exception as error:
            return type(error).__name__
        return "nothing"

    seen = {
        "false results": [pick({"a": 0}, "a"), pick(["", "b"], 0), pick([None], 0)],
        "listed": [pick({}, "missing"), pick([], 3)],
    }
    calls.clear()
    seen["keyword"] = pick(["x"], 0, fallback="y")
    seen["keyword calls"] = list(calls)
    calls.clear()
    pick([], 1)
    seen["failing calls"] = list(calls)
    seen["subclass"] = lookup({}, "k")
    seen["no class"] = raised(nothing, 1)
    seen["not listed"] = raised(other, 2)
    seen["doc"] = pick.__doc__
    wrapped = getattr(pick, "__wrapped__", None)
    seen["wrapped"] = None if wrapped is None else getattr(wrapped, "__name__", None)
    seen["own classes"] = raised(raises_key, 3)
    return seen


_seen = beside(_observed)
expect_same(
    _seen["false results"],
    [0, "", None],
    "a result that looks false (0, '', None) must be returned as it is",
)
expect_same(
    _seen["listed"], [None, None], "each listed class (KeyError, IndexError) must give None"
)
expect_same(_seen["keyword"], "x", "keyword arguments must be passed on")
expect_same(
    _seen["keyword calls"], [(0, "y")], "the function must be called once, with the same arguments"
)
expect_same(_seen["failing calls"], [(1, None)], "a failing call must not be retried")
expect_same(_seen["subclass"], None, "a subclass of a listed class (KeyError) must give None")
expect_same(_seen["no class"], "ValueError", "none_on() with no class must catch nothing")
expect_same(_seen["not listed"], "ValueError", "an exception not listed must go through unchanged")
expect_same(_seen["doc"], "Pick an item.", "the decorated function must keep its __doc__")
expect_same(
    _seen["wrapped"],
    "pick",
    "the decorated function must have __wrapped__, the original (functools.wraps sets it)",
)
expect_same(
    _seen["own classes"], "KeyError", "each none_on(...) catches its own classes, not another's"
)
### END HIDDEN TESTS
