# %% [markdown]
# # ps04 · Metaclasses: a registry, a singleton, a model (20 points)
#
# Three pieces of class machinery that real backends use, each a direct use of
# [04 · Metaclasses](../04_metaclasses.ipynb):
#
# - **Part A** · `Handler`: a base class that registers its subclasses by key and refuses a
#   key that is taken (6 points);
# - **Part B** · `SingletonMeta`: a metaclass whose classes have one instance each, also when
#   many threads ask at once (6 points);
# - **Part C** · `Field` and `Model`: typed fields that refuse wrong values, and models that
#   write the `CREATE TABLE` statement for themselves (8 points).
#
# Use a metaclass or `__init_subclass__` wherever the contract lets you choose.
#
# **How this notebook is graded.** You write the code of each part in its answer cell. The
# test cells below each part check it and show their points. Every test cell also holds
# **hidden tests** that run only when your instructor grades the notebook (Validate and `advpy
# check` run the visible ones): passing the visible checks is necessary, not sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the exception of Part A.
import sqlite3
import threading


class DuplicateKeyError(ValueError):
    """Raised when a class asks for a registry key that another class already has."""


# %% [markdown]
# ## Part A · `Handler`: a registry of subclasses
#
# A service that accepts uploads in several formats looks up the class that handles each one
# by its key, so that a new format is one new class. Write the base class `Handler`:
#
# ```python
# class CsvHandler(Handler, key="csv"):
#     ...
#
# Handler.registry["csv"]  # -> CsvHandler
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `Handler.registry` is a `dict` from key to class, **one dict** for the whole hierarchy;
#   it starts empty.
# - A subclass defined with the class keyword `key=...` is registered under that key. This
#   holds for subclasses at **any depth** (`class GzipCsv(CsvHandler, key="csv.gz")`).
# - A subclass defined **without** `key` (or with `key=None`) is an abstract intermediate
#   class and is not registered; a key is never inherited. `Handler` itself is not registered.
# - A key that is not a `str` raises `TypeError` with the message `key must be a str`; the empty
#   string raises `ValueError` with the message `key must not be empty`.
# - A key that is already taken raises **`DuplicateKeyError`** (defined in the setup cell) with
#   exactly the message `key 'csv' is already registered to CsvHandler` (the key as `repr`
#   shows it, and the `__name__` of the class that has it). The registry is left unchanged:
#   the key still maps to the first class.
# - Other class keywords are passed on to the other base classes' `__init_subclass__`, so
#   `Handler` can be mixed with classes that take keywords of their own.
#
# The tests empty `Handler.registry` at the start of each test cell, so classes you define in
# the scratch cell do not get in their way.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `__init_subclass__(cls, /, key=None, **kwargs)` runs once for every new subclass, at any
# depth, and never for the class that defines it. Class keywords arrive as its arguments.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# First `super().__init_subclass__(**kwargs)`. Then: `key is None` means abstract, return.
# Check the type, then emptiness (`key == ""`, not `not key`: a falsy check cannot tell the
# cases apart), then `key in Handler.registry` (raise before storing), and only then store
# `Handler.registry[key] = cls`. Always write to `Handler.registry`, never to `cls.registry`.
# </details>


# %% nbgrader="solution" grade_id="registry_answer"
class Handler:
    """Base class of every handler: `class X(Handler, key="x")` registers X under "x"."""

    registry = {}

    ### BEGIN SOLUTION
    def __init_subclass__(cls, /, key=None, **other_keywords):
        super().__init_subclass__(**other_keywords)
        if key is None:
            return
        if not isinstance(key, str):
            raise TypeError("key must be a str")
        if key == "":
            raise ValueError("key must not be empty")
        taken = Handler.registry.get(key)
        if taken is not None:
            raise DuplicateKeyError(f"key {key!r} is already registered to {taken.__name__}")
        Handler.registry[key] = cls

    ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
class JsonHandler(Handler, key="json"):
    pass


print(Handler.registry)

# %% [markdown]
# ### Check A1 · registering (2 points)

# %% nbgrader="tests" grade_id="registry_tests_examples" points=2
"""Subclasses with a key are registered under it; Handler itself and keyless ones are not."""
from advpy.checks import beside, expect, expect_same


def three_handlers():
    """Runs where your code runs (a subclass of Handler must be defined where Handler is):
    what Handler.registry held before, then what it holds after emptying it and defining
    CsvHandler, TextHandler (no key) and XmlHandler(TextHandler)."""
    seen = {
        "Handler registered": any(cls is Handler for cls in Handler.registry.values()),
        "a dict": type(Handler.registry) is dict,
    }
    Handler.registry.clear()

    class CsvHandler(Handler, key="csv"):
        pass

    class TextHandler(Handler):  # no key: abstract
        pass

    class XmlHandler(TextHandler, key="xml"):
        pass

    seen["keys"] = sorted(Handler.registry)
    seen["csv"] = Handler.registry.get("csv") is CsvHandler
    seen["xml"] = Handler.registry.get("xml") is XmlHandler
    return seen


seen = beside(three_handlers)
expect(seen["Handler registered"] is False, "Handler itself must not be registered")
expect(seen["a dict"], "Handler.registry must be a dict")
expect_same(
    seen["keys"],
    ["csv", "xml"],
    "the keys registered after defining CsvHandler, "
    "TextHandler (no key) and XmlHandler(TextHandler)",
    show=True,
)
expect(seen["csv"], 'Handler.registry["csv"] must be CsvHandler')
expect(seen["xml"], 'Handler.registry["xml"] must be XmlHandler')
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: a hierarchy of the test's subclasses of Handler, some with
    # a key, and what the registry holds after it, as plain data.
    Handler.registry.clear()

    class _Base(Handler):
        pass

    class _Mid(_Base):
        pass

    class _Deep(_Mid, key="deep.one"):
        pass

    class _Deeper(_Deep, key="deeper"):
        pass

    class _NoKey(_Deeper):
        pass

    class _ExplicitNone(Handler, key=None):
        pass

    return {
        "deep": Handler.registry.get("deep.one") is _Deep
        and Handler.registry.get("deeper") is _Deeper,
        "size": len(Handler.registry),
        "one dict": _Deep.registry is Handler.registry and _NoKey.registry is Handler.registry,
    }


_seen = beside(_observed)
expect(
    _seen["deep"],
    "a subclass with a key must be registered however deep it sits in the hierarchy",
)
expect_same(
    _seen["size"],
    2,
    "only subclasses given a key may be registered (a key is never inherited, key=None "
    "means abstract)",
)
expect(_seen["one dict"], "the registry must be one dict for the whole hierarchy")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · a key that is taken (2 points)

# %% nbgrader="tests" grade_id="registry_tests_duplicates" points=2
"""A taken key raises DuplicateKeyError with the exact message and leaves the registry as it was."""
from advpy.checks import beside, expect, expect_same


def a_second_csv():
    """Runs where your code runs: on an empty registry, CsvHandler takes the key "csv", then
    a second class asks for it; what that raised (exactly DuplicateKeyError?, the class's
    name, the message) and whether "csv" still maps to CsvHandler."""
    Handler.registry.clear()

    class CsvHandler(Handler, key="csv"):
        pass

    try:

        class OtherCsv(Handler, key="csv"):
            pass

    except Exception as error:
        raised = (
            type(error) is DuplicateKeyError,
            type(error).__name__,
            BaseException.__str__(error),
        )
    else:
        raised = (False, "nothing", None)
    return {"raised": raised, "csv": Handler.registry.get("csv") is CsvHandler}


seen = beside(a_second_csv)
duplicate_key_error, raised, message = seen["raised"]
expect(
    duplicate_key_error,
    f"defining a second class with key='csv' must raise DuplicateKeyError (it raised: {raised})",
)
expect_same(
    message,
    "key 'csv' is already registered to CsvHandler",
    "the DuplicateKeyError's message",
    show=True,
)
expect(seen["csv"], "the key 'csv' must still map to CsvHandler")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: keys taken by the test's subclasses of Handler asked for
    # again, and what each attempt raised and left in the registry, as plain data.
    def raised(key):
        try:

            class _Second(Handler, key=key):
                pass

        except Exception as error:
            return (
                type(error) is DuplicateKeyError,
                type(error).__name__,
                BaseException.__str__(error),
            )
        return (False, "nothing", None)

    Handler.registry.clear()

    class _First(Handler, key="report-2024"):
        pass

    class _Child(_First, key="child"):
        pass

    return {
        "report-2024": raised("report-2024"),
        "child": raised("child"),
        "unchanged": Handler.registry.get("report-2024") is _First
        and Handler.registry.get("child") is _Child,
        "size": len(Handler.registry),
    }


_seen = beside(_observed)
_duplicate_key_error, _raised, _message = _seen["report-2024"]
expect(_duplicate_key_error, f"a taken key must raise DuplicateKeyError (it raised: {_raised})")
expect_same(
    _message,
    "key 'report-2024' is already registered to _First",
    "the DuplicateKeyError's message must name the key (as repr shows it) and the class that "
    "has it",
)
_duplicate_key_error, _raised, _message = _seen["child"]
expect(
    _duplicate_key_error,
    f"a key taken by a deeper subclass is taken too (it raised: {_raised})",
)
expect_same(
    _message,
    "key 'child' is already registered to _Child",
    "the DuplicateKeyError's message must name the class that has the key",
)
expect(_seen["unchanged"], "a refused class must leave the registry unchanged")
expect(_seen["size"] == 2, "a refused class must not be registered under any key")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · bad keys and other keywords (2 points)

# %% nbgrader="tests" grade_id="registry_tests_edges" points=2
"""Keys that are not strings or are empty are refused; other class keywords reach other bases."""
from advpy.checks import beside, expect, expect_same


def a_number_key_and_a_tag():
    """Runs where your code runs: on an empty registry, a subclass of Handler given key=42
    (what that raised: exactly TypeError?, the class's name, the message), then
    YamlHandler(Handler, Tagged, key="yaml", tag="text") with Tagged taking a keyword of its
    own."""
    Handler.registry.clear()
    try:

        class Bad(Handler, key=42):
            pass

    except Exception as error:
        raised = (type(error) is TypeError, type(error).__name__, BaseException.__str__(error))
    else:
        raised = (False, "nothing", None)

    class Tagged:
        def __init_subclass__(cls, /, tag="", **kwargs):
            super().__init_subclass__(**kwargs)
            cls.tag = tag

    class YamlHandler(Handler, Tagged, key="yaml", tag="text"):
        pass

    return {
        "key=42 raised": raised,
        "yaml": Handler.registry.get("yaml") is YamlHandler,
        "tag": getattr(YamlHandler, "tag", None) == "text",
    }


seen = beside(a_number_key_and_a_tag)
type_error, raised, message = seen["key=42 raised"]
expect(type_error, f"key=42 must raise TypeError (it raised: {raised})")
expect_same(message, "key must be a str", "the TypeError's message", show=True)
expect(seen["yaml"], "YamlHandler must be registered")
expect(
    seen["tag"],
    "the keyword tag='text' must reach Tagged.__init_subclass__ "
    "(call super().__init_subclass__(**kwargs))",
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: subclasses of Handler given keys that must be refused, and
    # others mixed with a class that takes a keyword of its own; what each did, as plain data.
    def raised(key, kind):
        try:

            class _Bad(Handler, key=key):
                pass

        except Exception as error:
            return (type(error) is kind, type(error).__name__, BaseException.__str__(error))
        return (False, "nothing", None)

    Handler.registry.clear()
    seen = {
        "empty": raised("", ValueError),
        "not str": [raised(bad, TypeError) for bad in (b"bytes", 0, ("a",))],
        "refused size": len(Handler.registry),
    }

    class _Ordered:
        def __init_subclass__(cls, /, order=0, **rest):
            super().__init_subclass__(**rest)
            cls.order = order

    class _Both(_Ordered, Handler, order=7, key="both"):
        pass

    class _Plain(Handler, _Ordered, order=3):
        pass

    seen["both"] = Handler.registry.get("both") is _Both and getattr(_Both, "order", None) == 7
    seen["plain"] = getattr(_Plain, "order", None) == 3 and len(Handler.registry) == 1
    return seen


_seen = beside(_observed)
_value_error, _raised, _message = _seen["empty"]
expect(_value_error, f"an empty key must raise ValueError (it raised: {_raised})")
expect_same(_message, "key must not be empty", "the ValueError's message for an empty key")
for _type_error, _raised, _message in _seen["not str"]:
    expect(_type_error, f"a key that is not a str must raise TypeError (it raised: {_raised})")
    expect_same(_message, "key must be a str", "the TypeError's message")
expect(_seen["refused size"] == 0, "a refused key must not be registered")
expect(_seen["both"], "other keywords must be passed on, whatever the order of the bases")
expect(_seen["plain"], "a keyless subclass must still pass its other keywords on")
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `SingletonMeta`: one instance per class, thread-safe
#
# A metaclass for classes that must have one instance each: a connection pool, an
# application's settings. The usual sketch checks "built yet?" and then builds, and two threads
# that both find nothing build two instances (the lesson measures how often). Write
# `SingletonMeta`:
#
# ```python
# class Settings(metaclass=SingletonMeta):
#     def __init__(self, debug=False):
#         self.debug = debug
#
# Settings(debug=True) is Settings()  # True, and Settings().debug is True
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - Every call of a class made by `SingletonMeta` returns **the same instance** of that class.
# - The **first** call's arguments go to `__init__`, which runs **exactly once**; the arguments
#   of later calls are ignored, and `__init__` does not run again.
# - **Each class has its own instance**, and a subclass of a singleton class is a singleton of
#   its own: `Child()` is an instance of `Child`, not the parent's instance, whichever of the
#   two was made first.
# - An instance that is falsy (its class defines `__len__` returning 0, or `__bool__`) is the
#   instance all the same.
# - If `__init__` raises, the exception propagates unchanged and **no instance is kept**: the
#   next call tries again.
# - The `__init__` of a singleton may itself call another singleton class.
# - It is **thread-safe**: when many threads call a class for the first time at once, exactly
#   one instance is built (`__init__` runs once) and every thread gets it.
#
# The thread check makes races happen on every run: it shortens the interpreter's switch
# interval (`sys.setswitchinterval`) and hands the interpreter to another thread before every
# line of code in the test cell, the `__init__` of its singleton classes included.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Calling a class runs the `__call__` method of its metaclass; `super().__call__(*args,
# **kwargs)` is what builds the instance and runs `__init__`. Keep the instances in a dict keyed
# by the class (`cls`), and test membership with `in`: an instance may be falsy.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# Check, lock, check again: `if cls not in instances:` then `with lock:` then `if cls not in
# instances: instances[cls] = super().__call__(...)`. Store only after `__init__` returned. A
# `threading.RLock` lets a singleton's `__init__` ask for another singleton in the same
# thread; a plain `Lock` shared by every class would wait for itself forever.
# </details>


# %% nbgrader="solution" grade_id="singleton_answer"
class SingletonMeta(type):
    """Metaclass of classes that have one instance each, built once even under threads."""

    ### BEGIN SOLUTION
    _instances = {}
    _lock = threading.RLock()

    def __call__(cls, *args, **kwargs):
        if cls not in SingletonMeta._instances:
            with SingletonMeta._lock:
                if cls not in SingletonMeta._instances:
                    SingletonMeta._instances[cls] = super().__call__(*args, **kwargs)
        return SingletonMeta._instances[cls]

    ### END SOLUTION


# %%
# Scratch cell: try your metaclass here. It is not graded.
class Settings(metaclass=SingletonMeta):
    def __init__(self, debug=False):
        self.debug = debug


print(Settings(debug=True) is Settings(), Settings().debug)

# %% [markdown]
# ### Check B1 · one instance, `__init__` once (2 points)

# %% nbgrader="tests" grade_id="singleton_tests_examples" points=2
"""Each class gives the same instance on every call; __init__ runs once, with the first
call's arguments; different classes have different instances."""
from advpy.checks import beside, expect, expect_same


def settings_and_pool():
    """Runs where your code runs (a class made by SingletonMeta is made where SingletonMeta
    is): AppSettings and Pool made by your metaclass, called several times; what the calls
    gave."""

    class AppSettings(metaclass=SingletonMeta):
        inits = []

        def __init__(self, debug=False):
            AppSettings.inits.append(debug)
            self.debug = debug

    class Pool(metaclass=SingletonMeta):
        pass

    first = AppSettings(debug=True)
    return {
        "AppSettings() is first": AppSettings() is first,
        "AppSettings(debug=False) is first": AppSettings(debug=False) is first,
        "inits": AppSettings.inits,
        "Pool() is Pool()": Pool() is Pool(),
        "Pool() is not first": Pool() is not first,
        "type(Pool()) is Pool": type(Pool()) is Pool,
    }


seen = beside(settings_and_pool)
expect(seen["AppSettings() is first"], "AppSettings() must return the instance made first")
expect(seen["AppSettings(debug=False) is first"], "later arguments must not make a new instance")
expect_same(seen["inits"], [True], "the arguments __init__ ran with, over three calls", show=True)
expect(seen["Pool() is Pool()"], "Pool() must return the same instance every time")
expect(seen["Pool() is not first"], "two classes must have two different instances")
expect(seen["type(Pool()) is Pool"], "Pool() must be an instance of Pool")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: classes of the test made by the answer's metaclass (with a
    # class statement and by calling SingletonMeta), and what calling them gave, as plain data.
    class _Counter(metaclass=SingletonMeta):
        calls = 0

        def __init__(self, start, *, step=1):
            _Counter.calls += 1
            self.start, self.step = start, step

    made = [_Counter(10, step=5), _Counter(99), _Counter(0, step=0), _Counter(-1)]
    classes = [SingletonMeta(f"_Made{i}", (), {}) for i in range(3)]
    instances = [cls() for cls in classes]
    return {
        "same": all(item is made[0] for item in made),
        "init once": _Counter.calls == 1 and made[0].start == 10 and made[0].step == 5,
        "own instances": len({id(item) for item in instances}) == 3
        and all(type(item) is cls for item, cls in zip(instances, classes, strict=True)),
        "kept": all(cls() is item for cls, item in zip(classes, instances, strict=True)),
    }


_seen = beside(_observed)
expect(_seen["same"], "every call must return the first instance")
expect(_seen["init once"], "__init__ must run exactly once, with the first call's arguments")
expect(
    _seen["own instances"],
    "each class made by SingletonMeta must have its own instance, of its own type",
)
expect(_seen["kept"], "each class must keep returning its own instance")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · subclasses, falsy instances, failing and nested `__init__` (2 points)

# %% nbgrader="tests" grade_id="singleton_tests_edges" points=2
"""Subclasses have their own instance; a falsy instance is kept; a failing __init__ keeps
nothing; an __init__ may call another singleton class."""
from advpy.checks import beside, expect


def parent_child_and_empty_cache():
    """Runs where your code runs: Parent and its subclass Child made by your metaclass, then
    EmptyCache, whose instances are falsy; what calling them gave."""

    class Parent(metaclass=SingletonMeta):
        pass

    class Child(Parent):
        pass

    parent = Parent()
    child = Child()
    seen = {
        "type(child) is Child": type(child) is Child,
        "each kept": Child() is child and Parent() is parent,
    }

    class EmptyCache(metaclass=SingletonMeta):
        inits = 0

        def __init__(self):
            EmptyCache.inits += 1

        def __len__(self):
            return 0  # an empty cache is falsy

    seen["EmptyCache() is EmptyCache()"] = EmptyCache() is EmptyCache()
    seen["inits"] = EmptyCache.inits
    return seen


seen = beside(parent_child_and_empty_cache)
expect(seen["type(child) is Child"], "Child() made after Parent() must be an instance of Child")
expect(seen["each kept"], "each class must keep its own instance")
expect(seen["EmptyCache() is EmptyCache()"], "a falsy instance must still be the one instance")
expect(seen["inits"] == 1, "__init__ of a falsy singleton must run once")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: a subclass made before its parent, a falsy instance, an
    # __init__ that fails once and singletons made inside another's __init__ (bounded in time:
    # a lock that waits for itself never returns); what each did, as plain data.
    from advpy.checks import call_with_timeout

    class _Base(metaclass=SingletonMeta):
        pass

    class _Sub(_Base):
        pass

    sub = _Sub()
    base = _Base()
    seen = {
        "sub first": type(sub) is _Sub and type(base) is _Base and _Sub() is sub and _Base() is base
    }

    class _Off(metaclass=SingletonMeta):
        inits = 0

        def __init__(self):
            _Off.inits += 1

        def __bool__(self):
            return False

    seen["falsy kept"] = _Off() is _Off() and _Off.inits == 1

    class _Flaky(metaclass=SingletonMeta):
        attempts = 0

        def __init__(self):
            _Flaky.attempts += 1
            if _Flaky.attempts == 1:
                raise ConnectionError("the first attempt fails")

    try:
        _Flaky()
    except ConnectionError:
        seen["propagated"] = True
    else:
        seen["propagated"] = False
    kept = _Flaky()
    seen["tried again"] = _Flaky.attempts == 2 and _Flaky() is kept and _Flaky.attempts == 2

    class _Inner(metaclass=SingletonMeta):
        pass

    class _Outer(metaclass=SingletonMeta):
        def __init__(self):
            self.inner = _Inner()

    try:
        outer = call_with_timeout(_Outer, timeout=5)
    except AssertionError:  # still running after 5 s
        seen["nested"] = "timed out"
    else:
        seen["nested"] = outer.inner is _Inner() and _Outer() is outer
    return seen


_seen = beside(_observed)
expect(
    _seen["sub first"],
    "a subclass made first, then its parent: each must have its own instance",
)
expect(_seen["falsy kept"], "an instance whose __bool__ is False must be kept")
expect(_seen["propagated"], "an exception raised by __init__ must propagate to the caller")
expect(
    _seen["tried again"],
    "after __init__ raised, no instance may be kept: the next call must try again, once",
)
expect(
    _seen["nested"] != "timed out",
    "a singleton whose __init__ calls another singleton class never finished: a lock that "
    "waits for itself? (threading.Lock is not re-entrant)",
)
expect(_seen["nested"], "nested singletons must each be kept")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · thread safety (2 points)

# %% nbgrader="tests" grade_id="singleton_tests_threads" points=2
"""Eight threads calling a new singleton class at once get one instance; __init__ runs once."""
from advpy.checks import beside, expect, expect_same


def eight_threads_at_once():
    """Runs where your code runs: three times over, a new singleton class ConnectionPool
    called by 8 threads at once; each time, how many times __init__ ran and whether every
    thread got the instance it built ("timed out" if the threads had not finished in 10 s)."""
    from advpy.checks import run_in_threads, switch_interval

    rounds = []
    for _ in range(3):

        class ConnectionPool(metaclass=SingletonMeta):
            built = []

            def __init__(self):
                ConnectionPool.built.append(self)  # list.append is atomic
                self.connections = []

        with switch_interval(1e-6):
            try:
                results = run_in_threads(
                    lambda: ConnectionPool(),
                    threads=8,
                    calls=3,
                    timeout=10,
                    name="ConnectionPool()",
                    interleave=True,
                )
            except AssertionError:  # still running after 10 s
                rounds.append("timed out")
                break
        built = ConnectionPool.built
        rounds.append((len(built), bool(built) and all(result is built[0] for result in results)))
    return rounds


for outcome in beside(eight_threads_at_once):
    expect(
        outcome != "timed out",
        "ConnectionPool(), called from 8 threads at once, had not finished after 10 s: a "
        "deadlock? (a threading.Lock that one thread acquires twice waits forever)",
    )
    times_built, every_thread_got_it = outcome
    expect_same(
        times_built,
        1,
        "8 threads called a new singleton class at once: how many times __init__ ran",
        show=True,
    )
    expect(every_thread_got_it, "every thread must get the one instance")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: four times over, two new singleton classes called by 6
    # threads at once, each thread calling either; how many times each __init__ ran and
    # whether every thread got the one instance of the class it called, as plain data.
    from advpy.checks import run_in_threads, switch_interval

    attempts = []
    for _ in range(4):

        class _Settings(metaclass=SingletonMeta):
            built = []

            def __init__(self, source="defaults"):
                self.source = source
                self.values = {"debug": False}
                _Settings.built.append(self)

        class _Other(metaclass=SingletonMeta):
            built = []

            def __init__(self):
                _Other.built.append(self)

        turns = iter(range(10**6))  # next() on a range iterator is atomic

        def either(turns=turns, settings=_Settings, other=_Other):
            return settings() if next(turns) % 2 else other()

        with switch_interval(1e-6):
            try:
                results = run_in_threads(
                    either,
                    threads=6,
                    calls=4,
                    timeout=10,
                    name="two singleton classes",
                    interleave=True,
                )
            except AssertionError:  # still running after 10 s
                attempts.append("timed out")
                break
        settings, other = _Settings.built, _Other.built
        attempts.append(
            (
                len(settings) == 1 and len(other) == 1,
                bool(settings and other)
                and all(r is settings[0] or r is other[0] for r in results),
            )
        )
    return attempts


for _outcome in beside(_observed):
    expect(
        _outcome != "timed out",
        "two singleton classes, called from 6 threads at once, had not finished after 10 s: "
        "a deadlock?",
    )
    _once_each, _every_thread_got_it = _outcome
    expect(
        _once_each,
        "threads calling two new singleton classes at once: __init__ must run once per class",
    )
    expect(_every_thread_got_it, "every thread must get the one instance of the class it called")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `Field` and `Model`: typed fields and their table
#
# A small declarative model layer, like the lesson's: a model class lists its fields, every
# assignment is type-checked, and the model writes the `CREATE TABLE` statement for its table.
#
# ```python
# class User(Model):
#     name = Field(str)
#     age = Field(int)
#     score = Field(float, nullable=True)
#
# User.create_table_sql()
# # 'CREATE TABLE "user" ("name" TEXT NOT NULL, "age" INTEGER NOT NULL, "score" REAL)'
# ann = User(name="Ann", age=0)   # score not given: None, allowed because it is nullable
# ann.row()                       # ('Ann', 0, None)
# ann.age = "old"                 # TypeError: User.age must be int, not str
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it.
#
# **`Field(kind, *, nullable=False)`**, where `kind` is `int`, `float` or `str`, is used as a
# class attribute of a `Model` subclass:
#
# - read on the class (`User.age`) it gives the `Field` itself; read on an instance it gives
#   that instance's value. **Each instance has its own values.**
# - Assigning a value whose type is **exactly** `kind` stores it as it is: falsy values
#   (`0`, `0.0`, `""`) included.
# - A `float` field also accepts an `int` and stores it converted to `float` (`3` is stored as
#   `3.0`). `bool` is accepted by no field, although `True` is an `int` in Python.
# - `None` is accepted only by a field with `nullable=True`.
# - Anything else raises `TypeError` with exactly the message
#   `<model>.<field> must be <kind>, not <type>`: the `__name__` of the instance's class
#   (for a field inherited from a parent model too), the attribute's name, `kind.__name__` and
#   `type(value).__name__`; for instance `User.age must be int, not NoneType`. The attribute
#   keeps its previous value.
#
# **`Model`**, the base class of every model:
#
# - A model's **columns** are its fields in the order they were written in the class body,
#   after the columns of the model it inherits from (a `Model` subclass may subclass another).
# - `Model(**values)` sets each column from the keyword of the same name; a column not given
#   is set to `None` (so it raises unless the field is nullable). A keyword that is not a column
#   raises `TypeError` with exactly the message `<model> has no field '<keyword>'`.
# - `instance.row()` returns a `tuple` of the instance's values, in column order.
# - `Model.create_table_sql()`, called on the class, returns the statement
#   `CREATE TABLE "<table>" ("<column>" <TYPE>[ NOT NULL], ...)`: the table is the class's
#   name in lower case; the type is `INTEGER` for `int`, `REAL` for `float`, `TEXT` for `str`;
#   ` NOT NULL` follows every column that is not nullable; table and column names are in
#   double quotes, so that a model named `Order` or a field named `group` (words SQL reserves)
#   works.
#
# The SQL checks run your statement in a new in-memory SQLite database, read the table SQLite
# made, insert rows from `row()` and read them back.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `__set_name__(self, owner, name)` tells a field its name and its model when the class is
# created. Store each value in the *instance* (`instance.__dict__[self.name]`), never on the
# field: one field object serves every instance of the model.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Check in this order: `None` (allowed only if nullable), then `bool` (always refused: test
# `type(value) is bool` before anything else accepts it), then the exact type, then an `int`
# for a `float` field. `isinstance(True, int)` is `True`, and `not value` is true for `0`:
# neither belongs in these checks.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# In `Model.__init_subclass__`, start from a copy of the parent's column list
# (`list(getattr(super(cls, cls), "_columns", []))` or walk `cls.__mro__`), then append the
# fields found in `cls.__dict__` (it keeps the order of the class body). `create_table_sql`
# is a `classmethod` that joins `f'"{name}" {sql_type}'` plus `" NOT NULL"` per column.
# </details>


# %% nbgrader="solution" grade_id="model_answer"
class Field:
    """A typed column of a Model: int, float or str, nullable or not."""

    ### BEGIN SOLUTION
    SQL_TYPES = {int: "INTEGER", float: "REAL", str: "TEXT"}

    def __init__(self, kind, *, nullable=False):
        self.kind = kind
        self.nullable = nullable

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__[self.name]

    def __set__(self, instance, value):
        if value is None and self.nullable:
            instance.__dict__[self.name] = None
            return
        if type(value) is self.kind:
            instance.__dict__[self.name] = value
            return
        if self.kind is float and type(value) is int:
            instance.__dict__[self.name] = float(value)
            return
        model = type(instance).__name__
        raise TypeError(
            f"{model}.{self.name} must be {self.kind.__name__}, not {type(value).__name__}"
        )

    def column_sql(self):
        null = "" if self.nullable else " NOT NULL"
        return f'"{self.name}" {self.SQL_TYPES[self.kind]}{null}'

    ### END SOLUTION


class Model:
    """Base class of models: subclasses list Field attributes as their columns."""

    ### BEGIN SOLUTION
    _columns = ()

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        own = [name for name, value in cls.__dict__.items() if isinstance(value, Field)]
        inherited = [name for name in cls._columns if name not in own]
        cls._columns = tuple(inherited + own)

    def __init__(self, **values):
        for key in values:
            if key not in self._columns:
                raise TypeError(f"{type(self).__name__} has no field {key!r}")
        for name in self._columns:
            setattr(self, name, values.get(name))

    def row(self):
        return tuple(getattr(self, name) for name in self._columns)

    @classmethod
    def create_table_sql(cls):
        columns = ", ".join(getattr(cls, name).column_sql() for name in cls._columns)
        return f'CREATE TABLE "{cls.__name__.lower()}" ({columns})'

    ### END SOLUTION


# %%
# Scratch cell: try your classes here. It is not graded.
class User(Model):
    name = Field(str)
    age = Field(int)
    score = Field(float, nullable=True)


print(User.create_table_sql())
print(User(name="Ann", age=0).row())

# %% [markdown]
# ### Check C1 · fields check their values (3 points)

# %% nbgrader="tests" grade_id="model_tests_fields" points=3
"""Fields store values of their exact type (falsy ones too), convert int for float, refuse
the rest with TypeError and the exact message, and keep each instance's values apart."""
from advpy.checks import beside, expect, expect_error_message, expect_raises, expect_same


def product_model():
    """Runs where your code runs (a subclass of Model must be defined where Model is): the
    test's model Product, made of your Model and Fields."""

    class Product(Model):
        title = Field(str)
        stock = Field(int)
        price = Field(float)
        note = Field(str, nullable=True)

    return Product


Product = beside(product_model)
item = Product(title="Pen", stock=0, price=1.5)
expect_same(
    item.row(), ("Pen", 0, 1.5, None), "Product(title='Pen', stock=0, price=1.5)", show=True
)
expect(isinstance(Product.stock, Field), "Product.stock, read on the class, must be the Field")
item.price = 2
expect_same(item.price, 2.0, "after item.price = 2 (an int for a float field)", show=True)


def assign(obj, name, value):
    return lambda: setattr(obj, name, value)


error = expect_raises(assign(item, "stock", "many"), TypeError, "item.stock = 'many'")
expect_error_message(
    error, "Product.stock must be int, not str", "the TypeError's message", show=True
)
expect_same(item.stock, 0, "item.stock after the refused assignment", show=True)
other = Product(title="Ink", stock=7, price=9.0)
expect_same(item.title, "Pen", "item.title after creating a second Product", show=True)


### BEGIN HIDDEN TESTS
def _reading_model():
    # Runs where the answer runs: the test's model, made of the answer's Model and Fields.
    class _Reading(Model):
        sensor = Field(str)
        count = Field(int)
        level = Field(float)
        label = Field(str, nullable=True)

    return _Reading


_Reading = beside(_reading_model)
_r = _Reading(sensor="", count=0, level=0.0, label="")
expect_same(_r.row(), ("", 0, 0.0, ""), "falsy values (0, 0.0, '') must be stored as they are")
_r.label = None
expect_same(_r.label, None, "a nullable field must accept None")
_r.level = -4
expect_same(_r.level, -4.0, "a float field must store an int converted to float")
_r.level = 0
expect_same(_r.level, 0.0, "a float field must store the int 0 as 0.0")
for _name, _value, _expected in (
    ("count", True, "_Reading.count must be int, not bool"),
    ("level", False, "_Reading.level must be float, not bool"),
    ("count", 1.0, "_Reading.count must be int, not float"),
    ("sensor", None, "_Reading.sensor must be str, not NoneType"),
    ("label", 5, "_Reading.label must be str, not int"),
    ("level", "0.5", "_Reading.level must be float, not str"),
    ("sensor", b"raw", "_Reading.sensor must be str, not bytes"),
):
    _error = expect_raises(
        assign(_r, _name, _value), TypeError, "a value of the wrong type must raise TypeError"
    )
    expect_error_message(
        _error,
        _expected,
        "the TypeError's message must be '<model>.<field> must be <kind>, not <type>' "
        "(bool counts as its own type, None as NoneType)",
    )
expect_same(
    _r.row(), ("", 0, 0.0, None), "refused assignments must leave the previous values in place"
)
_a = _Reading(sensor="a", count=1, level=1.5)
_b = _Reading(sensor="b", count=2, level=2.5, label="x")
_a.count = 10
expect_same(
    (_a.row(), _b.row()),
    (("a", 10, 1.5, None), ("b", 2, 2.5, "x")),
    "each instance must keep its own values (store them on the instance, not on the Field)",
)
expect(
    isinstance(_Reading.level, Field) and isinstance(_Reading.label, Field),
    "a field read on the model class must be the Field itself",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · building instances (2 points)

# %% nbgrader="tests" grade_id="model_tests_instances" points=2
"""Model(**values) fills every column in order (None when missing), refuses unknown keywords,
and a model subclass has its parent's columns first."""
from advpy.checks import beside, expect_error_message, expect_raises, expect_same


def person_model():
    """Runs where your code runs (a subclass of Model must be defined where Model is): the
    test's model Person, made of your Model and Fields."""

    class Person(Model):
        name = Field(str)
        nickname = Field(str, nullable=True)

    return Person


Person = beside(person_model)
expect_same(Person(name="Bo").row(), ("Bo", None), "Person(name='Bo').row()", show=True)
error = expect_raises(lambda: Person(), TypeError, "Person() without the name must raise TypeError")
expect_error_message(
    error, "Person.name must be str, not NoneType", "the TypeError's message", show=True
)
error = expect_raises(lambda: Person(name="Bo", nick="b"), TypeError, "Person(nick=...)")
expect_error_message(error, "Person has no field 'nick'", "the TypeError's message", show=True)


### BEGIN HIDDEN TESTS
def _account_models():
    # Runs where the answer runs: the test's models, a parent and its child, made of the
    # answer's Model and Fields.
    class _Account(Model):
        owner = Field(str)
        balance = Field(float)

    class _Savings(_Account):
        rate = Field(float)
        frozen_since = Field(int, nullable=True)

    return _Account, _Savings


_Account, _Savings = beside(_account_models)
_s = _Savings(rate=1, owner="Cy", balance=0.0)
expect_same(
    _s.row(),
    ("Cy", 0.0, 1.0, None),
    "a model's columns must be its parent's first, then its own, in the order written",
)
expect_same(_Account(owner="Di", balance=2.5).row(), ("Di", 2.5), "a parent keeps its own columns")
_error = expect_raises(lambda: _Account(owner="Di", balance=1.0, rate=2.0), TypeError, "unknown")
expect_error_message(
    _error, "_Account has no field 'rate'", "a child's column must not become the parent's"
)
_error = expect_raises(lambda: _Savings(owner="Ed", rate=1.0), TypeError, "a missing column")
expect_error_message(
    _error,
    "_Savings.balance must be float, not NoneType",
    "an inherited column not given must be set to None and refused like any other",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · the `CREATE TABLE` statement SQLite accepts (3 points)

# %% nbgrader="tests" grade_id="model_tests_sql" points=3
"""create_table_sql() gives a statement SQLite accepts, with the right columns, types and
NOT NULL; rows from row() go in and come back unchanged."""
from advpy.checks import beside, expect, expect_same, expect_sqlite_table


def book_model():
    """Runs where your code runs (a subclass of Model must be defined where Model is): the
    test's model Book, made of your Model and Fields."""

    class Book(Model):
        title = Field(str)
        year = Field(int)
        price = Field(float, nullable=True)

    return Book


Book = beside(book_model)
connection = expect_sqlite_table(
    Book.create_table_sql(),
    "book",
    [("title", "TEXT", True), ("year", "INTEGER", True), ("price", "REAL", False)],
    "Book.create_table_sql()",
    show=True,
)
rows = [Book(title="Dune", year=1965, price=9.5).row(), Book(title="Emma", year=1815).row()]
connection.executemany('INSERT INTO "book" VALUES (?, ?, ?)', rows)
expect_same(
    connection.execute('SELECT * FROM "book"').fetchall(),
    [("Dune", 1965, 9.5), ("Emma", 1815, None)],
    "the rows read back from the table",
    show=True,
)
try:
    connection.execute('INSERT INTO "book" VALUES (NULL, 2000, 1.0)')
    refused = False
except sqlite3.IntegrityError:
    refused = True
expect(refused, "SQLite must refuse a NULL title: the title column must be NOT NULL")
connection.close()


### BEGIN HIDDEN TESTS
def _order_model():
    # Runs where the answer runs: the test's model named with words SQL reserves, made of the
    # answer's Model and Fields.
    class Order(Model):
        group = Field(str)
        select = Field(int, nullable=True)
        where = Field(float)

    return Order


Order = beside(_order_model)
_connection = expect_sqlite_table(
    Order.create_table_sql(),
    "order",
    [("group", "TEXT", True), ("select", "INTEGER", False), ("where", "REAL", True)],
    "a model and fields named with words SQL reserves must work (quote the names)",
)
_connection.execute('INSERT INTO "order" VALUES (?, ?, ?)', Order(group="", where=0).row())
expect_same(
    _connection.execute('SELECT * FROM "order"').fetchall(),
    [("", None, 0.0)],
    "a row of falsy values must go in and come back unchanged",
)
_connection.close()


def _child_model():
    # Runs where the answer runs: the test's model with a parent, made of the answer's Model
    # and Fields.
    class _Base(Model):
        id = Field(int)

    class _LongerName(_Base):
        text = Field(str, nullable=True)
        weight = Field(float)

    return _LongerName


_LongerName = beside(_child_model)
_connection = expect_sqlite_table(
    _LongerName.create_table_sql(),
    "_longername",
    [("id", "INTEGER", True), ("text", "TEXT", False), ("weight", "REAL", True)],
    "the table must be named after the class in lower case, with the parent's columns first",
)
_connection.execute('INSERT INTO "_longername" VALUES (?, ?, ?)', _LongerName(id=1, weight=2).row())
for _bad in (
    'INSERT INTO "_longername" VALUES (NULL, NULL, 1.0)',
    'INSERT INTO "_longername" VALUES (2, NULL, NULL)',
):
    try:
        _connection.execute(_bad)
        _refused = False
    except sqlite3.IntegrityError:
        _refused = True
    expect(_refused, "every column that is not nullable must be NOT NULL in the table")
expect_same(
    _connection.execute('SELECT * FROM "_longername"').fetchall(),
    [(1, None, 2.0)],
    "the rows read back from a table of a model with a parent",
)
_connection.close()
### END HIDDEN TESTS
