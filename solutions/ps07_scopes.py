# %% [markdown]
# # ps07 · Scopes: closures in loops, `nonlocal` state, predictions (22 points)
#
# Three exercises on [07 · Scopes](../07_scopes.ipynb):
#
# - **Part A** · `make_scalers(factors)`: closures created in a loop, each remembering its own
#   value (6 points);
# - **Part B** · `make_accumulator(start)`: private running state with `nonlocal`, one
#   independent total per accumulator (7 points);
# - **Part C** · predict what nine short programs print, and write your predictions down as
#   data (9 points).
#
# **How this notebook is graded.** You write your answers in the answer cells. The test cells
# below each part check them and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check`
# run the visible ones): passing the visible checks is necessary, not sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import functools
import inspect
import operator
import types

# %% [markdown]
# ## Part A · `make_scalers`: closures created in a loop
#
# A report applies one of several conversion factors to every amount, and the factors are
# only known at run time. Write `make_scalers(factors)` that returns one function per factor:
#
# ```python
# scalers = make_scalers([1, 2, 3])
# [scale(10) for scale in scalers]   # [10, 20, 30]
# ```
#
# The obvious version, `[lambda x: x * f for f in factors]`, returns `[30, 30, 30]`: every
# lambda reads the same variable `f`, and reads it when it is called, after the loop has left
# it at the last factor (section 4 of the lesson).
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `factors` is any iterable of numbers: a list, a tuple, a range, a generator (which can be
#   iterated only once).
# - `make_scalers` returns a plain `list` holding one function per factor, in the order of
#   `factors`; no factors: `[]`.
# - `scalers[k](x)` returns `x * f`, where `f` is the `k`-th factor, for any number `x`.
# - Each function keeps the factor it was made with: calling it after `make_scalers` has
#   returned, after the list passed in was changed, or after another call of `make_scalers`,
#   gives the same result.
# - Each function takes **exactly one** argument: calling it with none or with two raises
#   `TypeError`. (So the default-argument fix, `lambda x, f=f: ...`, which quietly accepts a
#   second argument, does not meet the contract: use a factory function or
#   `functools.partial`.)

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Each function needs a variable of its own that holds its factor. Where does Python create a
# new variable every time? In every call of a function.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# Write a small factory `def scaler_for(f):` that returns `lambda x: x * f`, and build the
# list with one call of `scaler_for` per factor.
# </details>


# %% nbgrader="solution" grade_id="make_scalers_answer"
def make_scalers(factors):
    """Return a list of one-argument functions; the k-th returns x * (the k-th factor)."""

    ### BEGIN SOLUTION
    def scaler_for(factor):
        def scale(x):
            return x * factor

        return scale

    return [scaler_for(factor) for factor in factors]
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
scalers = make_scalers([1, 2, 3])
print([scale(10) for scale in scalers])

# %% [markdown]
# ### Check A1 · the worked example (2 points)

# %% nbgrader="tests" grade_id="make_scalers_tests_examples" points=2
"""make_scalers returns a plain list with one function per factor, in order, and each
multiplies its argument by its own factor."""
from advpy.checks import expect_same, expect_type

scalers = make_scalers([1, 2, 3])
expect_type(scalers, list, "make_scalers([1, 2, 3]) must return a list")
expect_same(
    [scale(10) for scale in scalers],
    [10, 20, 30],
    "each scaler of make_scalers([1, 2, 3]), called on 10",
    show=True,
)
expect_same(make_scalers([]), [], "make_scalers([])", show=True)
### BEGIN HIDDEN TESTS
_scalers = make_scalers([0.5, 2.5, -1, 0])
expect_type(_scalers, list, "make_scalers must return a list")
expect_same(
    [_scale(4) for _scale in _scalers],
    [2.0, 10.0, -4, 0],
    "scalers with float, negative and zero factors gave wrong results",
)
_many = list(range(2, 9))
_scalers = make_scalers(_many)
expect_same(len(_scalers), len(_many), "make_scalers must return one function per factor")
expect_same(
    [_scale(3) for _scale in reversed(_scalers)],
    [3 * _f for _f in reversed(_many)],
    "scalers called in another order than they were made gave wrong results",
)
expect_same(
    [_scale(1.5) for _scale in make_scalers([2, 2])],
    [3.0, 3.0],
    "a float argument must give x * factor exactly (a float here)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · each function keeps its own factor (2 points)
# After `make_scalers` has returned, after the list passed in has changed, for any iterable.

# %% nbgrader="tests" grade_id="make_scalers_tests_own_value" points=2
"""Each function keeps the factor it was made with, whatever happens to the input afterwards;
any iterable of factors works, a generator included."""
from advpy.checks import beside, expect_same


def scaled_after_change(factors, changed, x):
    """make_scalers(factors), then the list changed to hold `changed`: each scaler on x.
    (Run with `beside`, where your code runs, so the list changed is the one it was given.)"""
    scalers = make_scalers(factors)
    factors[:] = changed
    return [scale(x) for scale in scalers]


expect_same(
    beside(scaled_after_change, [2, 5], [100, 5], 3),
    [6, 15],
    "make_scalers([2, 5]) on 3, after the list was changed to [100, 5]",
    show=True,
)
expect_same(
    [scale(3) for scale in make_scalers(f for f in (4, 6))],
    [12, 18],
    "make_scalers(a generator of 4 and 6) on 3",
    show=True,
)
### BEGIN HIDDEN TESTS
_first = make_scalers([7, 8])
_second = make_scalers([-1, -2, -3])
expect_same(
    [_scale(2) for _scale in _first],
    [14, 16],
    "scalers made by an earlier call of make_scalers changed after another call",
)
expect_same(
    beside(scaled_after_change, [1, 2, 3], [9, 9, 9, 9], 5),
    [5, 10, 15],
    "the scalers changed when the list passed in was emptied and refilled",
)
expect_same(
    [_scale(1) for _scale in make_scalers(range(3, 6))],
    [3, 4, 5],
    "a range of factors must work like a list",
)
expect_same(
    [_scale(2) for _scale in make_scalers((10, 20))],
    [20, 40],
    "a tuple of factors must work like a list",
)
expect_same(
    [_scale(2) for _scale in make_scalers(iter([3, 1, 4]))],
    [6, 2, 8],
    "an iterator (no len(), no indexing, read once) must work like a list",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · exactly one argument (2 points)

# %% nbgrader="tests" grade_id="make_scalers_tests_one_argument" points=2
"""Each function takes exactly one argument: a second one (the default-argument trick's
hidden parameter) raises TypeError instead of changing the factor."""
from advpy.checks import expect_raises

scalers = make_scalers([2, 3])
expect_raises(
    lambda: scalers[0](10, 5),
    TypeError,
    "a scaler called with two arguments must raise TypeError (a default argument such as "
    "f=f adds a parameter: use a factory function or functools.partial)",
)
### BEGIN HIDDEN TESTS
for _scale in make_scalers([4, 5, 6]):
    expect_raises(
        functools.partial(_scale, 1, 2),
        TypeError,
        "every scaler, not only the first, must refuse a second argument with TypeError",
    )
    expect_raises(_scale, TypeError, "a scaler called with no argument must raise TypeError")
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `make_accumulator`: private state with `nonlocal`
#
# A request handler counts the bytes it has sent, a report adds up amounts as they arrive.
# Write `make_accumulator(start=0)`, which returns a function `add` that keeps a running total:
#
# ```python
# add = make_accumulator(10)
# add(5)    # 15: adds 5 and returns the new total
# add(-3)   # 12
# add()     # 12: no argument returns the total without changing it
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `start` and every amount are numbers (int, float, `fractions.Fraction`...); `start`
#   defaults to `0`.
# - The total begins as `start` itself. `add(amount)` adds `amount` to the total
#   (`total + amount`, one call at a time, in the order of the calls) and returns the new
#   total. `add()` returns the total unchanged. So the results are exactly what Python's
#   arithmetic gives: `make_accumulator(0.0)()` is the float `0.0`, `make_accumulator(5)(0.0)`
#   is `5.0`, and integers never turn into floats on their own.
# - Every accumulator is independent: accumulators made by different calls of
#   `make_accumulator`, used in any order, never see each other's totals.
# - `make_accumulator` returns a plain function (a `def` or a `lambda`), not an object of a
#   class you write, and keeps the total in its closure: not in a global, not in an attribute
#   of the function.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Section 3 of the lesson: `make_counter`. A variable of `make_accumulator`, assigned inside
# `add`, needs one declaration.
# </details>
#
# <details><summary>Hint 2 (no argument)</summary>
#
# Give `amount` a default that no caller passes as an amount, and test for it with `is`:
# `if amount:` would also skip an amount of `0.0`, which must still turn an int total into a
# float.
# </details>


# %% nbgrader="solution" grade_id="make_accumulator_answer"
def make_accumulator(start=0):
    """Return add(amount): adds amount to a running total that begins at start, and returns
    the total; add() returns the total unchanged."""
    ### BEGIN SOLUTION
    total = start

    def add(amount=None):
        nonlocal total
        if amount is not None:
            total += amount
        return total

    return add
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
add = make_accumulator(10)
print(add(5), add(-3), add())

# %% [markdown]
# ### Check B1 · the worked example (2 points)

# %% nbgrader="tests" grade_id="make_accumulator_tests_examples" points=2
"""add(amount) returns the new running total, add() the total unchanged; the total starts at
`start`, 0 by default."""
from advpy.checks import expect_same

add = make_accumulator(10)
expect_same([add(5), add(-3), add()], [15, 12, 12], "add(5), add(-3), add() from 10", show=True)
expect_same(make_accumulator()(), 0, "make_accumulator()() (the default start)", show=True)
### BEGIN HIDDEN TESTS
_add = make_accumulator()
expect_same(
    [_add(1), _add(2), _add(3), _add(), _add(4)],
    [1, 3, 6, 6, 10],
    "a running total from the default start gave wrong totals",
)
_add = make_accumulator(-7)
expect_same([_add(), _add(), _add(7)], [-7, -7, 0], "add() must not change the total")
_add = make_accumulator(3)
for _ in range(50):
    _add(2)
expect_same(_add(), 103, "the total after many calls is wrong")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · independent accumulators, no shared state (3 points)

# %% nbgrader="tests" grade_id="make_accumulator_tests_independent" points=3
"""Accumulators used in turn keep separate totals; make_accumulator returns a plain function
that keeps its total in its closure (no global, no class, no function attribute)."""
from advpy.checks import beside, expect, expect_same

first, second = make_accumulator(), make_accumulator(100)
first(1)
second(2)
first(3)
expect_same([first(), second()], [4, 102], "two accumulators used in turn", show=True)


def _is_function(value):
    # Runs where the answer runs: a def or a lambda, exactly (not an object of a class, not a
    # method).
    return type(value) is type(lambda: None)


expect(
    beside(_is_function, first),
    "make_accumulator must return a function (a def or a lambda), not an object of a class "
    "or a method",
)
### BEGIN HIDDEN TESTS
_a = make_accumulator(1)
_a(10)
_b = make_accumulator(2)  # made after _a was used: must not reset or replace _a's total
_c = make_accumulator()
_b(20)
_c(5)
_a(100)
expect_same(
    [_a(), _b(), _c()],
    [111, 22, 5],
    "accumulators made and used in turn must keep separate totals (is the total stored "
    "outside each accumulator's closure?)",
)
for _made in (make_accumulator(), make_accumulator(0.5)):
    expect(
        beside(_is_function, _made),
        "make_accumulator must return a plain function, not an object of a class or a method",
    )
    _made(1)
    expect(
        beside(lambda value: vars(value) == {}, _made),
        "the accumulator keeps its total in an attribute of the function: keep it in a "
        "closure variable (nonlocal) instead",
    )
expect(
    _a.__closure__ is not None,
    "the accumulator must keep its total in its closure (a variable of make_accumulator)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · exact values (2 points)
# Start values that look false, floats, large integers: the total is exactly what `+` gives.

# %% nbgrader="tests" grade_id="make_accumulator_tests_exact" points=2
"""The total is exactly what adding the amounts with + in call order gives: start values that
look false are kept as they are, an int never turns into a float on its own."""
from advpy.checks import expect_same

add = make_accumulator(1)
expect_same(add(2.5), 3.5, "make_accumulator(1), then add(2.5)", show=True)
big = make_accumulator(10**20)
expect_same(big(1), 10**20 + 1, "make_accumulator(10**20), then add(1)", show=True)
### BEGIN HIDDEN TESTS
import fractions as _fractions

from advpy.checks import beside as _beside
from advpy.checks import expect as _expect

expect_same(
    make_accumulator(0.0)(),
    0.0,
    "a start of 0.0 must be kept as it is (the float 0.0): a start that looks false is "
    "still the start",
)
expect_same(
    make_accumulator(False)(),
    False,
    "the total must begin as `start` itself, even when start looks false",
)
expect_same(
    make_accumulator(5)(0.0),
    5.0,
    "adding 0.0 to an int total must give a float, as + does: an amount that looks false "
    "is still an amount",
)
_add = make_accumulator(0.1)
_add(0.2)
expect_same(
    _add(0.3),
    (0.1 + 0.2) + 0.3,
    "floats must be added one call at a time, in call order (float addition is not associative)",
)
_add = make_accumulator(_fractions.Fraction(0))
_add(_fractions.Fraction(1, 3))
_total = _add(_fractions.Fraction(1, 6))


def _is_exactly_one_half(value):
    # Runs where the answer runs: a Fraction, exactly, equal to 1/2.
    import fractions

    return type(value) is fractions.Fraction and value == fractions.Fraction(1, 2)


_expect(
    _beside(_is_exactly_one_half, _total),
    "Fractions must add up exactly, as Fractions (a start of Fraction(0) looks false)",
)
expect_same(make_accumulator(0)(7), 7, "a start of 0 with an int amount must give an int")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · Predict what it prints
#
# For each item below, predict what running it as a whole program prints, **before** you run
# it. Each item either prints exactly one line, or raises an exception before printing
# anything. The items are independent: each runs on its own, in a fresh module.
#
# Write your predictions in the answer cell as a dict, `PREDICTIONS`, from the item's letter to
# a **str**:
#
# - the exact text the item prints, without the final newline, as `print` writes it: for
#   `print([1, 2])` write `"[1, 2]"`, for `print("a", 3)` write `"a 3"`;
# - or, if the item raises, the **name** of the exception's class only, as the last line of
#   the traceback begins: for `1 / 0`, write `"ZeroDivisionError"`, not the message and not a
#   parent class.
#
# ```python
# PREDICTIONS = {
#     "A": "...",
#     "B": "...",
#     # ... one entry for each of A to I
# }
# ```
#
# The test cells check visibly that every prediction is filled in as asked; whether each one
# is right is checked when the notebook is graded, and the feedback then names the rule behind
# each wrong prediction. Make your predictions first; then check them in the scratch cell if
# you like: the points are for the values, the learning is in predicting.
#
# ### Names and where Python finds them (items A to C)
#
# **A**
# ```python
# x = "global"
#
# def show():
#     print(x)
#     x = "local"
#
# show()
# ```
#
# **B**
# ```python
# def len(items):
#     return 0
#
# def size(items):
#     return len(items)
#
# print(size([1, 2, 3]))
# ```
#
# **C**
# ```python
# count = 0
#
# def bump():
#     global count
#     count += 1
#     return count
#
# bump()
# print(bump(), count)
# ```
#
# ### Closures (items D to F)
#
# **D**
# ```python
# def outer():
#     x = "enclosing"
#
#     def inner():
#         return x
#
#     x = "changed"
#     return inner
#
# print(outer()())
# ```
#
# **E**
# ```python
# funcs = []
# for i in range(3):
#     funcs.append(lambda: i * 10)
# i = 5
# print([f() for f in funcs])
# ```
#
# **F**
# ```python
# def make_counter():
#     count = 0
#
#     def increment():
#         nonlocal count
#         count += 1
#         return count
#
#     return increment
#
# a, b = make_counter(), make_counter()
# a()
# a()
# print(a(), b())
# ```
#
# ### Classes, comprehensions and mangled names (items G to I)
#
# **G**
# ```python
# class Box:
#     size = 3
#     doubled = [size * 2 for _ in range(2)]
#
# print(Box.doubled)
# ```
#
# **H**
# ```python
# n = last = "outer"
# squares = [last := n * n for n in range(4)]
# print(n, last)
# ```
#
# **I**
# ```python
# class Base:
#     def __init__(self):
#         self.__id = "base"
#
# class Child(Base):
#     def __init__(self):
#         super().__init__()
#         self.__id = "child"
#
# print(sorted(vars(Child())))
# ```

# %% nbgrader="solution" grade_id="scope_predictions_answer"
# Replace the two lines below with `PREDICTIONS = {...}`, as in the template above: item
# letter -> what it prints (a str), or the name of the exception it raises.
### BEGIN SOLUTION
PREDICTIONS = {
    "A": "UnboundLocalError",
    "B": "0",
    "C": "2 2",
    "D": "changed",
    "E": "[50, 50, 50]",
    "F": "3 1",
    "G": "NameError",
    "H": "outer 9",
    "I": "['_Base__id', '_Child__id']",
}
### END SOLUTION

# %%
# Scratch cell: not graded. Paste an item here to check a prediction after you have made it.

# %% [markdown]
# ### Check C1 · names and where Python finds them: items A to C (3 points)

# %% nbgrader="tests" grade_id="scope_predictions_tests_names" points=3
"""Items A to C: each prediction is filled in as asked (checked here) and is exactly what the
item prints or raises (checked when graded)."""
from advpy.checks import expect_prediction_format

expect_prediction_format(PREDICTIONS, ["A", "B", "C"])
### BEGIN HIDDEN TESTS
from advpy.checks import expect_predictions

expect_predictions(
    PREDICTIONS,
    {"A": "UnboundLocalError", "B": "0", "C": "2 2"},
    {
        "A": "a name that is assigned anywhere in a function is local in the whole function, "
        "on the lines before the assignment too; and the exception's exact class matters "
        "(lesson section 2)",
        "B": "a global with a built-in's name hides the built-in: a global lookup searches the "
        "module before the built-ins (lesson sections 1 and 7)",
        "C": "with `global`, the function reads and assigns the module's own variable; count "
        "the calls (lesson section 3)",
    },
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · closures: items D to F (3 points)

# %% nbgrader="tests" grade_id="scope_predictions_tests_closures" points=3
"""Items D to F: each prediction is filled in as asked (checked here) and is exactly what the
item prints or raises (checked when graded)."""
from advpy.checks import expect_prediction_format

expect_prediction_format(PREDICTIONS, ["D", "E", "F"])
### BEGIN HIDDEN TESTS
from advpy.checks import expect_predictions

expect_predictions(
    PREDICTIONS,
    {"D": "changed", "E": "[50, 50, 50]", "F": "3 1"},
    {
        "D": "a closure reads the enclosing variable when it is called, not when it is "
        "defined (lesson sections 1 and 4)",
        "E": "each lambda looks `i` up when it is called, and here `i` is a module variable "
        "that the code keeps changing until the calls (lesson section 4)",
        "F": "every call of the factory creates a new variable in a new cell, and `nonlocal` "
        "updates the caller's own one; count the calls of each (lesson section 3)",
    },
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · classes, comprehensions and mangled names: items G to I (3 points)

# %% nbgrader="tests" grade_id="scope_predictions_tests_classes" points=3
"""Items G to I: each prediction is filled in as asked (checked here) and is exactly what the
item prints or raises (checked when graded)."""
from advpy.checks import expect_prediction_format

expect_prediction_format(PREDICTIONS, ["G", "H", "I"])
### BEGIN HIDDEN TESTS
from advpy.checks import expect_predictions

expect_predictions(
    PREDICTIONS,
    {"G": "NameError", "H": "outer 9", "I": "['_Base__id', '_Child__id']"},
    {
        "G": "a class body is not an enclosing scope for the comprehensions written in it; "
        "only the outermost iterable is evaluated in the class body (lesson section 5)",
        "H": "a comprehension's loop variable stays inside it, but `:=` binds its name in the "
        "surrounding scope (lesson section 6)",
        "I": "`__name` in a class body becomes `_ClassName__name`, with the name of the class "
        "whose body it is written in; and print shows a sorted list of str (lesson section 8)",
    },
)
### END HIDDEN TESTS
