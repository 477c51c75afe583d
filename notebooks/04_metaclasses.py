# %% [markdown]
# # 04 · Metaclasses: classes of classes
#
# Django models, SQLAlchemy's declarative classes, pydantic models, enums and abstract base
# classes all do something to your class *while Python creates it*: they collect its fields,
# check it, register it, or change what calling it does. The tool underneath is the
# **metaclass**, the class whose instances are classes. This lesson takes the `class`
# statement apart, builds the three classic uses (a plugin registry, a singleton and a small
# ORM on a real SQLite database), shows where the usual singleton breaks under threads, and
# then opens up four well-known libraries to see the same machinery at work. It also shows
# the lighter tools that have replaced most metaclasses since Python 3.6, and when a metaclass
# is still the right choice.
#
# **Learning objectives.** By the end you can:
# - **trace** what the `class` statement does, step by step (`__prepare__`, the body, the
#   metaclass's `__new__` and `__init__`, `__set_name__`, `__init_subclass__`), and what
#   calling a class does (the metaclass's `__call__`);
# - **predict** which metaclass a class gets, and **resolve** a metaclass conflict;
# - **choose** between a metaclass, `__init_subclass__`, a class decorator and a descriptor
#   with `__set_name__`;
# - **build** a subclass registry, a thread-safe singleton (and **show** the race in the naive
#   one), and a declarative model layer that writes real SQLite tables;
# - **inspect** how SQLAlchemy, pydantic, `enum` and `abc` make their classes.
#
# **Prerequisites:** classes, inheritance and `super()`; properties or descriptors help.
# [01 · The GIL](01_gil.ipynb) explains when threads switch, which section 5 relies on.

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import abc
import copy
import enum
import inspect
import sqlite3
import tempfile
from pathlib import Path

import pydantic
import sqlalchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from advpy.lessons import timing
from advpy.lessons.context import machine_summary, pick
from advpy.lessons.metaclasses import machinery, orm, singletons
from advpy.lessons.metaclasses.plots import plot_call_costs, plot_race

print(machine_summary())
print(timing.load_note())

# %% [markdown]
# ## 1. What the `class` statement does
#
# Everything in Python is an object, classes included, and every object has a type. The type
# of an instance is its class; the type of a class is its **metaclass**, which for ordinary
# classes is `type`.


# %%
class Point:
    dims = 2

    def norm(self):
        return (self.x**2 + self.y**2) ** 0.5


print(type(Point()), type(Point), type(type))

# %% [markdown]
# The `class` statement is a call in disguise. Python runs the class body like a function
# body, collects the names it defines into a dict (the **namespace**), and then calls the
# metaclass with three arguments: the name, the bases, the namespace. Calling `type` yourself
# makes the same kind of class:


# %%
def norm(self):
    return (self.x**2 + self.y**2) ** 0.5


Point2 = type("Point2", (), {"dims": 2, "norm": norm})
p = Point2()
p.x, p.y = 3, 4
print(Point2, Point2.dims, p.norm())


# %% [markdown]
# A metaclass is a subclass of `type` that overrides some of those steps. `Traced` below prints
# each one; a descriptor with `__set_name__` and a base class with `__init_subclass__` show
# where the lighter hooks of section 3 run in the same sequence.


# %%
class Traced(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        print(f"metaclass __prepare__: an empty namespace for {name}")
        return {}

    def __new__(mcls, name, bases, namespace, **kwargs):
        print(f"metaclass __new__: build {name} from the namespace {list(namespace)}")
        return super().__new__(mcls, name, bases, namespace, **kwargs)

    def __init__(cls, name, bases, namespace, **kwargs):
        print(f"metaclass __init__: {name} exists; finish it")
        super().__init__(name, bases, namespace, **kwargs)

    def __call__(cls, *args, **kwargs):
        print(f"metaclass __call__: {cls.__name__}{args} was called")
        return super().__call__(*args, **kwargs)  # runs cls.__new__, then cls.__init__


# %%
class Named:
    def __set_name__(self, owner, name):
        print(f"  descriptor __set_name__: I am {owner.__name__}.{name}")


class Instrument(metaclass=Traced):
    def __init_subclass__(cls, **kwargs):
        print(f"  Instrument.__init_subclass__: a new subclass, {cls.__name__}")
        super().__init_subclass__(**kwargs)


# %%
class Reading(Instrument):
    print("class body: runs now, top to bottom")
    label = Named()

    def __init__(self, value):
        print(f"Reading.__init__({value})")
        self.value = value


# %%
reading = Reading(21.5)

# %% [markdown]
# **What to notice.**
# - The order: `__prepare__` makes the namespace, the body fills it, the metaclass's `__new__`
#   builds the class, and *inside* `type.__new__` Python calls every descriptor's
#   `__set_name__` and then the parent's `__init_subclass__`; the metaclass's `__init__` comes
#   last.
# - Defining `Instrument` itself also went through `Traced` (its lines were printed by the
#   cell above), but `Instrument.__init_subclass__` did not run for `Instrument`: it runs for
#   subclasses only.
# - Calling a class is calling an object, so it runs `__call__` of the object's type: the
#   metaclass. `type.__call__` is what runs `__new__` and then `__init__`; override it and you
#   decide whether a new instance is made at all (section 5).

# %% [markdown]
# ### Try it
# Two methods with the same name in one class body are a quiet bug: the second replaces the
# first. Write a metaclass whose `__prepare__` returns a dict subclass that raises a
# `TypeError` when a name is assigned twice in the body, and check it on a class with two
# `def handle(self)`. (Answer:
# [tryit/04 § 1](../solutions/tryit/04_metaclasses.md#1-a-namespace-that-refuses-duplicates).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. Which metaclass runs, and conflicts
#
# Python picks the metaclass of a new class from the `metaclass=` keyword *and* the
# metaclasses of all its bases: the winner is the one that is a subclass of all the others.
# So a metaclass is inherited: every subclass of `abc.ABC` is made by `ABCMeta` without saying
# so.


# %%
class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self): ...


class Square(Shape):
    def area(self):
        return 4


print(type(Shape).__name__, type(Square).__name__)


# %% [markdown]
# When no candidate is a subclass of all the others, Python cannot choose and refuses to
# create the class. Here a plugin base with its own metaclass meets `abc.ABC`:


# %%
class PluginMeta(type):
    pass


class Plugin(metaclass=PluginMeta):
    pass


try:

    class AbstractPlugin(Plugin, abc.ABC):
        pass

except TypeError as error:
    print("TypeError:", error)


# %% [markdown]
# The fix is a metaclass that derives from both, given explicitly:


# %%
class PluginABCMeta(PluginMeta, abc.ABCMeta):
    pass


class AbstractPlugin(Plugin, abc.ABC, metaclass=PluginABCMeta):
    pass


print([m.__name__ for m in type(AbstractPlugin).__mro__])

# %% [markdown]
# **What to notice.** A metaclass is part of a class's public face: everyone who subclasses it,
# or mixes it with another library's base class, inherits it and may meet a conflict. Two
# metaclasses combine only if they cooperate (each calls `super()` and passes on keywords it
# does not know). Section 7 shows a real conflict between two libraries.

# %% [markdown]
# ## 3. The lighter tools, and when a metaclass is still right
#
# Since Python 3.6 most jobs that used to need a metaclass have simpler tools:
#
# - **`__init_subclass__`** on a base class runs once for each new subclass (not for the base
#   itself). Good for registering, checking or configuring subclasses; it also receives class
#   keywords such as `class X(Base, key="x")`.
# - **A class decorator** runs once, on the one class it decorates, and is not inherited. Good
#   for one-off changes (`@dataclass`, `@functools.total_ordering`).
# - **A descriptor with `__set_name__`** is told its attribute name once, at class creation.
#   Good for fields that must know their own name (section 6).
#
# Keywords in the `class` line go to `__init_subclass__`:


# %%
class Handler:
    def __init_subclass__(cls, /, route="", **kwargs):
        super().__init_subclass__(**kwargs)  # pass on what others may need
        cls.route = "/" + route


class Health(Handler, route="health"):
    pass


print(Health.route)


# %% [markdown]
# A metaclass is still the right tool when you need one of the things only it can do:
# - **control the namespace** of the class body (`__prepare__`: `enum` uses it to refuse a
#   member defined twice);
# - **change what calling the class does** (`__call__`: a singleton, a cache of instances);
# - **give the class object itself behaviour**: `len(Color)`, `Color["RED"]`, `for c in Color`,
#   `isinstance` hooks (`__instancecheck__`), or attributes assigned to the class later
#   (`__setattr__` on the metaclass);
# - **act on the base class too**, not only on subclasses.
#
# Otherwise prefer `__init_subclass__`, decorators and descriptors: they add no metaclass that
# could conflict with another one.

# %% [markdown]
# ## 4. Registering subclasses: plugins
#
# An application that exports reports as CSV, JSON or XML can look its exporters up by name,
# so that a new format is one new class and nothing else. The first attempt uses a metaclass
# whose `__init__` records every class it makes:


# %%
class RegisteringMeta(type):
    registry = {}

    def __init__(cls, name, bases, namespace, **kwargs):
        super().__init__(name, bases, namespace, **kwargs)
        RegisteringMeta.registry[name.lower()] = cls


class Exporter(metaclass=RegisteringMeta):
    pass


class Csv(Exporter):
    pass


print(RegisteringMeta.registry)


# %% [markdown]
# Two flaws: the abstract base `Exporter` registered itself (a metaclass's `__init__` runs for
# every class it makes, the base included), and a second class named `Csv` in another module
# would silently replace the first. The `__init_subclass__` version registers subclasses
# only, takes the key from a class attribute, skips classes that do not set one in their own
# body (abstract intermediate classes), and refuses a key that is taken:


# %%
class Exporter:
    registry = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")  # only a name set in this class's own body
        if name is None:
            return
        if name in Exporter.registry:
            taken = Exporter.registry[name].__qualname__
            raise ValueError(f"exporter name {name!r} is taken by {taken}")
        Exporter.registry[name] = cls


# %%
class CsvExporter(Exporter):
    name = "csv"

    def export(self, rows):
        return "\n".join(",".join(map(str, row)) for row in rows)


class TextExporter(Exporter):  # no name: a base for text formats, not a format
    def export(self, rows):
        return "\n".join(self.sep.join(map(str, row)) for row in rows)


class TsvExporter(TextExporter):
    name, sep = "tsv", "\t"


# %%
print(Exporter.registry)
print(repr(Exporter.registry["tsv"]().export([(1, "a"), (2, "b")])))
try:

    class OtherCsv(Exporter):
        name = "csv"

except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# **What to notice.** Registration happens when the class statement runs, that is, when its
# module is imported: a plugin in a module nobody imports is never registered. Real plugin
# systems import their plugins first, by a list in the configuration or through package entry
# points (`importlib.metadata.entry_points`). The refused class was never added: the check
# comes before the store.

# %% [markdown]
# ### Try it
# Subclass `CsvExporter` as `class ExcelCsv(CsvExporter)` with a different `export` and no
# `name` of its own. Is it registered? Then change the hook to read the name with
# `getattr(cls, "name", None)` instead of `cls.__dict__.get("name")`, rebuild the classes, and
# define `ExcelCsv` again. What happens, and which behaviour do you want? (Answer:
# [tryit/04 § 2](../solutions/tryit/04_metaclasses.md#2-an-inherited-name).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Singletons, and the race in the usual sketch
#
# A singleton class has one instance: every call returns the same object. The usual sketch
# overrides the metaclass's `__call__` to keep the first instance in a dict. Here it is, in
# `advpy.lessons.metaclasses.singletons`:

# %%
print(inspect.getsource(singletons.NaiveSingletonMeta.__call__))

# %% [markdown]
# It works in one thread. With threads, `if cls not in cls._instances` and the store below it
# are two separate steps, and `super().__call__` between them runs the class's `__init__`.
# Any thread that arrives while the first one is still inside `__init__` finds no instance
# and builds its own. How often that happens depends on how long `__init__` keeps the window
# open, and on whether other threads get to run meanwhile.
#
# `measure_race` forces the question the way lesson 01 forces its counter race: 8 threads wait
# at a barrier so that they start together, each asks a **new** class for its instance once,
# and this is repeated many times; the record counts the tries in which the threads got more
# than one instance. It runs under the default switch interval (5 ms) and under a 1 µs
# interval, which makes waiting threads ask for the GIL all the time. Nothing is added to the
# code under test: the three classes differ only in what a real `__init__` might do: nothing,
# parse 200 lines of settings in Python, or open a SQLite database.

# %%
tries = pick(200, 30)
ways, inits = list(singletons.WAYS), list(singletons.INITS)
races = singletons.measure_races(ways, inits, [0.005, 1e-6], tries=tries)
for r in races:
    print(
        f"{r.way:24} | {r.init:26} | interval {r.interval * 1e6:>6,.0f} µs: "
        f"{r.duplicated:>3} of {r.tries} tries built 2+ instances ({r.extra} extra)"
    )

# %%
fig, ax = plot_race(races)

# %% [markdown]
# **What to notice.**
# - **An `__init__` that opens a database** races in many tries, at the default interval
#   already. `sqlite3.connect` lets go of the GIL while SQLite opens the database (as file
#   and network I/O do), so the other threads run right inside the window, find no instance
#   and build their own: several database connections from a "singleton".
# - **Pure-Python work** (parsing settings) has no such pause. Other threads get in only when
#   the interpreter switches threads at one of its check points, after a waiting thread has
#   asked for the GIL. At the default 5 ms that hardly ever falls inside an `__init__` this
#   short; at 1 µs waiting threads ask all the time, and some share of the tries races.
# - **An empty `__init__`** leaves the smallest window: on this interpreter no check point
#   falls between the check and the store (lesson 01 explains why), so it raced in no try, or
#   almost none. That is a detail of one implementation, not a guarantee: another version or
#   a free-threaded build can race there too.
# - The counts are random and change from run to run (rerun the cell); a 1 µs interval does
#   not always raise them. The number on top of each bar is the count of tries.
# - **`functools.cache` has the same race.** Its documentation says so: the cache itself is
#   thread-safe, but the wrapped function may run more than once if a second call comes before
#   the first has finished. Two callers can get two different "only" objects.
# - **Double-checked locking** built exactly one instance in every try, in the same
#   conditions.
#
# The fix checks again under a lock:

# %%
print(inspect.getsource(singletons.LockedSingletonMeta))

# %% [markdown]
# Why check twice? The first check, without the lock, is the fast path for every call after
# the first: the instance exists, return it. A thread that finds no instance takes the lock
# and then must look again, because another thread may have built the instance while this one
# was waiting for the lock. The lock is an `RLock` so that a singleton's `__init__` may ask for
# another singleton in the same thread without waiting for itself.
#
# ### What a call costs once the instance exists
#
# `measure_call_costs` times one call of each way to get "the" instance, after it exists (the
# best of several runs of many calls):

# %%
costs = singletons.measure_call_costs(number=pick(200_000, 20_000))
for c in costs:
    print(f"{c.way:36}: {c.nanoseconds:6.0f} ns per call")
fig, ax = plot_call_costs(costs)

# %% [markdown]
# **What to notice.** The double-checked version costs what the naive one does: after the
# first call it never touches the lock. Taking the lock on every call is also correct, and
# costs several times more per call; that matters only if you ask for the singleton in a hot
# loop. Calling a class through a Python-level `__call__` costs more than building a plain
# empty object, and more than reading a module attribute or calling a cached function.
#
# ### When a module or `functools.cache` is the better singleton
# - **A module is Python's built-in singleton.** It runs once, on first import, under the
#   import lock, so a module-level object (`engine = create_engine(...)` in `db.py`) is created
#   once even when threads import the module together, and reading `db.engine` is the cheapest
#   way of all above. Prefer it when the object can be made at import time.
# - **`@functools.cache` on a factory function** (`def get_settings(): return Settings()`) makes
#   the object lazily, on first use; tests can start afresh with `get_settings.cache_clear()`,
#   and it gives one object per distinct argument if you need that. It is the right choice when
#   building the object twice in a rare race would be harmless (reading a configuration file).
#   When it would not be (a connection pool, a file opened for writing), make the factory take
#   a lock, or use the locked metaclass.
# - **A metaclass** earns its place when the class itself must be the way in (`Database()`
#   everywhere, say, in code you do not control) and when every subclass should get the same
#   behaviour.

# %% [markdown]
# ### Try it
# A singleton quietly ignores the arguments of every call after the first:
# `Database("a.db")` then `Database("b.db")` gives you the `a.db` instance. Write a locked
# singleton metaclass that remembers the first call's arguments and raises a `TypeError` when
# a later call passes different ones. (Answer:
# [tryit/04 § 3](../solutions/tryit/04_metaclasses.md#3-a-singleton-that-refuses-other-arguments).)

# %%
# Your experiment here.

# %% [markdown]
# ## 6. A small ORM on SQLite
#
# A declarative model layer lets you describe a table as a class and then work with instances
# instead of SQL. `advpy.lessons.metaclasses.orm` holds one in under 200 lines. Its fields are
# **descriptors**: `__set_name__` tells each one its name when the class is created, and
# `__set__` runs on every assignment to the attribute, so a field can refuse a value of the
# wrong type.

# %%
print(inspect.getsource(orm.Field.__set_name__))
print(inspect.getsource(orm.Field.__set__))
print(inspect.getsource(orm.Field.check))

# %% [markdown]
# The metaclass collects the fields when a model class is created, parents' fields first,
# then this class's in the order they were written (the namespace dict keeps that order):

# %%
print(inspect.getsource(orm.ModelMeta))


# %% [markdown]
# Now a model, its table in a real SQLite database file in a temporary folder, and some rows:


# %%
class Book(orm.Model):
    id = orm.Integer(primary_key=True)
    title = orm.Text()
    year = orm.Integer(nullable=True)
    price = orm.Real(nullable=True)


print(list(Book.__fields__), Book.__tablename__)
print(Book.create_table_sql())

# %%
folder = tempfile.TemporaryDirectory(prefix="advpy-04-")
db = orm.Database(Path(folder.name) / "library.db")
db.create(Book)
dune = Book(title="Dune", year=1965, price=9.5)
db.insert(dune, Book(title="Emma", year=1815), Book(title="Untitled draft", price=0.0))
print("inserted:", dune)
print("\n".join(db.statements))

# %%
for book in db.select(Book, "year < ?", 1900):
    print("before 1900:", book)
print("every title:", [book.title for book in db.select(Book)])

# %% [markdown]
# The rows are really in the database file: a second, plain `sqlite3` connection reads them
# back without the ORM, along with the schema SQLite stored.

# %%
with sqlite3.connect(Path(folder.name) / "library.db") as raw:
    print(raw.execute("SELECT sql FROM sqlite_master").fetchone()[0])
    print(raw.execute('SELECT * FROM "book" ORDER BY "id"').fetchall())
raw.close()

# %% [markdown]
# The descriptors refuse wrong types before anything reaches SQL:

# %%
for bad in ({"title": 42}, {"title": None}, {"title": "Dune", "year": True}, {"titel": "x"}):
    try:
        Book(**bad)
    except TypeError as error:
        print(f"Book(**{bad}) -> TypeError: {error}")

# %%
db.close()
folder.cleanup()

# %% [markdown]
# **What to notice.**
# - The class statement did all the set-up: by the time `Book` existed, its fields knew their
#   names, and the model knew its columns in order, so `CREATE TABLE` is generated, not
#   written.
# - Values travel as `?` parameters, never pasted into the SQL text: a title such as
#   `'); DROP TABLE book; --` is stored as a title. Identifiers (table and column names) cannot
#   be parameters, so they are quoted, which lets a model be called `Order` or a field
#   `group`, two words SQL reserves.
# - `True` is refused for an `Integer` field although `bool` is a subclass of `int`: the check
#   compares exact types. `0.0` was kept as a price: a falsy value is still a value.
# - A metaclass was convenient here, not necessary: `__init_subclass__` could collect the
#   fields just as well. The graded set lets you choose.

# %% [markdown]
# ### Try it
# Add a `Boolean` field stored in an `INTEGER` column, which accepts exactly `True` and
# `False` and reads back as a `bool` (SQLite gives back `0` and `1`). Where must the
# conversion happen? (Answer:
# [tryit/04 § 4](../solutions/tryit/04_metaclasses.md#4-a-boolean-field).)

# %%
# Your experiment here.

# %% [markdown]
# ## 7. The same machinery in SQLAlchemy, pydantic, `enum` and `abc`
#
# `inspect_machinery` reads a class's metaclass, the metaclass's MRO, which class-level hooks
# the metaclasses below `type` define (from the list in `machinery.HOOKS`), and which class
# defines the `__init_subclass__` that its subclasses run. All live, on the installed versions:


# %%
class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class AuthorIn(pydantic.BaseModel):
    name: str


class Color(enum.Enum):
    RED = 1
    GREEN = 2


# %%
print(f"SQLAlchemy {sqlalchemy.__version__}, pydantic {pydantic.VERSION}")
for cls in (Author, AuthorIn, Color, Shape):
    m = machinery.inspect_machinery(cls)
    print(f"{m.name}: made by {m.metaclass}")
    print(f"    metaclass MRO: {' -> '.join(m.metaclass_mro)}")
    print(f"    its hooks: {', '.join(m.hooks) or '(none)'}")
    print(f"    __init_subclass__ from: {m.init_subclass or '(only object)'}")

# %% [markdown]
# What each one uses the machinery for, seen on the live objects:

# %%
print("SQLAlchemy built the table in __init_subclass__:", repr(Author.__table__))
print("pydantic collected the fields at class creation:", list(AuthorIn.model_fields))
print("EnumType gives the class len, [] and iteration:", len(Color), Color["RED"], list(Color))
print("ABCMeta refuses to instantiate an abstract class:", end=" ")
try:
    Shape()
except TypeError as error:
    print(error)

# %% [markdown]
# And the conflict of section 2 between real libraries: a class that wants to be both a
# SQLAlchemy model and a pydantic model.

# %%
try:

    class AuthorBoth(Base, pydantic.BaseModel):
        __tablename__ = "author_both"
        id: Mapped[int] = mapped_column(primary_key=True)

except TypeError as error:
    print("TypeError:", error)

# %% [markdown]
# **What to notice.**
# - **SQLAlchemy 2** maps the class in `DeclarativeBase.__init_subclass__`; its metaclass,
#   `DeclarativeAttributeIntercept`, only catches attributes set or deleted on a mapped class
#   *afterwards* (`Author.nickname = mapped_column(...)`), which only a metaclass's
#   `__setattr__` can see.
# - **pydantic 2**'s `ModelMetaclass` derives from `ABCMeta` and does its work in `__new__`:
#   it reads the annotations and builds the validators once per class, so each instance pays
#   only for validation.
# - **`enum`**'s `EnumType` uses nearly every hook: `__prepare__` to refuse a member defined
#   twice, `__call__` so that `Color(1)` *looks up* a member instead of making one, and
#   `__len__`, `__getitem__`, `__iter__`, `__contains__` for the class itself.
# - **`abc.ABCMeta`** records the abstract methods in `__new__` (instances are refused later,
#   in `object.__new__`) and answers `isinstance` through `__instancecheck__`, which is how
#   `ABC.register` works.
# - Mixing two of them fails as section 2 predicts. Libraries that do combine them (SQLModel
#   for these two) ship a metaclass derived from both.

# %% [markdown]
# ### Try it
# Which of `typing.Protocol`, `typing.NamedTuple`, `dataclasses.dataclass` and `typing.TypedDict`
# use a metaclass? Check with `type(...)` on a class you make with each, and
# `inspect_machinery`. (Answer:
# [tryit/04 § 5](../solutions/tryit/04_metaclasses.md#5-metaclasses-in-the-standard-library).)

# %%
# Your experiment here.

# %% [markdown]
# ## Pitfalls and under the hood
#
# **When the machinery costs.** A metaclass or `__init_subclass__` runs once per class, when
# the class is created, usually at import. What runs per instance is `__call__` and the
# descriptors. Measured here: creating one class with three fields in each style, then
# building one instance with and without validating descriptors.


# %%
def plain_class():
    return type("P", (), {"a": 1, "b": 2, "c": 3})


def orm_model():
    return orm.ModelMeta("M", (orm.Model,), {"a": orm.Integer(), "b": orm.Text(), "c": orm.Real()})


def pydantic_model():
    return pydantic.create_model("D", a=(int, ...), b=(str, ...), c=(float, ...))


creation = machinery.measure_creation(
    {"plain class": plain_class, "orm.Model subclass": orm_model, "pydantic model": pydantic_model},
    number=pick(200, 20),
)
for c in creation:
    print(f"create one {c.kind:20}: {c.microseconds:8.1f} µs")


# %%
class PlainBook:
    def __init__(self, title, year):
        self.title, self.year = title, year


class CheckedBook(orm.Model):
    title = orm.Text()
    year = orm.Integer()


def build_many(make):
    return [make(title="Dune", year=1965) for _ in range(1000)]


for label, make in (("plain class", PlainBook), ("validating fields", CheckedBook)):
    seconds = timing.best_time(pick(5, 3), build_many, make)
    print(f"build one instance, {label:17}: {seconds * 1e6 / 1000:6.2f} µs")

# %% [markdown]
# Creating a pydantic model class costs far more than a plain class because its metaclass
# builds the validators then; that is paid once, at import. Per instance, the validating
# descriptors make building an object a few times slower than plain attributes (compare the
# last two lines): a price worth paying at a boundary (input from users, rows from a
# database), not in an inner loop.
#
# **A singleton can still be copied.** `copy.copy` and `pickle` make objects without calling
# the class, so they bypass the metaclass's `__call__`:


# %%
class Settings(metaclass=singletons.LockedSingletonMeta):
    pass


print("Settings() is Settings():", Settings() is Settings())
print("copy.copy(Settings()) is Settings():", copy.copy(Settings()) is Settings())

# %% [markdown]
# **Singletons and tests.** The instance outlives every test that touched it, so state leaks
# from one test into the next. Give tests a way to start afresh (remove the class from the
# metaclass's `_instances`, or `cache_clear()` a cached factory), or pass the object in as a
# parameter instead of reaching for a global one.
#
# **The registry of instances keeps classes alive.** `_instances` holds a strong reference to
# every singleton class and its instance, for the life of the program. That is harmless for a
# few classes defined at import; a program that creates classes on the fly leaks them.
#
# **Threads inside class creation.** Class statements run at import, under the import lock, so
# a registry filled at import is safe. A registry that is also written *later*, from threads
# (registering plugins at run time), needs its own lock, like any shared dict that is
# checked and then updated.

# %% [markdown]
# ## Summary
#
# - A class statement runs the body into a namespace, then calls the metaclass:
#   `__prepare__`, `__new__` (during which descriptors' `__set_name__` and the parent's
#   `__init_subclass__` run), `__init__`. Calling a class runs the metaclass's `__call__`.
# - The metaclass is the most derived of the `metaclass=` keyword and the bases' metaclasses;
#   when none derives from all others, class creation fails, and a metaclass derived from both
#   fixes it.
# - Prefer `__init_subclass__`, class decorators and `__set_name__` descriptors; use a metaclass
#   for `__prepare__`, for `__call__`, for behaviour of the class object itself, or to act on
#   the base class too.
# - A registry via `__init_subclass__` registers subclasses only, at import, and should refuse
#   a key that is taken.
# - The usual singleton metaclass builds several instances when threads race through a slow
#   `__init__` (most tries above when `__init__` opened a database); so can a
#   `functools.cache` factory. Double-checked locking built one in every try, at no extra cost
#   per call. A module is the simplest singleton.
# - A declarative ORM is descriptors (validation, names) plus class-creation code (collecting
#   fields, generating SQL); SQLAlchemy, pydantic, `enum` and `abc` are built from the same
#   parts.
#
# **Graded exercises:**
# [exercises/ps04_metaclasses.ipynb](exercises/ps04_metaclasses.ipynb): a plugin registry that
# refuses duplicate keys, a thread-safe singleton metaclass, and a model whose fields validate
# their types and generate a `CREATE TABLE` statement that SQLite accepts.
