# %% [markdown]
# # 06 · Type hints and mypy: catching bugs before the code runs
#
# A backend's code base outgrows anyone's memory: which function may return `None`, which dict
# holds which keys, what a decorator does to a signature. Type hints write that down where the
# code is, and a type checker such as **mypy** reads them and reports the calls that break them,
# before the code runs and before a test happens to take that path. This lesson looks at what
# annotations are at run time and measures what they cost, runs mypy from the notebook on
# buggy code, builds the typed APIs that shared code needs (generics, protocols, typed dicts,
# overloads, typed decorators, type guards), shows how mypy becomes a gate in CI, and where a
# static check must give way to a check of the data at run time.
#
# **Learning objectives.** By the end you can:
# - **explain** what Python does with annotations at run time, and **measure** what they cost
#   when a `def` runs and when a function is called;
# - **run** mypy on code and **read** its errors, and **say** what `--strict` adds;
# - **type** generic functions, protocols, `TypedDict`s, overloads, decorators (`ParamSpec`)
#   and type guards so that mypy catches their misuse;
# - **set up** mypy in a project's pre-commit hooks and CI;
# - **validate** untrusted data at the boundary (pydantic, or a `TypeGuard`), and **rely** on
#   static types inside.
#
# **Prerequisites:** functions, classes, and decorators:
# [05 · Decorators](05_decorators.ipynb) builds the decorators that section 4.5 types.
#
# Code that mypy checks is given to it as text: mypy reads source files, not the objects in
# the notebook's memory. The helpers print that text with mypy's messages under the lines
# they are about.

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import inspect
import json
import sys
import typing

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.type_hints import boundary, checking, ci, overhead
from advpy.lessons.type_hints.plots import plot_definition_cost, plot_validation_cost

print(machine_summary())

# %% [markdown]
# ## 1. Annotations at run time
#
# An annotation is an expression written after a parameter (`name: str`) or after the
# parameter list (`-> str`). Python evaluates it and stores the result on the function, in
# `__annotations__`, and that is all: nothing checks the arguments against it.


# %%
def repeat(text: str, times: int = 2) -> str:
    return text * times


print(repeat.__annotations__)
print(repr(repeat([1], times=3)))  # a list where a str is annotated: Python does not mind

# %% [markdown]
# The annotations are there for tools: mypy, IDEs, and libraries that read them while the
# program runs (`dataclasses`, pydantic, FastAPI). `typing.get_type_hints` is the way to read
# them, because it also turns annotations written as strings into the objects they name:


# %%
class Node:
    def link(self, other: "Node") -> "Node | None":  # a string: Node is not defined yet here
        return None


print(Node.link.__annotations__)
print(typing.get_type_hints(Node.link))

# %% [markdown]
# **`from __future__ import annotations`** (PEP 563) stores *every* annotation as a string,
# unevaluated. It must come first in a module, and in a notebook it would change every later
# cell, so `overhead.make_function` compiles the same function from text, once as is and once
# under the future import:

# %%
print(overhead.source("generic annotations"))
evaluated = overhead.make_function("generic annotations", "evaluated")
as_strings = overhead.make_function("generic annotations", "strings")
print("evaluated:", evaluated.__annotations__["items"], type(evaluated.__annotations__["items"]))
print("strings:  ", as_strings.__annotations__["items"], type(as_strings.__annotations__["items"]))

# %% [markdown]
# **What to notice.** Evaluated, `list[dict[str, int]]` is a `types.GenericAlias` object, made
# when the `def` ran. Under the future import it stays the text `'list[dict[str, int]]'`;
# `get_type_hints` would evaluate it on demand. Python 3.14 changes the default again (PEP 649
# and PEP 749): annotations are evaluated **lazily**, the first time something asks for them,
# and the new `annotationlib` module can read them as values, as forward references or as
# strings. Until then, the cost of evaluating them is paid whenever a `def` runs, which the
# next section measures.

# %%
print(f"This kernel runs Python {sys.version.split()[0]}:", end=" ")
if sys.version_info >= (3, 14):
    print("annotations are evaluated lazily, when first asked for.")
else:
    print("annotations are evaluated when the def runs, unless the future import is used.")

# %% [markdown]
# ## 2. "No runtime overhead", measured
#
# The course notes say type hints have no runtime overhead. Two different costs hide in that
# sentence: the cost of **defining** the function (the `def` statement runs once per import,
# but also every time for a function defined inside another function), and the cost of
# **calling** it. `overhead.measure_overhead` times both for three versions of the same
# function: no annotations, simple ones (`list`, `str`, `int | None`) and generic ones
# (`list[dict[str, int]]`, `Callable[[str], int]`...), evaluated or kept as strings.

# %%
records = overhead.measure_overhead(number=pick(20_000, 5_000), repeats=pick(25, 9))
for r in records:
    print(f"{r.variant:>20}, {r.mode:>9}: def {r.define_ns:7.0f} ns, call {r.call_ns:5.1f} ns")

# %%
fig, ax = plot_definition_cost(records)

# %%
by = {(r.variant, r.mode): r for r in records}
plain, generic = by["no annotations", "evaluated"], by["generic annotations", "evaluated"]
print(f"generic annotations make a def {generic.define_ns / plain.define_ns:.0f}x slower;")
print(f"as strings: {by['generic annotations', 'strings'].define_ns / plain.define_ns:.1f}x.")
calls = [r.call_ns / plain.call_ns for r in records]
print(f"calls: between {min(calls):.2f}x and {max(calls):.2f}x the plain function's time")
print(
    "same bytecode in the body:",
    overhead.same_body(evaluated, overhead.make_function("no annotations", "evaluated")),
)

# %% [markdown]
# **What to notice.**
# - **Calls cost nothing extra.** The annotated function runs exactly the same bytecode as the
#   plain one (the last line), so the call times differ only by the noise of the measurement
#   (on a busy machine one row can come out slower: run the cell again and another will).
#   Python never looks at annotations when it calls a function.
# - **Definitions do cost something.** Evaluating generic annotations makes each `def` many
#   times slower (the first ratio): every `list[...]` and `Callable[...]` builds new objects.
#   Paid once per function at import, it is a few microseconds per module; paid in a hot path
#   (a function defined inside a function called a million times, or a class built per
#   request) it adds up. Kept as strings, a `def` costs what an unannotated one does.
# - So the claim holds for calls and is "small, and paid once" for definitions, with one real
#   exception the notes leave out: libraries that **read** annotations at run time (dataclasses,
#   pydantic, FastAPI, `typing.get_type_hints`) pay to evaluate them, and pydantic validates
#   data against them on every call it makes, which section 6 measures.

# %% [markdown]
# ### Try it
# Time `typing.get_type_hints(f)` for the "generic annotations" function, evaluated and as
# strings (`timeit.timeit(lambda: typing.get_type_hints(f), number=10_000)`). Which is slower
# now, and why? (Answer: [tryit/06 § 1](../solutions/tryit/06_type_hints.md#1-reading-the-hints).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. mypy: finding the bug before it runs
#
# A small order-pricing module with a bug in it. Each function is short and looks right;
# every test that happens to pass a customer with a discount and a product that exists passes.

# %%
shop = """\
def find_price(prices: dict[str, int], sku: str) -> int | None:
    return prices.get(sku)

def discount(price: int, percent: float) -> int:
    return price * (100 - percent) / 100

def total(prices: dict[str, int], skus: list[str]) -> int:
    return sum(find_price(prices, sku) for sku in skus)

def label(order_id: int) -> str:
    return "order-" + order_id
"""
errors = checking.show(shop)

# %% [markdown]
# **What to notice.** mypy read the annotations and found three bugs, each a crash or a wrong
# number waiting for the right input: `discount` returns a `float` where an `int` is promised
# (a price in cents becomes `1234.5`), `total` adds up values that may be `None` (any unknown
# SKU raises `TypeError` inside `sum`; mypy's wording mentions `bool` because of how `sum`'s
# signatures are written, but the culprit it names is the `int | None` item), and `label`
# adds a `str` and an `int`. None of them
# needs the code to run. Each error names its **code** in brackets; `# type: ignore[code]`
# silences one on purpose, and the code says what was silenced.

# %% [markdown]
# ### What `--strict` adds
#
# By default mypy is lenient with code that has no annotations: it does not check the body of
# an unannotated function at all, and treats its result as `Any`, a type that agrees with
# everything. Here is the same kind of bug in a function nobody annotated:

# %%
untyped = """\
def shipping(weight):
    return "free" if weight > 10 else weight * 0.5

def invoice(weight: float) -> float:
    return shipping(weight) + 4.99
"""
found_default = checking.show(untyped)

# %%
found_strict = checking.show(untyped, strict=True)

# %% [markdown]
# **What to notice.** Default mypy says nothing: `shipping` is unannotated, so its result is
# `Any` and `invoice` may add anything to it. Yet `invoice(20)` adds `"free" + 4.99` and
# crashes. `--strict` refuses the unannotated function and the call of it from typed code;
# once `shipping` is annotated, the `str | float` result is caught. The flags `--strict`
# switches on, read from the installed mypy's help:

# %%
for flag in checking.strict_flags():
    print(flag)

# %% [markdown]
# `--strict` is the right setting for new code. For an old code base, turn it on module by
# module (section 5 shows how), or mypy reports thousands of errors on day one and is
# switched off on day two.
#
# ### Try it
# Fix `shop` so that `checking.show(shop, strict=True)` reports no error, without
# `# type: ignore` and without changing what the functions do for valid input. What should
# `total` do with an unknown SKU? (Answer:
# [tryit/06 § 2](../solutions/tryit/06_type_hints.md#2-fixing-the-shop).)

# %%
# Your experiment here.

# %% [markdown]
# ## 4. Typing APIs that others call
#
# Annotating a function's own body is the easy part. Shared code needs signatures that keep
# callers' types: a function that returns "the same type it was given", a parameter that
# accepts "anything with a `close()` method", a dict with known keys.
#
# ### 4.1 Generics: `TypeVar`
#
# A `TypeVar` stands for "some type, the same each time it appears". `reveal_type` asks mypy
# what type it inferred (it is a note, not an error):

# %%
generic = """\
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

def last(items: Iterable[T]) -> T | None:
    result = None
    for result in items:
        pass
    return result

reveal_type(last([1, 2, 3]))
reveal_type(last("abc"))
reveal_type(last({2.5: "x"}))
"""
errors = checking.show(generic, strict=True)

# %% [markdown]
# **What to notice.** One signature, and mypy knows that `last` of a list of ints is an
# `int | None`, of a string a `str | None`. Typed `Iterable[Any] -> Any`, every result would
# be `Any` and nothing after the call would be checked. Python 3.12 adds a shorter spelling
# (PEP 695), `def last[T](items: Iterable[T]) -> T | None:`, with no `TypeVar` line; it is a
# syntax error before 3.12, so code that supports 3.11 keeps `TypeVar`.
#
# ### 4.2 Protocols: "anything with these methods"
#
# A `Protocol` describes what a type must *have*, not what it must inherit from (structural
# typing, "duck typing" that mypy checks). A `TypeVar` can be **bound** to one:

# %%
protocol = """\
from typing import Protocol

class SupportsClose(Protocol):
    def close(self) -> None: ...

class Connection:            # inherits nothing, but has close(): it fits
    def close(self) -> None:
        print("closed")

class Report:                # no close(): it does not fit
    pass

def close_all(things: list[SupportsClose]) -> int:
    for thing in things:
        thing.close()
    return len(things)

close_all([Connection()])
close_all([Report()])
"""
errors = checking.show(protocol, strict=True)

# %% [markdown]
# At run time a protocol checks nothing, unless it is decorated with
# `@typing.runtime_checkable`, and then `isinstance` only checks that the **names** exist:


# %%
@typing.runtime_checkable
class SupportsClose(typing.Protocol):
    def close(self) -> None: ...


class Door:
    close = "a string, not a method"


print("isinstance(Door(), SupportsClose):", isinstance(Door(), SupportsClose))

# %% [markdown]
# **What to notice.** mypy accepted `Connection` without any inheritance and rejected
# `Report`, naming the missing member. At run time, `isinstance` with a runtime-checkable
# protocol was fooled by an attribute that merely has the right name: use it as a coarse
# filter, never as proof.
#
# ### 4.3 `TypedDict`, `Literal` and `Final`
#
# JSON-shaped data is dicts. A `TypedDict` names each key and the type of its value; a
# `Literal` type lists the exact values allowed; `Final` marks a name that must not be
# rebound:

# %%
typed_dict = """\
from typing import Final, Literal, NotRequired, TypedDict

Status = Literal["open", "paid", "shipped"]
MAX_ITEMS: Final = 50

class Order(TypedDict):
    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]

ok: Order = {"id": 1, "status": "paid", "total_cents": 1250}
typo: Order = {"id": 2, "status": "payed", "total_cents": 990}
short: Order = {"id": 3, "status": "open"}
print(ok["totl_cents"])
MAX_ITEMS = 100
"""
errors = checking.show(typed_dict, strict=True)

# %% [markdown]
# **What to notice.** Four mistakes, four errors, each on its own line: a status that is not
# one of the three, a missing key, a misspelt key (with mypy's suggestion), and a `Final` name
# rebound. At run time an `Order` is a plain `dict`: `Order(id=1)` builds a dict without any
# check, and `Final` and `Literal` are not enforced either.
#
# ### 4.4 `@overload`: one function, several signatures
#
# When the result's type depends on *how* a function is called, one signature cannot say it.
# `@overload` lists the ways to call it; the last definition is the real one:

# %%
overloaded = """\
from typing import Literal, overload

@overload
def body(text: str, binary: Literal[True]) -> bytes: ...
@overload
def body(text: str, binary: Literal[False] = ...) -> str: ...
def body(text: str, binary: bool = False) -> str | bytes:
    return text.encode() if binary else text

reveal_type(body("hello"))
reveal_type(body("hello", binary=True))
body("hello", binary=True).upper() + "!"
"""
errors = checking.show(overloaded, strict=True)

# %% [markdown]
# **What to notice.** With a `Literal[True]` argument, mypy picks the first overload and knows
# the result is `bytes`, so `bytes.upper() + "!"` is refused (bytes and str do not mix). One
# signature `(path: str, binary: bool) -> str | bytes` would force every caller to check which
# of the two it got. The graded exercises use the same technique for a `default=` parameter.
#
# ### 4.5 Typing decorators: `ParamSpec`
#
# [05 · Decorators](05_decorators.ipynb) wrote decorators with `*args, **kwargs`. Typed
# `Callable[..., Any]`, a decorator erases the decorated function's signature: every call of it
# type-checks, right or wrong. `ParamSpec` captures the parameters and passes them through:

# %%
decorators = """\
import functools, time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

def timed_loose(func: Callable[..., Any]) -> Callable[..., Any]:
    return func

def timed(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            print(f"{func.__name__}: {time.perf_counter() - start:.3f} s")
    return wrapper

@timed_loose
def fetch_loose(user_id: int) -> str:
    return f"user {user_id}"

@timed
def fetch(user_id: int) -> str:
    return f"user {user_id}"

fetch_loose("42").upper()
fetch("42").upper()
reveal_type(fetch)
"""
errors = checking.show(decorators, strict=True)

# %% [markdown]
# **What to notice.** The same wrong call, `"42"` for an `int`, passes through the loosely
# typed decorator unnoticed and is caught through the `ParamSpec` one, whose result mypy
# still sees as `def (user_id: int) -> str`. `typing.Concatenate[Request, P]` goes one step
# further, for a decorator that supplies or removes the first argument (an authentication
# decorator that passes the user in).

# %% [markdown]
# ### 4.6 Narrowing: `isinstance`, `TypeGuard` and `TypeIs`
#
# mypy narrows a type after a check it understands (`isinstance`, `is None`). A function that
# checks something mypy cannot follow can say what it proved: `TypeGuard[T]` (Python 3.10)
# narrows in the `if` branch only; `TypeIs[T]` (Python 3.13, and `typing_extensions` before)
# narrows in both branches, when the check is exact:

# %%
guards = """\
from typing import TypeGuard
from typing_extensions import TypeIs

def is_str_list(value: list[object]) -> TypeGuard[list[str]]:
    return all(isinstance(item, str) for item in value)

def is_str(value: int | str) -> TypeIs[str]:
    return isinstance(value, str)

def use(items: list[object], key: int | str) -> None:
    if is_str_list(items):
        reveal_type(items)
    if is_str(key):
        reveal_type(key)
    else:
        reveal_type(key)
"""
errors = checking.show(guards, strict=True)

# %% [markdown]
# **What to notice.** After `is_str(key)` fails, mypy knows `key` is an `int`: that is what
# `TypeIs` adds. A guard is a promise mypy cannot verify: a `TypeGuard` that returns `True`
# for the wrong data makes mypy believe something false. Section 6 writes one for JSON.
#
# ### Try it
# In `typed_dict`, replace `status: Status` by `status: str`. Which errors disappear? Then make
# `Order` `total=False`. Which one goes now, and what does that allow? (Answer:
# [tryit/06 § 3](../solutions/tryit/06_type_hints.md#3-loosening-the-typeddict).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. mypy in CI and in pre-commit hooks
#
# The notes' best practice, "enforce mypy in CI/CD", in three files. First the settings, in
# `pyproject.toml`, so that every way of running mypy (editor, hook, CI) uses the same ones:

# %%
print(ci.PYPROJECT)
settings = ci.mypy_settings()
print("parsed: strict =", settings["strict"], "| overrides for", len(settings["overrides"]))

# %% [markdown]
# Then a **pre-commit** hook, which runs mypy on the files being committed, and a **CI job**,
# which checks the whole package on every push and pull request (shown as text: this lesson
# does not install or run them):

# %%
print(ci.PRE_COMMIT)

# %%
print(ci.GITHUB_ACTIONS)

# %% [markdown]
# Both stay fast thanks to mypy's **cache** (`.mypy_cache`, or the folder `--cache-dir`
# names): results for the standard library and unchanged modules are kept between runs.
# Measured on a small module:

# %%
times = checking.measure_mypy_times(shop, repeats=pick(2, 1))
print(f"mypy --strict, empty cache: {times.cold:.2f} s; warm cache: {times.warm:.3f} s")

# %% [markdown]
# **What to notice.**
# - Most of a cold run is reading the standard library's stubs (typeshed); with a warm cache a
#   check takes a few hundredths of a second. That is why the CI job keeps the cache between
#   runs, and why a pre-commit hook is bearable.
# - **Pin mypy's version** (in the hook's `rev`, in the constraints CI installs): every
#   release finds new errors, and a gate whose verdict changes while the code does not gets
#   ignored.
# - The hook and CI check different things. pre-commit runs mypy in an **isolated
#   environment** with only the files you commit: a package missing from
#   `additional_dependencies` makes its imports unresolved, or silently `Any` with
#   `ignore_missing_imports`, and an error that a change causes in a file you did not touch
#   is not seen. The CI job installs the project and checks all of it: it is the gate; the
#   hook is a quick early warning.

# %% [markdown]
# ## 6. The boundary: static types vs checking data at run time
#
# mypy checks code against code. Data from outside (a request body, a message, a file) has
# no type until something checks it. Take the refund requests that the shop's returns desk
# sends as JSON: which order, how many cents to give back, why, and the SKUs of the items sent
# back. `json.loads` returns `Any`, and `Any` agrees with every type, so this type-checks:

# %%
trusting = """\
import json
from typing import Literal, TypedDict

class Refund(TypedDict):
    order_id: int
    amount_cents: int
    reason: Literal["damaged", "late", "unwanted"]
    skus: list[str]

def parse(text: str) -> Refund:
    refund: Refund = json.loads(text)
    return refund
"""
errors = checking.show(trusting, strict=True)

# %%
refund = json.loads('{"order_id": "7", "amount_cents": true, "reason": "lost", "skus": "A-1"}')
print(refund, "| is it a Refund?", boundary.is_refund(refund))

# %% [markdown]
# mypy is satisfied and the "refund" has a string order id, a boolean amount, an unknown
# reason, and one string where a list of SKUs belongs (a loop over `refund["skus"]` would run
# over its characters, without an error): the annotation asserted a type and nothing checked
# it. A check belongs at the **boundary**, once, where data enters; after it, static types can
# be trusted inside. Two ways:
#
# - a hand-written `TypeGuard`, `boundary.is_refund`, below (Part C of the graded exercises
#   asks you to write one for another shape, an `Order`);
# - **pydantic**, which builds a validator from the annotations of a model.
#
# The guard is plain Python, with `TypeGuard[Refund]` as its return type:

# %%
print(inspect.getsource(boundary.is_refund))

# %% [markdown]
# **What to notice.** mypy takes the guard's word for it: after `if is_refund(data):`, `data`
# is a `Refund` and `data["skus"]` a `list[str]`. So the guard checks everything the type
# promises: exactly these keys, every item of the list (not only the first), and each count
# with `type(x) is int`, because `isinstance(True, int)` is true and JSON's `true` is no count.
# Whatever `json.loads` returned, it answers `True` or `False` and never raises. Now pydantic,
# on the same shape (`boundary.RefundModel`):

# %%
bad = {"order_id": 0, "amount_cents": -5, "reason": "lost", "skus": [], "coupon": "X"}
for problem in boundary.problems(boundary.RefundModel, bad):
    print(problem)

# %%
loose = {"order_id": "7", "amount_cents": True, "reason": "late", "skus": ["SKU-042"]}
print("lax:   ", boundary.RefundModel.model_validate(loose))
print("strict:", boundary.problems(boundary.StrictRefundModel, loose))

# %% [markdown]
# **What to notice.** pydantic lists every problem, by field, where the guard only says
# `False`. By default it is **lax**: it converts `"7"` to `7` and `True` to `1`, which is
# convenient for form data and wrong for an API that promised JSON numbers. Strict mode
# refuses both. What does checking cost per payload?

# %%
texts = boundary.payloads(pick(10_000, 2_000))
validation = boundary.measure_validation(texts, repeats=pick(5, 3))
for r in validation:
    print(f"{r.reader:>22}: {r.micros:5.2f} µs per payload, accepted {r.accepted}/{r.payloads}")

# %%
fig, ax = plot_validation_cost(validation)

# %% [markdown]
# **What to notice.** Parsing alone accepted every payload, the malformed tenth included. Both
# checks rejected the same ones. pydantic's `model_validate_json` parses and validates in one
# pass, in compiled code (pydantic-core is written in Rust), and here it costs about what
# `json.loads` alone does, less than `json.loads` followed by the Python guard: checking at the
# boundary is cheap next to anything a request does with a database. The cost that matters is
# elsewhere: validating the same data again and again inside the program, which static types
# make unnecessary.

# %% [markdown]
# ### Try it
# Make a model like `boundary.RefundModel` that also refuses a refund above 40 000 cents and
# more than three SKUs (`Field(...)` takes `le` and `max_length`), and find which payloads of
# `boundary.payloads(200)` it now refuses. Does mypy know about these limits? Does
# `boundary.is_refund`? (Answer:
# [tryit/06 § 4](../solutions/tryit/06_type_hints.md#4-limits-in-the-model).)

# %%
# Your experiment here.

# %% [markdown]
# ## Pitfalls and under the hood
#
# **`cast` checks nothing.** `typing.cast(int, value)` tells mypy "trust me" and returns
# `value` unchanged at run time:

# %%
value = typing.cast(int, "not a number")
print(repr(value), type(value).__name__)

# %% [markdown]
# **Generic types cannot be checked with `isinstance`.** Type arguments do not exist at run
# time (they are *erased*): a `list[int]` is a `list`.

# %%
try:
    isinstance([1, 2], list[int])
except TypeError as error:
    print("TypeError:", error)

# %% [markdown]
# **String annotations are resolved where the function was defined, when asked.** With the
# future import, a name that exists only inside a function cannot be found later:

# %%
local_names = """\
from __future__ import annotations
import typing

def make():
    class Local:
        pass
    def f(x: Local) -> None:
        pass
    return f

print(make().__annotations__)
try:
    typing.get_type_hints(make())
except NameError as error:
    print("NameError:", error)
"""
exec(compile(local_names, "<future import demo>", "exec", dont_inherit=True), {})

# %% [markdown]
# Libraries that read annotations at run time (pydantic, FastAPI, dataclasses' `KW_ONLY`)
# meet the same problem; another reason Python 3.14 moved to lazy evaluation instead of
# strings.
#
# **pydantic and `typing.TypedDict` before Python 3.12.** pydantic refuses a `TypedDict` from
# `typing` on Python 3.11 and asks for `typing_extensions.TypedDict`: the older class does
# not record everything pydantic needs to validate it.
#
# **`Any` spreads silently.** A value typed `Any` (from `json.loads`, an unannotated
# function, an untyped library) turns off checking for everything computed from it, without a
# word. `--strict` warns when such a value is returned from a typed function
# (`[no-any-return]`); `reveal_type` tells you where `Any` came in.
#
# **`# type: ignore` hides more than you meant.** Give it a code
# (`# type: ignore[arg-type]`), and let `--warn-unused-ignores` (part of `--strict`) report
# the ones no longer needed.

# %% [markdown]
# ## Summary
#
# - Python stores annotations and never checks them. A call of an annotated function runs the
#   same bytecode as an unannotated one: no cost. A `def` evaluates its annotations each time
#   it runs (generic ones are many times slower than none), unless they are strings
#   (`from __future__ import annotations`) or Python 3.14 evaluates them lazily.
# - mypy reads the annotations and reports the calls that break them, each error with a code.
#   By default it skips unannotated functions; `--strict` refuses them and adds a dozen checks.
# - `TypeVar` keeps callers' types (bound to a `Protocol` for "anything with this method");
#   `TypedDict` and `Literal` describe JSON-shaped data; `@overload` gives a function several
#   signatures; `ParamSpec` keeps a decorated function's parameters; `TypeGuard`/`TypeIs`
#   tell mypy what a check proved.
# - In a project: settings in `pyproject.toml`, a pinned mypy in a pre-commit hook as an early
#   warning, and a CI job over the whole package, with its cache, as the gate.
# - Static types check code, not data: validate what comes in once, at the boundary (a
#   `TypeGuard`, or pydantic, strict where exactness matters), and trust the types inside.
#
# **Graded exercises:** [exercises/ps06_type_hints.ipynb](exercises/ps06_type_hints.ipynb):
# a generic `first` with overloads, a `top_n` bound to a `Protocol`, a `TypedDict` with a
# `TypeGuard` for JSON orders, and a decorator typed with `ParamSpec`, each graded by what
# `mypy --strict` reports on correct and wrong uses of it, and by what it does at run time.
