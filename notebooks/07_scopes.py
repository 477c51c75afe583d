# %% [markdown]
# # 07 · Scopes: LEGB, closures, `nonlocal`, name mangling
#
# Every name in a Python program is looked up somewhere: in the function that uses it, in a
# function around it, in the module, or among the built-ins. Most of the time that just works.
# When it does not, the symptoms are confusing: an `UnboundLocalError` on a line that reads a
# variable that plainly exists, ten callbacks that all do what the last one should, a class
# attribute a method cannot see, a built-in that has stopped being callable. Each of these
# follows from a few rules that the compiler applies before your code ever runs. This lesson
# shows those rules in the bytecode, measures what each kind of lookup costs, and fixes each
# symptom.
#
# **Learning objectives.** By the end you can:
# - **name** the scope Python searches for each name in a function (Local, Enclosing, Global,
#   Built-in) and **check** it in the bytecode with `dis`;
# - **measure** what a lookup in each scope costs in a hot loop, and **judge** when caching a
#   global in a local is worth it;
# - **explain** an `UnboundLocalError` and **fix** it with `global` or `nonlocal`, and **build**
#   closures that keep state with `nonlocal`;
# - **fix** closures created in a loop, and **say** why class bodies and comprehensions are
#   scopes of a different kind (and what Python 3.12 changed);
# - **use** name mangling for what it protects against, and not for privacy.
#
# **Prerequisites:** functions, classes, and comprehensions.
# [03 · Generators and async](03_generators_async.ipynb) shows comprehensions and generator
# expressions side by side; [01 · The GIL](01_gil.ipynb) explains why `count += 1` is not
# thread-safe, which matters for the counters of section 3.

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import dis
import functools
import itertools
import sys
import traceback

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.scopes import bytecode, lookups
from advpy.lessons.scopes.plots import plot_lookups
from advpy.lessons.timing import load_note

print(machine_summary())
print("Python", sys.version.split()[0])

# %% [markdown]
# ## 1. LEGB: where Python looks for a name
#
# When a function reads a name, Python searches four places, in this order:
#
# 1. **Local**: the function's own variables (its parameters and every name it assigns);
# 2. **Enclosing**: the local variables of the functions it is written inside, innermost first;
# 3. **Global**: the variables of its module (in a notebook, the notebook's own namespace);
# 4. **Built-in**: the names of the `builtins` module (`len`, `print`, `ValueError`...).
#
# The search is not done by trial at run time. When a function is compiled, the compiler
# decides for every name which of these it is, and emits a different instruction for each kind.
# An invoice line, with a name from every scope:

# %%
tax_rate = 0.2  # global


def make_invoice(customer):  # `customer` is local to make_invoice
    currency = "EUR"  # local to make_invoice, enclosing for `line`

    def line(amount):  # `amount` is local to `line`
        total = amount * (1 + tax_rate)
        return f"{customer}: {round(total, 2)} {currency}"

    return line


line = make_invoice("ada")
print(line(100))

# %% [markdown]
# `dis` shows the bytecode of `line`. Look at the instructions that start with `LOAD_`:

# %%
dis.dis(line)

# %% [markdown]
# `bytecode.describe_loads` keeps only the instructions that read a variable, and says which
# scope each one searches:

# %%
print(bytecode.describe_loads(line))

# %% [markdown]
# **What to notice.**
# - `amount` and `total` are read with a `LOAD_FAST` instruction: locals live in an array
#   inside the function's frame, and the instruction carries the slot number. (Python 3.12 adds
#   `LOAD_FAST_CHECK` for a local that might not be assigned yet, 3.13 fuses two local reads
#   into `LOAD_FAST_LOAD_FAST`, 3.14 adds `LOAD_FAST_BORROW`; all are the local kind. The
#   listing above is what this interpreter emits.)
# - `customer` and `currency` are read with `LOAD_DEREF`: they belong to `make_invoice`, and
#   `line` reaches them through **cells**, small boxes that both functions share.
# - `tax_rate` (a global) and `round` (a built-in) are both read with `LOAD_GLOBAL`: one
#   instruction that searches the module's globals and then the built-ins. The compiler cannot
#   tell them apart, because a module can gain or lose a global at any moment.
#
# The code object records the compiler's decisions in its name tables:

# %%
for function in (make_invoice, line):
    print(f"{function.__name__}:")
    for table, names in bytecode.code_names(function).items():
        print(f"  {table:<50} {names}")

# %% [markdown]
# And the function object carries the cells it closes over: `__closure__` holds one cell per
# free variable, in the order of `co_freevars`.

# %%
for name, cell in zip(line.__code__.co_freevars, line.__closure__, strict=True):
    print(f"{name} -> {cell.cell_contents!r}")

# %% [markdown]
# ### Try it
# Before running `bytecode.describe_loads` on it, predict the instruction for each name read in
# `scale` below. Then check, and explain the one that surprised you.
# (Answer: [tryit/07 § 1](../solutions/tryit/07_scopes.md#1-instructions-for-each-name).)
#
# ```python
# factor = 3
#
# def outer(offset):
#     def scale(values):
#         return [v * factor + offset for v in values] + [len(values)]
#     return scale
# ```

# %%
# Your experiment here.

# %% [markdown]
# ### 1.1 What a lookup costs
#
# A common tip says: inside a hot loop, copy globals and built-ins into locals, because local
# lookups are faster. Let us measure instead of believing. `lookups` compiles one function per
# scope whose loop reads a name ten times per pass, for example:

# %%
print(lookups.loop_source("global"))
print(lookups.loop_source("built-in"))

# %% [markdown]
# The local, enclosing and empty-loop versions are the same loop with `value` as a local, as a
# variable of an enclosing function, or with no reads at all. `measure_lookups` times each
# (the best of several runs, the kinds taking turns, in CPU time of this thread so that waiting
# for a busy core is not counted), subtracts the empty loop, and divides by the number of
# reads. Each read is a bare expression statement: a load and a discard, and the
# discard costs the same for every kind. For scale, the same loop calling `len(value)` ten
# times per pass is timed too.

# %%
print(load_note())
records = lookups.measure_lookups(
    pick(2_000_000, 100_000), repeats=pick(7, 5), kinds=[*lookups.KINDS, lookups.CALL]
)
for kind, ns, ratio in lookups.compare_to_local(records):
    print(f"{kind:>15}: {ns:5.2f} ns, {ratio:4.1f}x the local lookup")
print(lookups.describe_spread(records))

# %%
fig, ax = plot_lookups(records)

# %% [markdown]
# Why is the gap so small, when globals and built-ins are kept in dictionaries? Since
# Python 3.11 the interpreter **specialises** instructions that have run a few times: it
# rewrites `LOAD_GLOBAL` into a form that remembers where the name was found and only checks
# that the dictionaries have not changed since. `dis` with `adaptive=True` shows the rewritten
# instructions of two of the functions timed (`range` runs only once per call, so it may not
# have been rewritten yet):

# %%
for kind in ("global", "built-in"):
    warm = lookups.lookup_function(kind)
    warm(1_000)  # run it enough for the interpreter to specialise it
    print(f"{kind}:\n{bytecode.describe_loads(warm, adaptive=True)}")

# %% [markdown]
# **What to notice.**
# - The spread between the four scopes is a nanosecond or two per read (the sentence under the
#   table gives this run's gap): a million reads of the slowest kind cost that many
#   milliseconds more than a million reads of the fastest. Differences of a few tenths of a
#   nanosecond between two kinds are within the noise of a run; run the cell again and the
#   order of close neighbours may change.
# - One call of `len`, the cheapest call there is, costs several times the whole gap. A loop
#   that does any real work per pass spends far more on the work than on finding its names.
# - A built-in is the last of the four places searched: the `LOAD_GLOBAL` that finds it
#   checks two dictionaries (globals, then built-ins) where a global needs one. Locals are read
#   from the frame's array by position, with no dictionary at all.
# - So copying `len` into a local (`local_len = len`) before a loop is a micro-optimisation:
#   worth measuring in the hottest loop of a program, not worth making code harder to read
#   elsewhere. Much of the advice to do it predates the specialised instructions of 3.11.

# %% [markdown]
# ### Try it
# A module attribute is one step further than a global: `math.pi` is a global lookup (`math`)
# plus an attribute lookup (`pi`). Time a loop that reads `math.pi` against one that reads
# `pi` after `from math import pi` (write two small functions and use
# `timing.best_time(5, f, 1_000_000)` from `advpy.lessons.timing`). Predict the gap first.
# (Answer: [tryit/07 § 2](../solutions/tryit/07_scopes.md#2-an-attribute-in-the-loop).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. An assignment makes a name local: `UnboundLocalError`
#
# The compiler's rule for a function is short: **a name that is assigned anywhere in the
# function is local in all of it**, from the first line, whether or not the assignment has run
# yet. A page-hit counter kept in a global:

# %%
hits = 0


def record_hit():
    # An assignment: so `hits` is local in the whole of record_hit.
    hits += 1  # noqa: F823, F841


try:
    record_hit()
except UnboundLocalError as error:
    print(f"{type(error).__name__}: {error}")
print("UnboundLocalError is a kind of NameError:", issubclass(UnboundLocalError, NameError))

# %% [markdown]
# `hits += 1` reads `hits` and then assigns it. Because of the assignment, the compiler made
# `hits` local, and the read found the local slot still empty. The assignment does not even
# have to be reachable:


# %%
def report():
    print(hits)  # noqa: F823 (fails, although the assignment below can never run)
    if False:
        hits = 0  # noqa: F841


try:
    report()
except UnboundLocalError as error:
    print(f"{type(error).__name__}: {error}")
print(bytecode.describe_loads(report))

# %% [markdown]
# **What to notice.** The compiler looked at the whole function, saw an assignment to `hits`
# and compiled every read of it as a local read (`hits` is read with a `LOAD_FAST...`
# instruction above, not `LOAD_GLOBAL`). What counts as an assignment is wider than `=`:
# augmented assignment (`+=`), `for hits in ...`, `import hits`, `def hits`, `class hits`,
# `with ... as hits`, `except ... as hits`, `del hits`, `hits := ...`, a parameter named
# `hits`, and a `match` pattern that captures `hits`. Any one of them, anywhere in the
# function, makes the name local.

# %% [markdown]
# ## 3. `global` and `nonlocal`
#
# A declaration overrides the compiler's rule for one name. `global hits` says: in this
# function, `hits` is the module's variable, read and assigned there.


# %%
def record_hit():
    global hits
    hits += 1


record_hit()
record_hit()
print("hits:", hits)

# %% [markdown]
# That works, and there is exactly one counter for the whole program: every caller, every
# test and every thread shares it. `nonlocal` does the same for a variable of an enclosing
# function, which gives each call of the outer function its own state:


# %%
def make_counter():
    count = 0

    def increment():
        nonlocal count  # assign the `count` of make_counter, not a new local
        count += 1
        return count

    return increment


pages, images = make_counter(), make_counter()
pages()
pages()
print("pages:", pages(), "| images:", images())
print(pages.__code__.co_freevars, "->", [cell.cell_contents for cell in pages.__closure__])

# %% [markdown]
# Each call of `make_counter` creates a new `count`, in a new cell; `pages` and `images` each
# hold their own. A declaration is only needed to **rebind** a name. Changing an object that a
# name refers to (appending to a list, setting a dict key) reads the name and assigns nothing:


# %%
def make_log():
    events = []

    def log(event):
        events.append(event)  # reads `events`, mutates the list: no nonlocal needed
        return len(events)

    return log


audit = make_log()
audit("login")
print("events logged:", audit("logout"))

# %% [markdown]
# `nonlocal` needs a variable of that name in an enclosing **function**; the compiler checks
# it, so the mistakes are syntax errors, raised before anything runs:

# %%
for source in (
    "def f():\n    nonlocal missing\n",
    "total = 0\ndef f():\n    nonlocal total\n",
    "nonlocal total\n",
):
    try:
        compile(source, "<example>", "exec")
    except SyntaxError as error:
        print(f"SyntaxError: {error.msg}")

# %% [markdown]
# **What to notice.** The second case is the common one: `nonlocal` never reaches a module's
# global, only a function's local. A closure with `nonlocal` is the lightest way to keep
# private state between calls: no class, no global, one instance per factory call. Like any
# read-modify-write, `count += 1` is not atomic: two threads calling the same `increment` can
# lose updates ([01 · The GIL](01_gil.ipynb) measures such a race), so guard it with a lock if
# threads share it.

# %% [markdown]
# ### Try it
# Write `make_averager()` that returns a function `add(x)`: each call records one number and
# returns the mean of all numbers given so far, keeping only a running total and a count (not a
# list). Check that two averagers do not interfere.
# (Answer: [tryit/07 § 3](../solutions/tryit/07_scopes.md#3-a-running-mean-with-nonlocal).)

# %%
# Your experiment here.

# %% [markdown]
# ## 4. Late binding: closures created in a loop
#
# A closure stores the **variable**, not its value at the moment the function was made. The
# value is looked up each time the function runs. Create closures in a loop, call them after
# the loop has moved on, and they all see the variable's last value:

# %%
handlers = {}
for level in ["info", "warning", "error"]:
    handlers[level] = lambda message: f"[{level}] {message}"  # noqa: B023

print(handlers["info"]("service started"))

# %% [markdown]
# Here `level` is a global of the notebook, and the loop left it at `"error"`. Inside a
# function the same happens through a cell: every closure made by the comprehension below
# shares **one** cell, which holds the comprehension's `level` after its last pass.


# %%
def make_handlers(levels):
    return [lambda message: f"[{level}] {message}" for level in levels]  # noqa: B023


broken = make_handlers(["info", "warning", "error"])
print([handler("hello") for handler in broken])
print("all three share one cell:", broken[0].__closure__[0] is broken[2].__closure__[0])

# %% [markdown]
# Three ways to give each function its own value. **A factory function**: every call creates
# a new local, and so a new cell.


# %%
def handler_for(level):
    return lambda message: f"[{level}] {message}"


fixed = [handler_for(level) for level in ["info", "warning", "error"]]
print([handler("hello") for handler in fixed])
print("separate cells:", fixed[0].__closure__[0] is not fixed[2].__closure__[0])

# %% [markdown]
# **`functools.partial`**: binds the argument's value now, in an object, and needs no closure.


# %%
def format_message(level, message):
    return f"[{level}] {message}"


partials = [functools.partial(format_message, level) for level in ["info", "warning", "error"]]
print([handler("hello") for handler in partials])

# %% [markdown]
# **A default argument** (`level=level`): defaults are evaluated once, when the function is
# defined, so each lambda stores the value of that pass. It is the shortest fix and the most
# common one, with a cost: `level` is now a parameter that any caller can pass, by mistake or
# not, and a wrong number of arguments no longer fails.

# %%
defaults = [lambda message, level=level: f"[{level}] {message}" for level in ["info", "error"]]
print([handler("hello") for handler in defaults])
print(defaults[0]("hello", "oops"))  # a second argument silently replaces the level

# %% [markdown]
# **What to notice.** All three fixes work because they evaluate `level` when each function is
# **made**, and store the result where nothing else can change it: a new cell per call, an
# attribute of a `partial` object, a default value. The bug is not specific to `lambda`: a
# `def` inside a loop, a callback registered in a loop (a button, a signal handler, a thread's
# target), a generator expression consumed later, all read the variable when they run.

# %% [markdown]
# ### Try it
# Make `[lambda: i * i for i in range(3)]` return 0, 1 and 4 when called, once with a
# default argument and once with a factory function. For each version, look at
# `__closure__` of the functions: which one has no closure at all, and why?
# (Answer: [tryit/07 § 4](../solutions/tryit/07_scopes.md#4-what-each-fix-keeps).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Class bodies are not enclosing scopes
#
# A `class` statement runs its body once, like a function, and turns the names it assigns
# into the class's attributes. But a class body is **not** an enclosing scope for the functions
# written inside it: a method cannot read a class attribute by its bare name.


# %%
class Invoice:
    rate = 0.2

    def total(self, amount):
        return amount * (1 + rate)  # searched in L, E, G, B: the class is none of them


try:
    Invoice().total(100)
except NameError as error:
    print(f"NameError: {error}")

# %% [markdown]
# Methods reach class attributes through the instance or the class: `self.rate` (which also
# finds a subclass's override, or a value set on one instance) or `type(self).rate`. The same
# rule applies to comprehensions in a class body, which are scopes of their own:

# %%
try:

    class Grid:
        size = 3
        cells = [(row, col) for row in range(size) for col in range(size)]

except NameError as error:
    print(f"NameError: {error}")

# %% [markdown]
# The first `range(size)` worked: the outermost iterable of a comprehension is evaluated in
# the surrounding scope (here the class body) before the comprehension starts. The second one
# runs inside the comprehension, where the class's `size` is invisible. This is the same on
# every Python version, the inlined comprehensions of 3.12 included (section 6). Fixes: use
# class names only in the outermost iterable, call a function evaluated in the class body
# (its arguments are evaluated there), or build the value in a function that takes `size` as
# a parameter.


# %%
class Grid:
    size = 3
    cells = list(itertools.product(range(size), repeat=2))  # arguments evaluated in the class


print(Grid.cells[:4], "...", len(Grid.cells), "cells")

# %% [markdown]
# **What to notice.** The class body's names become attributes, not variables: inside methods
# they are reached as attributes, which is what makes inheritance work (a subclass that sets
# `rate = 0.1` changes what `self.rate` finds). If methods saw the class body's variables
# directly, an override in a subclass would be ignored.

# %% [markdown]
# ## 6. Comprehensions have their own scope (and Python 3.12 inlined them)
#
# The loop variable of a comprehension does not leak into the code around it; the loop
# variable of a `for` statement does:

# %%
n = "outer"
squares = [n * n for n in range(4)]
print(squares, "| n after the comprehension:", n)

for n in range(4):  # noqa: B007
    pass
print("n after the for loop:", n)

# %% [markdown]
# One exception, on purpose: an assignment expression (`:=`) inside a comprehension binds the
# name in the **surrounding** scope, so that a comprehension can hand a value out:

# %%
values = [3, 8, 12, 5]
if any((big := v) > 10 for v in values):
    print("first value above 10:", big)

# %% [markdown]
# **How the scope is made.** Up to Python 3.11 every list, set and dict comprehension was
# compiled into a hidden function, which was created and called each time the comprehension
# ran. **PEP 709** (Python 3.12) *inlines* list, set and dict comprehensions into the code that
# contains them: no hidden function and no call, with the loop variables still kept apart (the
# compiler saves and restores any outer variable of the same name). Generator expressions are
# not inlined: a generator needs its own frame to pause in. What this interpreter does:


# %%
def squares_up_to(limit):
    return [k * k for k in range(limit)]


def lazy_squares(limit):
    return (k * k for k in range(limit))


print("Python", sys.version.split()[0])
print("list comprehension inlined:", bytecode.comprehensions_are_inlined())
print("code objects inside squares_up_to:", bytecode.nested_code_names(squares_up_to))
print("code objects inside lazy_squares:", bytecode.nested_code_names(lazy_squares))

# %% [markdown]
# Two differences you can see without `dis`: whether a traceback has a frame for the
# comprehension, and what `locals()` returns inside it.


# %%
def inverses(limit):
    return [1 / k for k in range(limit)]


try:
    inverses(3)
except ZeroDivisionError as error:
    frames = [frame.name for frame in traceback.extract_tb(error.__traceback__)]
    print("frames in the traceback:", frames[1:])


def peek():
    outside = "a local of peek"  # noqa: F841
    return [sorted(locals()) for _ in range(1)][0]


print("locals() inside the comprehension:", peek())

# %% [markdown]
# **What to notice.** Up to 3.11 the traceback shows a `<listcomp>` frame and `locals()` sees
# only the comprehension's own variables (including the hidden `.0`, the iterator it was
# given); from 3.12 the frame is gone and `locals()` also shows `outside`. The lines above say
# which one this interpreter is. What did **not** change: the loop variable still does not leak,
# and a comprehension in a class body still cannot see the class's names (section 5). The
# motivation of PEP 709 was speed (no function object to create and call per run); this
# notebook runs on one interpreter and cannot compare two, so it makes no claim about how much.

# %% [markdown]
# ## 7. Shadowing built-ins
#
# Built-ins are searched last, so any global or local with the same name hides them. In a
# notebook a global lives until the kernel restarts, so one careless cell breaks every later
# one:

# %%
list = ["apples", "pears"]  # a global named `list` now hides the built-in
try:
    list("abc")
except TypeError as error:
    print(f"TypeError: {error}")

# %%
del list  # remove the global: the lookup falls through to the built-in again
print(list("abc"))

# %% [markdown]
# Inside a function, a parameter or local named `id`, `type`, `input`, `filter`, `max` or `sum`
# hides the built-in for that function only: less damage, but the built-in is out of reach in
# that function. The built-ins stay available as attributes of the `builtins` module
# (`import builtins; builtins.list`). Linters catch most of these (ruff's `A` rules, from
# flake8-builtins).
#
# **What to notice.** A `TypeError: 'list' object is not callable` far from any assignment is
# the signature of a shadowed built-in. `del name` at the top level removes a shadowing global;
# restarting the kernel removes all of them.

# %% [markdown]
# ## 8. Name mangling: `__name` inside a class
#
# Inside a class body, an identifier written with two leading underscores and at most one
# trailing underscore, such as `__balance`, is renamed by the compiler to `_ClassName__balance`.
# It happens at compile time, to every such name in the class, wherever it is used.


# %%
class Account:
    def __init__(self, balance):
        self.__balance = balance  # compiled as self._Account__balance

    def balance(self):
        return self.__balance


account = Account(100)
print(vars(account))
print(Account.balance.__code__.co_names)

# %% [markdown]
# **What it protects against: name clashes in subclasses.** A base class and a subclass
# written by different people can both use `self._state` and overwrite each other's. With
# `__token`, each class gets its own attribute:


# %%
class Base:
    def __init__(self):
        self._state = "base"
        self.__token = "base token"

    def base_token(self):
        return self.__token


class Plugin(Base):
    def __init__(self):
        super().__init__()
        self._state = "plugin"  # one underscore: the same attribute as Base's, overwritten
        self.__token = "plugin token"  # two: a separate _Plugin__token


plugin = Plugin()
print(vars(plugin))
print("Base still finds its own token:", plugin.base_token())

# %% [markdown]
# **What it does not do: make anything private.** The mangled name is an ordinary attribute
# that anyone can read and write, and `vars()` lists it:

# %%
print(account._Account__balance)
account._Account__balance = 1_000_000
print("balance():", account.balance())

# %% [markdown]
# Mangling is done to identifiers in the source, not to strings, so it never happens outside a
# class body, nor to a name given as a string:

# %%
for attempt in ("account.__balance", "getattr(account, '__balance')"):
    try:
        eval(attempt)
    except AttributeError as error:
        print(f"{attempt}: AttributeError: {error}")

# %% [markdown]
# And it happens to *every* `__name` in the class body, globals included, which can surprise:

# %%
__limit = 10  # a global whose name starts with two underscores


class Quota:
    def limit(self):
        return __limit  # compiled as _Quota__limit, which does not exist


try:
    Quota().limit()
except NameError as error:
    print(f"NameError: {error}")

# %% [markdown]
# **What to notice.** Use `__name` when you write a class meant to be subclassed by others and
# need an attribute no subclass can clobber by accident. For "internal, do not touch", the
# convention is one underscore (`_balance`); Python has no private attributes, and mangling is
# not one. Names with two underscores on both sides (`__init__`, `__len__`) are never mangled.

# %% [markdown]
# ### Try it
# Predict, then check: what does `hasattr(account, "__balance")` return? And
# `hasattr(account, "_Account__balance")`? Then write a subclass `Savings(Account)` whose
# method reads `self.__balance`: what happens when you call it, and why?
# (Answer: [tryit/07 § 5](../solutions/tryit/07_scopes.md#5-mangled-names-from-outside).)

# %%
# Your experiment here.

# %% [markdown]
# ## Pitfalls and under the hood
#
# **`except ... as name` deletes the name.** At the end of the `except` block Python deletes
# the name, so that the exception (and its traceback, which holds every frame) is not kept
# alive. An outer variable of the same name is gone afterwards:

# %%
problem = "a value set before the try"
try:
    1 / 0
except ZeroDivisionError as problem:  # noqa: F841
    pass
try:
    print(problem)
except NameError as error:
    print(f"NameError: {error}")

# %% [markdown]
# Keep the exception with another assignment inside the block (`saved = problem`) if you need
# it later.
#
# **Writing to `locals()` changes nothing.** Inside a function, `locals()` returns a dictionary
# built from the frame's variables; assigning into it does not change them. (Python 3.13 made
# that dictionary a fresh snapshot at every call, PEP 667; in no version do writes reach the
# function's variables.)


# %%
def try_to_set():
    x = 1
    locals()["x"] = 2
    return x


print("x is still", try_to_set())

# %% [markdown]
# **Closures keep their cells alive.** A function made by a factory keeps every cell it uses,
# and the cells keep their objects, for as long as the function lives. A handler that closes
# over a large object keeps it in memory ([02 · Memory](02_memory.ipynb) shows how to find what
# holds an object).
#
# **Scopes are decided at compile time, lookups happen at run time.** Which *kind* of lookup a
# name gets is fixed when the function is compiled; the *value* found is whatever the variable
# holds when the line runs. That one sentence explains `UnboundLocalError` (the kind was fixed
# by a later assignment) and late binding (the value is read at call time).

# %% [markdown]
# ## Summary
#
# - Python searches a name in the Local, Enclosing, Global and Built-in scopes, in that order,
#   and the compiler picks the kind of lookup for each name in advance: `LOAD_FAST` (and its
#   variants) for locals, `LOAD_DEREF` for cells shared with an enclosing function,
#   `LOAD_GLOBAL` for globals and built-ins.
# - On this interpreter the four kinds of lookup differ by about a nanosecond (measured above):
#   caching a built-in in a local is a micro-optimisation for the hottest loops only.
# - An assignment anywhere in a function makes a name local in all of it; reading it first
#   raises `UnboundLocalError`. `global` and `nonlocal` redirect assignments; `nonlocal`
#   closures keep private state per factory call.
# - Closures read variables when they run, not when they are made: closures created in a loop
#   need a factory function, `functools.partial`, or a default argument (which adds a
#   parameter).
# - Class bodies are not enclosing scopes: methods and comprehensions in a class reach class
#   attributes through `self` or the class. Comprehensions have their own scope; 3.12 inlines
#   list, set and dict comprehensions without changing what they can see.
# - A global or local with a built-in's name hides it. `__name` in a class is mangled to
#   `_Class__name`: it prevents clashes with subclasses, it does not make anything private.
#
# **Graded exercises:** [exercises/ps07_scopes.ipynb](exercises/ps07_scopes.ipynb): fix
# closures created in a loop, write an accumulator factory with `nonlocal`, and predict what
# nine short programs print.
