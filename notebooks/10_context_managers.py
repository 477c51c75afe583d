# %% [markdown]
# # 10 · Context managers: cleanup that cannot be forgotten
#
# Every backend juggles things that must be given back: database transactions, connections,
# files, locks, temporary settings. The hard part is never the happy path; it is giving them
# back when something fails halfway. A `with` statement hands that job to an object, a
# **context manager**, and Python guarantees that its cleanup runs however the block ends.
# This lesson takes the protocol apart, then uses it where it matters most: transactions on a
# real SQLite database file, with the standard library and with SQLAlchemy.
#
# **Learning objectives.** By the end you can:
# - **trace** what `with` does: `__enter__`, `__exit__` and its three arguments, what
#   returning `True` does, and what happens when `__exit__` itself raises;
# - **write** context managers as classes and with `@contextmanager`, with the `try/finally`
#   a generator needs;
# - **run** transactions that commit on success and roll back on error, **explain** what
#   `with sqlite3.connect(...)` does and does not do, and **nest** them with SAVEPOINTs, in
#   `sqlite3` and in SQLAlchemy;
# - **manage** any number of resources with `ExitStack`, and **use** `closing`, `suppress`,
#   `redirect_stdout`, `nullcontext`, `chdir` and async context managers;
# - **restore** temporary state (an environment variable, the working directory) even on
#   error, and **measure** what a `with` statement costs.
#
# **Prerequisites:** classes, exceptions and `try/finally`; generators
# ([03 · Generators and async](03_generators_async.ipynb), section 1.2, for `@contextmanager`
# and section 3 for `await`). A little SQL (`INSERT`, `SELECT`).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import asyncio
import inspect
import io
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import (
    AsyncExitStack,
    ExitStack,
    asynccontextmanager,
    chdir,
    closing,
    contextmanager,
    nullcontext,
    redirect_stdout,
    suppress,
)
from pathlib import Path

from sqlalchemy.orm import Session

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.context_managers import database, overhead
from advpy.lessons.context_managers.database import Order
from advpy.lessons.context_managers.resources import LoggedResource

print(machine_summary())
print(f"sqlite3 module on Python {sys.version.split()[0]}, SQLite library {sqlite3.sqlite_version}")
# Every database and file of this lesson lives in one temporary folder, removed when the
# kernel stops (a TemporaryDirectory cleans up after itself, even without a `with`).
scratch = tempfile.TemporaryDirectory(prefix="advpy-10-")
workdir = Path(scratch.name)

# %% [markdown]
# ## 1. The protocol: `__enter__` and `__exit__`
#
# `with EXPR as NAME: BODY` evaluates `EXPR` to get a context manager, calls its `__enter__()`
# and binds the result to `NAME`, runs `BODY`, and then **always** calls
# `__exit__(exc_type, exc, traceback)`: with three `None`s when the body finished, or with the
# exception's type, the exception object and its traceback when the body raised. A class that
# announces each step:


# %%
class Announce:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print(f"  __enter__ {self.name}")
        return self.name.upper()  # what `as` receives: anything, not necessarily self

    def __exit__(self, exc_type, exc, tb):
        print(f"  __exit__ {self.name}: {exc_type=}, {exc=}, traceback given: {tb is not None}")
        return False  # do not swallow the exception (None means the same)


with Announce("order") as value:
    print("  body, with value", value)

# %%
try:
    with Announce("payment"):
        raise KeyError("card-42")
except KeyError as error:
    print("the KeyError still came out of the with statement:", repr(error))


# %% [markdown]
# **Returning a true value from `__exit__` swallows the exception.** The `with` statement then
# ends normally and the program carries on after it, as if nothing had happened:


# %%
class Swallow(Announce):
    def __exit__(self, exc_type, exc, tb):
        super().__exit__(exc_type, exc, tb)
        return True


with Swallow("quiet"):
    raise KeyError("lost")
print("execution went on after the with statement; the KeyError is gone")


# %% [markdown]
# **An exception raised inside `__exit__` replaces the one that was propagating.** The
# original survives only as the new exception's `__context__`:


# %%
class BrokenCleanup(Announce):
    def __exit__(self, exc_type, exc, tb):
        super().__exit__(exc_type, exc, tb)
        raise OSError("cleanup failed")


try:
    with BrokenCleanup("socket"):
        raise ValueError("the real problem")
except Exception as error:
    print("came out:", repr(error), "| its __context__:", repr(error.__context__))


# %% [markdown]
# **When `__enter__` raises, `__exit__` is never called**, and the body does not run: there is
# nothing to clean up yet, as far as Python knows.


# %%
class FailsToOpen(Announce):
    def __enter__(self):
        print(f"  __enter__ {self.name} raises")
        raise ConnectionError("no route to host")


try:
    with FailsToOpen("db"):
        print("  never printed")
except ConnectionError as error:
    print("came out:", repr(error), "and no __exit__ line above")

# %% [markdown]
# **What to notice.** The four cells are the whole protocol; written out by hand, a `with`
# statement is roughly:
#
# ```python
# manager = EXPR
# value = type(manager).__enter__(manager)   # if this raises, nothing else happens
# try:
#     NAME = value
#     BODY
# except BaseException as error:
#     if not type(manager).__exit__(manager, type(error), error, error.__traceback__):
#         raise                              # a false result: the exception goes on
# else:
#     type(manager).__exit__(manager, None, None, None)
# ```
#
# `except BaseException`: `KeyboardInterrupt` and `SystemExit` go through `__exit__` too, so a
# transaction interrupted by Ctrl-C is rolled back like any other. And the special methods are
# looked up on the *type*, not the instance.

# %% [markdown]
# ### Try it
# Change `Swallow.__exit__` to return the string `"no"`, then `0`, then `None`. Predict which
# of them swallow the `KeyError` before you run it.
# (Answer: [tryit/10 § 1](../solutions/tryit/10_context_managers.md#1-what-counts-as-true).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. `@contextmanager`: a generator with one `yield`
#
# Writing a class for each manager is verbose. `contextlib.contextmanager` turns a generator
# function into one: the code before `yield` is `__enter__`, the yielded value is what `as`
# receives, and the code after `yield` is `__exit__`. If the block raises, the exception is
# **raised inside the generator, at the `yield`**. So cleanup after a bare `yield` is skipped:


# %%
@contextmanager
def announced_naive(name):
    print(f"  open {name}")
    yield name.upper()
    print(f"  close {name}")  # skipped when the block raises


with announced_naive("report.csv") as value:
    print("  body got", value)

# %%
try:
    with announced_naive("report.csv"):
        raise ValueError("bad row")
except ValueError:
    print("ValueError came out, and 'close' was never printed: the file would stay open")


# %% [markdown]
# The rule: **put the `yield` in a `try` and the cleanup in its `finally`.** Catching the
# exception (an `except` around the `yield`) is also allowed; not re-raising it swallows it,
# exactly like returning `True` from `__exit__`.


# %%
@contextmanager
def announced(name):
    print(f"  open {name}")
    try:
        yield name.upper()
    finally:
        print(f"  close {name}")


try:
    with announced("report.csv"):
        raise ValueError("bad row")
except ValueError:
    print("ValueError came out, after 'close'")

# %% [markdown]
# **What to notice.** A generator-based manager is shorter, but its cleanup is only as safe as
# the `try/finally` you write around `yield`; a class's `__exit__` is called whatever happens.
# Section 7 measures what the convenience costs per use.
#
# ### Try it
# Write a `@contextmanager` generator that yields twice (or never). What happens at the end of
# the `with` block (or at its start)?
# (Answer: [tryit/10 § 2](../solutions/tryit/10_context_managers.md#2-one-yield-exactly).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. Transactions on a real SQLite database
#
# A transaction is the textbook context manager: a group of changes that must be saved whole
# or not at all. Everything here runs against a database **file**, and we always check what a
# **second connection** sees: only committed rows are visible to it, exactly as for another
# process or another server. `database.create_shop` makes a table `orders`, and
# `database.committed(path)` lists its items through a fresh connection.
#
# ### 3.1 The notes' `Transaction`, and where it falls short
#
# The course notes sketch a class that commits when the block succeeds and rolls back when it
# raises:

# %%
print(inspect.getsource(database.NotesTransaction))

# %%
shop = workdir / "shop.db"
database.create_shop(shop)
conn = sqlite3.connect(shop)

with database.NotesTransaction(conn):
    conn.execute("INSERT INTO orders (item) VALUES ('book')")
print("after a block that succeeded:", database.committed(shop))

try:
    with database.NotesTransaction(conn):
        conn.execute("INSERT INTO orders (item) VALUES ('lamp')")
        raise ValueError("card declined")
except ValueError:
    pass
print("after a block that raised:   ", database.committed(shop))


# %% [markdown]
# One level deep, it does its job. But functions call functions: `record_payment` uses its
# own transaction, and `place_order` calls it from inside another one. Then the inner block's
# `commit()` commits **the outer block's half-finished work too**, and the outer rollback has
# nothing left to undo:


# %%
def record_payment(conn, item):
    with database.NotesTransaction(conn):
        conn.execute("INSERT INTO orders (item) VALUES (?)", (f"payment for {item}",))


def place_order(conn, item):
    with database.NotesTransaction(conn):
        conn.execute("INSERT INTO orders (item) VALUES (?)", (item,))
        record_payment(conn, item)
        raise RuntimeError("shipping failed: the whole order must be undone")


try:
    place_order(conn, "desk")
except RuntimeError:
    pass
print("after the failed order:", database.committed(shop))

# %% [markdown]
# The second gap: SQLite checks a **deferred** foreign key only at COMMIT, so COMMIT itself can
# fail. (SQLite checks foreign keys only on connections that ask for it, with
# `PRAGMA foreign_keys = ON`.) The sketch calls `commit()` and stops there, and the connection
# is left **inside the transaction**, holding the database's write lock so that no other
# connection can write:

# %%
conn.execute("PRAGMA foreign_keys = ON")
try:
    with database.NotesTransaction(conn):
        conn.execute("INSERT INTO payments (order_id) VALUES (404)")  # no order 404
except sqlite3.IntegrityError as error:
    print("COMMIT failed:", error, "| still in a transaction:", conn.in_transaction)
conn.rollback()  # clean up by hand

# %% [markdown]
# **What to notice.** The sketch is right about the shape (commit in `__exit__` on success,
# roll back on error, return nothing so the exception propagates) and wrong in two places that
# only show under failure: nested blocks commit the caller's work (the `desk` row above should
# not exist), and a failing COMMIT leaves the transaction open. Sections 3.3 and 3.4 fix the
# first with savepoints; the fix for the second is to roll back when COMMIT raises, as the
# next section shows `sqlite3` itself does.
#
# ### 3.2 What `with sqlite3.connect(...)` really does
#
# A `sqlite3.Connection` is a context manager too, and its name suggests it closes the
# connection. It does not: `with conn:` **commits** if the block succeeded, **rolls back** if it
# raised, and leaves the connection **open**.

# %%
database.create_shop(shop)
with sqlite3.connect(shop) as conn:
    conn.execute("INSERT INTO orders (item) VALUES ('chair')")
print("committed:", database.committed(shop))
count = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
print(f"after the with block the connection still answers: {count} row(s)")

# %%
conn.execute("PRAGMA foreign_keys = ON")
try:
    with conn:
        conn.execute("INSERT INTO payments (order_id) VALUES (404)")
except sqlite3.IntegrityError as error:
    print("COMMIT failed:", error, "| still in a transaction:", conn.in_transaction)

# %% [markdown]
# Where COMMIT fails, `sqlite3`'s own `__exit__` rolls back before re-raising: the connection
# is not left inside the transaction, unlike the sketch's. To **close** the connection, wrap it
# in `contextlib.closing`, which calls `close()` on exit:

# %%
conn.close()
with closing(sqlite3.connect(shop)) as conn, conn:  # closing() outside, the transaction inside
    conn.execute("INSERT INTO orders (item) VALUES ('shelf')")
print("committed:", database.committed(shop))
try:
    conn.execute("SELECT 1")
except sqlite3.ProgrammingError as error:
    print("after closing():", error)

# %% [markdown]
# **When does `sqlite3` begin a transaction?** That depends on the Python version and on how
# the connection was opened. By default (`isolation_level=""`), the module sends `BEGIN`
# implicitly before an `INSERT`, `UPDATE`, `DELETE` or `REPLACE`, and never before a `SELECT`,
# so a block that only reads is not in a transaction at all. With `isolation_level=None` it
# never begins one: you send `BEGIN` yourself. Python 3.12 added `sqlite3.connect(autocommit=...)`:
# `autocommit=False` keeps a transaction open at all times, as the database API standard
# (PEP 249) asks (`commit()` and `with conn:` commit and immediately begin the next one), and
# `autocommit=True` leaves everything to you. This course supports Python 3.11, which has only
# `isolation_level`; here is what this interpreter offers:

# %%
probe = sqlite3.connect(shop)
print("isolation_level of a default connection:", repr(probe.isolation_level))
probe.execute("SELECT count(*) FROM orders").fetchone()
print("in a transaction after a SELECT:", probe.in_transaction)
probe.execute("INSERT INTO orders (item) VALUES ('probe')")
print("in a transaction after an INSERT:", probe.in_transaction)
probe.rollback()
probe.close()
if sys.version_info >= (3, 12):
    with closing(sqlite3.connect(shop, autocommit=False)) as pep249:
        print("autocommit=False: in a transaction right after connect:", pep249.in_transaction)
else:
    print(f"Python {sys.version.split()[0]}: no autocommit= argument (it came in 3.12)")

# %% [markdown]
# ### 3.3 Nested transactions: SAVEPOINT
#
# SQLite nests with **savepoints**, named marks inside the current transaction:
# `SAVEPOINT name` sets one, `ROLLBACK TO name` undoes everything since the mark while the
# transaction goes on, and `RELEASE name` drops the mark and keeps the work, which is still
# committed or rolled back with the enclosing transaction. The connection below is opened with
# `isolation_level=None`, so that every statement that controls the transaction is ours:

# %%
database.create_shop(shop)
conn = sqlite3.connect(shop, isolation_level=None)
conn.execute("BEGIN")
conn.execute("INSERT INTO orders (item) VALUES ('desk')")
conn.execute("SAVEPOINT payment")
conn.execute("INSERT INTO orders (item) VALUES ('payment for desk')")
conn.execute("ROLLBACK TO payment")  # the payment failed: undo it alone
conn.execute("RELEASE payment")
print("inside the transaction:", [r[0] for r in conn.execute("SELECT item FROM orders")])
print("committed so far:      ", database.committed(shop))
conn.execute("INSERT INTO orders (item) VALUES ('desk: pay on delivery')")
conn.execute("COMMIT")
print("after COMMIT:          ", database.committed(shop))
conn.close()

# %% [markdown]
# **What to notice.** `ROLLBACK TO` undid the payment row and nothing else; the transaction
# went on, and only the final COMMIT made the rows visible to other connections. A
# transaction context manager that nests follows the same plan: at the outermost level `BEGIN`
# and `COMMIT`/`ROLLBACK`; inside an open transaction `SAVEPOINT`, then `RELEASE` or
# `ROLLBACK TO`. Building it, with every failure handled, is Part A of the graded set.
#
# ### 3.4 The same with SQLAlchemy's `Session`
#
# SQLAlchemy's `Session` is a context manager (it **closes** the session on exit), and
# `session.begin()` returns another one that commits on success and rolls back on error.
# `session.begin_nested()` is a savepoint. `database.make_engine` creates an engine on a
# fresh file with the `Order` model's table:

# %%
engine = database.make_engine(workdir / "orm.db", nesting_fix=True)
with Session(engine) as session, session.begin():
    session.add(Order(item="lamp"))
    try:
        with session.begin_nested():  # SAVEPOINT
            session.add(Order(item="payment for lamp"))
            raise ValueError("card declined")
    except ValueError:
        pass  # only the savepoint was rolled back
    session.add(Order(item="lamp: pay on delivery"))
print("committed:", database.items(engine))

# %% [markdown]
# The engine above was made with `nesting_fix=True`. The `sqlite3` driver's default
# transaction handling (section 3.2: `BEGIN` only before a write) interferes with savepoints:
# a `SAVEPOINT` sent before the transaction's first write starts the transaction itself, and
# releasing it then **commits**. Here is the same nesting, an inner savepoint that succeeds
# inside an outer transaction that fails, with the driver's defaults and with the fix:

# %%
for fix in (False, True):
    engine = database.make_engine(workdir / f"orm-{fix}.db", nesting_fix=fix)
    try:
        with Session(engine) as session, session.begin():
            with session.begin_nested():
                session.add(Order(item="inner"))
            raise RuntimeError("the outer transaction fails")
    except RuntimeError:
        pass
    print(f"nesting_fix={fix}: rows left after the outer rollback: {database.items(engine)}")

# %% [markdown]
# **What to notice.** With the fix, the outer rollback undid everything. If the first line
# shows a row left behind, the driver's defaults committed it on this interpreter, although
# the outer transaction failed. `make_engine` applies the remedy SQLAlchemy's SQLite
# documentation gives: on Python 3.12 and later `connect_args={"autocommit": False}`; on 3.11
# two event hooks that switch the driver's own transaction handling off
# (`isolation_level = None`) and send an explicit `BEGIN`. Use one of them whenever you nest
# transactions on SQLite.

# %% [markdown]
# ### Try it
# Run the notes' `place_order` again, but give `record_payment` a transaction that nests
# (with the raw SQL of section 3.3, or SQLAlchemy's `begin_nested`). Which rows are left after
# the failed order?
# (Answer: [tryit/10 § 3](../solutions/tryit/10_context_managers.md#3-a-payment-that-nests).)

# %%
# Your experiment here.

# %% [markdown]
# ## 4. `ExitStack`: any number of resources
#
# One `with` per resource works when you know how many there are. A job that opens one file
# per region, or a test that starts a variable set of servers, does not. `ExitStack` is a
# context manager that holds others: `stack.enter_context(cm)` enters `cm` now and exits it
# when the stack closes, in reverse order, as nested `with` statements would.

# %%
regions = ["north", "south", "east", "west"][: pick(4, 3)]
with ExitStack() as stack:
    files = [stack.enter_context(open(workdir / f"{r}.csv", "w")) for r in regions]
    for region, handle in zip(regions, files, strict=True):
        handle.write(f"region,{region}\n")
    print("open inside the block: ", [not f.closed for f in files])
print("closed after the block:", [f.closed for f in files])

# %% [markdown]
# The point of the stack is what happens when acquiring fails halfway: everything already
# acquired is released, in reverse order, and the exception propagates.
# `LoggedResource` logs what happens to it; the third one fails to open:

# %%
log = []
try:
    with ExitStack() as stack:
        for name, fails in [("db", False), ("cache", False), ("queue", True), ("mail", False)]:
            stack.enter_context(LoggedResource(name, log, fail_on_enter=fails))
        log.append("body")
except OSError as error:
    log.append(f"caught {error!r}")
print("\n".join(log))

# %% [markdown]
# `stack.callback(func, *args)` registers any cleanup function, and `stack.pop_all()` moves the
# registered cleanups to a new stack: the way to hand resources over to a caller only once
# every one of them was acquired.


# %%
def open_all(names, log):
    """Acquire every resource, or none: on failure the ones already acquired are released."""
    with ExitStack() as stack:
        handles = [stack.enter_context(LoggedResource(n, log)) for n in names]
        stack.callback(log.append, "the whole group is released")
        return handles, stack.pop_all()  # success: the caller owns the cleanups now


log = []
handles, release = open_all(["db", "cache"], log)
log.append(f"working with {handles}")
release.close()
print("\n".join(log))

# %% [markdown]
# **What to notice.** The log reads like nested `with` statements: `queue` failed, so `cache`
# and then `db` were released (each told about the `OSError`), `mail` was never touched, and the
# body never ran. In `open_all`, leaving the `with` after `pop_all()` released nothing, because
# the stack had handed everything over; the caller's `release.close()` did it later. A
# resource pool built on this is Part B of the graded set.
#
# ### Try it
# In `open_all`, make the second resource fail (`LoggedResource(n, log, fail_on_enter=...)`).
# What is in the log, and why does `pop_all()` never run?
# (Answer: [tryit/10 § 4](../solutions/tryit/10_context_managers.md#4-pop_all-and-failure).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. The standard library's small managers
#
# `contextlib` has a manager for most everyday cleanups. `closing(obj)` calls `obj.close()`
# on exit, for objects with a `close()` but no `with` support of their own (or, like a
# `sqlite3` connection, one that does something else):

# %%
with closing(sqlite3.connect(shop)) as conn:
    print("rows:", conn.execute("SELECT count(*) FROM orders").fetchone()[0])
try:
    conn.execute("SELECT 1")
except sqlite3.ProgrammingError as error:
    print("afterwards:", error)

# %% [markdown]
# `suppress(*exceptions)` swallows the exceptions named, and only those: removing a file that
# may not exist, without a `try/except/pass`:

# %%
with suppress(FileNotFoundError):
    os.remove(workdir / "no-such-file.tmp")
print("no error, and nothing else is hidden")

# %% [markdown]
# `redirect_stdout(target)` sends whatever is printed to another file-like object, for
# instance to capture a chatty function's output:

# %%
captured = io.StringIO()
with redirect_stdout(captured):
    print("this line goes into the buffer")
print("captured:", repr(captured.getvalue()))


# %% [markdown]
# `nullcontext(value)` does nothing and gives `value`: the stand-in when a manager is
# optional, so that the code needs no second branch without `with`:


# %%
def save(conn, item, *, in_transaction=True):
    with conn if in_transaction else nullcontext(conn):
        conn.execute("INSERT INTO orders (item) VALUES (?)", (item,))


with closing(sqlite3.connect(shop)) as conn:
    save(conn, "clock")
    save(conn, "rug", in_transaction=False)
    print("this connection, uncommitted 'rug' included:", conn.in_transaction)
    conn.rollback()
print("committed:", database.committed(shop))

# %% [markdown]
# `chdir(path)` (Python 3.11+) changes the working directory for the block and changes it
# back afterwards, even on error:

# %%
before = Path.cwd()
try:
    with chdir(workdir):
        print("inside: ", Path.cwd() == workdir.resolve())
        raise RuntimeError("failed while in the other folder")
except RuntimeError:
    pass
print("restored:", Path.cwd() == before)

# %% [markdown]
# **What to notice.** `save` ran both ways with one body. With the transaction, `clock` was
# committed by `with conn:`; without it, `rug` sat in the open transaction (the `True` above),
# and the rollback discarded it. The working directory and the environment are shared by the
# whole process, every thread included: `chdir` restores the folder, but another thread that
# runs meanwhile sees the change too.

# %% [markdown]
# ## 6. Temporary state that must come back, even on error
#
# Tests and scripts often change something global for a while: an environment variable, the
# working directory, a setting. A manager that forgets the `try/finally` restores it only
# when nothing goes wrong:


# %%
@contextmanager
def env_var_naive(name, value):
    previous = os.environ.get(name)
    os.environ[name] = value
    yield
    if previous is None:
        del os.environ[name]
    else:
        os.environ[name] = previous


try:
    with env_var_naive("ADVPY_DEMO_MODE", "maintenance"):
        raise RuntimeError("a test failed inside")
except RuntimeError:
    pass
print("naive, after an error:", repr(os.environ.get("ADVPY_DEMO_MODE")))
del os.environ["ADVPY_DEMO_MODE"]  # clean up by hand


# %% [markdown]
# Every test that runs after a failure like this one sees `maintenance` mode, and fails for a
# reason that has nothing to do with it. With `try/finally`, and a variable that did not exist
# before removed again rather than set to an empty string:


# %%
@contextmanager
def env_var(name, value):
    """Set the environment variable `name` to `value` for the block, then restore it."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


try:
    with env_var("ADVPY_DEMO_MODE", "maintenance"):
        print("inside:", os.environ["ADVPY_DEMO_MODE"])
        raise RuntimeError("a test failed inside")
except RuntimeError:
    pass
print("after an error:", repr(os.environ.get("ADVPY_DEMO_MODE")))


# %% [markdown]
# A timer is the same pattern with a clock: it must record the time even when the block
# fails, which is when you most want to know how long it ran.


# %%
class Timer:
    """Measure the wall time of the block into `seconds`, whether it succeeds or raises."""

    def __enter__(self):
        self.start = time.perf_counter()
        self.seconds = None
        return self

    def __exit__(self, exc_type, exc, tb):
        self.seconds = time.perf_counter() - self.start
        return False


with Timer() as timer:
    time.sleep(0.02)
print(f"the block took {timer.seconds * 1000:.1f} ms")
try:
    with Timer() as timer:
        time.sleep(0.01)
        raise TimeoutError("upstream did not answer")
except TimeoutError:
    print(f"the failed block took {timer.seconds * 1000:.1f} ms, and the time was still recorded")

# %% [markdown]
# **What to notice.** The naive manager left `maintenance` behind; the fixed one removed the
# variable again. The standard library has ready-made versions for tests:
# `unittest.mock.patch.dict(os.environ, {...})`, and pytest's `monkeypatch` fixture
# (`monkeypatch.setenv`, `monkeypatch.chdir`), which undo their changes at the end of each test.
#
# ### Try it
# Use `Timer` with `env_var` in one `with` statement (`with Timer() as t, env_var(...):`). In
# which order are they entered and exited? Does the time include restoring the variable?
# (Answer: [tryit/10 § 5](../solutions/tryit/10_context_managers.md#5-two-managers-in-one-with).)

# %%
# Your experiment here.

# %% [markdown]
# ## 7. What a `with` statement costs
#
# Is a context manager cheap enough to put around every small operation? `overhead` runs an
# empty block many times under each approach and reports the best time per use, minus the
# cost of the loop itself; then it times one `with conn:` block that inserts a row into an
# SQLite file and commits it.

# %%
costs = overhead.measure_overhead(uses=pick(50_000, 10_000), repeats=pick(5, 3))
costs.append(overhead.measure_commit(workdir / "commits.db", pick(50, 10), repeats=pick(3, 2)))
for record in costs:
    print(f"{record.approach:>30}: {record.seconds * 1e9:>12,.0f} ns per use")

# %%
fig, ax = overhead.plot_overhead(costs)

# %%
per_use = {r.approach: r.seconds for r in costs}
generator_vs_class = per_use["@contextmanager generator"] / per_use["class with __enter__/__exit__"]
commit_vs_generator = per_use["with conn: INSERT + COMMIT"] / per_use["@contextmanager generator"]
print(f"@contextmanager costs {generator_vs_class:.1f}x a class's __enter__/__exit__ per use.")
print(f"One committed INSERT costs {commit_vs_generator:,.0f}x a @contextmanager's overhead.")

# %% [markdown]
# **What to notice.** `try/finally` costs next to nothing (since Python 3.11 entering a `try`
# is free). A class-based manager costs two method calls. A `@contextmanager` one costs
# many times more, because every use creates a generator and a wrapper object and drives
# the generator twice (the first ratio above), and `ExitStack` more again. Even so, each of
# them is a matter of microseconds at most, while one commit to a file waits for the disk:
# the second ratio. Choose the form that reads best; only in a loop that runs millions of
# times does the difference between them show.

# %% [markdown]
# ## 8. Async context managers
#
# `async with` is the same protocol with `async def __aenter__` and `async def __aexit__`, so
# setting up and cleaning up can `await` (open a network connection, return it to a pool).
# `contextlib.asynccontextmanager` makes one from an async generator. A small connection pool,
# with cells using `await` at the top level as in lesson 03:


# %%
class Pool:
    """A pool of `size` pretend connections handed out through an asyncio.Queue."""

    def __init__(self, size):
        self.idle = asyncio.Queue()
        for number in range(size):
            self.idle.put_nowait(f"conn-{number}")

    async def __aenter__(self):
        print(f"  pool open, {self.idle.qsize()} idle connections")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        print(f"  pool closed, {self.idle.qsize()} idle connections")
        return False


@asynccontextmanager
async def borrowed(pool):
    conn = await pool.idle.get()  # waits while every connection is in use
    try:
        yield conn
    finally:
        pool.idle.put_nowait(conn)  # given back even if the block failed or was cancelled


# %%
async with Pool(3) as pool:
    async with borrowed(pool) as conn:
        print(f"  querying on {conn}; idle now: {pool.idle.qsize()}")
    print(f"  after the block, idle again: {pool.idle.qsize()}")

# %% [markdown]
# Cancellation is where the `finally` earns its keep: a timeout raises `CancelledError` inside
# the block, at its `await`, and the connection must still go back to the pool.
# `AsyncExitStack` is the async `ExitStack`; here it borrows two connections at once:


# %%
async def slow_report(pool):
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(borrowed(pool))
        second = await stack.enter_async_context(borrowed(pool))
        print(f"  report running on {first} and {second}; idle: {pool.idle.qsize()}")
        await asyncio.sleep(10)


pool = Pool(3)
try:
    async with asyncio.timeout(0.05):
        await slow_report(pool)
except TimeoutError:
    print(f"timed out; idle connections afterwards: {pool.idle.qsize()} of 3")

# %% [markdown]
# **What to notice.** The report was cancelled after 50 ms, in the middle of its `await`, and
# both connections were back in the pool. Without the `try/finally` in `borrowed`, every
# timeout would leak a connection, and after three the next `borrowed` would wait forever.
#
# ### Try it
# Remove the `try/finally` from `borrowed` (keep the `put_nowait` after the `yield`). Then make
# one `Pool(3)` and run `slow_report` on it under `asyncio.timeout(0.05)` three times in a
# loop, printing `pool.idle.qsize()` after each timeout. What happens to the pool?
# (Answer: [tryit/10 § 6](../solutions/tryit/10_context_managers.md#6-a-pool-that-leaks).)

# %%
# Your experiment here.

# %% [markdown]
# ## Pitfalls and under the hood
#
# **A `@contextmanager` object is good for one `with` only.** The generator behind it runs
# once; to use a manager again, call the function again. (The error message is not helpful,
# and differs between Python versions.)

# %%
once = announced("log.txt")
with once:
    pass
try:
    with once:
        pass
except (RuntimeError, AttributeError) as error:  # which one depends on the Python version
    print(f"{type(error).__name__}: {error}")

# %% [markdown]
# **`suppress` that is too broad hides bugs.** `suppress(Exception)` around a block swallows a
# typo's `NameError` just as quietly as the error you meant:

# %%
with suppress(Exception):
    total = sum(prices)  # noqa: F821 - `prices` was never defined: a bug, silently ignored
print("no error shown; 'total' defined?", "total" in globals())

# %% [markdown]
# **Acquire inside the `with`, not before it.** In `f = open(path)` followed later by
# `with f:`, anything raised between the two lines leaks the file. Write `with open(path) as f:`
# so that acquiring and the promise to release are one step.
#
# **Several managers in one statement** (`with a() as x, b() as y:`) are exactly nested
# `with`s: entered left to right, exited right to left. Since Python 3.10 they can be wrapped in
# parentheses over several lines.
#
# **A `return`, `break` or `continue` in a `finally` block discards the exception** being
# propagated, so a manager written that way swallows errors without meaning to. Python 3.14
# warns about it (PEP 765).
#
# **`with sqlite3.connect(...)` does not close**, and `Session`'s `with` does: read the
# documentation of each manager for what its exit does. For a `sqlite3` connection, use
# `closing()` for the connection and `with conn:` (or your own transaction manager) for the
# transaction.

# %% [markdown]
# ## Summary
#
# - `with` calls `__enter__`, runs the block, and always calls `__exit__` with the exception
#   (or three `None`s); a true result swallows the exception, an exception inside `__exit__`
#   replaces it, and a failing `__enter__` means no `__exit__` at all.
# - `@contextmanager` turns a generator into a manager; the exception arrives at the `yield`,
#   so cleanup belongs in `try/finally`. It costs many times more per use than a class, and
#   still a tiny fraction of a database commit.
# - A transaction commits on success and rolls back on any exception, `KeyboardInterrupt`
#   included. `with sqlite3.connect(...)` commits or rolls back but does not close (use
#   `closing`). Nested transactions need SAVEPOINTs; the notes' sketch commits the caller's
#   work when nested and stays in the transaction when COMMIT fails. On SQLite, SQLAlchemy's
#   `begin_nested()` needs the driver fix of section 3.4.
# - `ExitStack` handles any number of resources and releases those already acquired, in
#   reverse order, when one fails; `pop_all` hands them over. `closing`, `suppress`,
#   `redirect_stdout`, `nullcontext` and `chdir` cover the everyday cases.
# - Temporary state (environment variables, the working directory, a timer's clock) is
#   restored in a `finally`; async managers (`async with`, `asynccontextmanager`,
#   `AsyncExitStack`) do the same across `await` and cancellation.
#
# **Graded exercises:**
# [exercises/ps10_context_managers.ipynb](exercises/ps10_context_managers.ipynb): a
# `transaction(conn)` that nests with savepoints on a real SQLite file, an `acquire_all` built
# on `ExitStack` that releases everything already acquired when one acquisition fails, and a
# `Capture` that swallows and records exactly the exceptions its contract names.
