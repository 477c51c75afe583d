# %% [markdown]
# # ps10 · Context managers: transactions, resource stacks, captured errors (20 points)
#
# Three context managers that real backends lean on, each a direct use of
# [10 · Context managers](../10_context_managers.ipynb):
#
# - **Part A** · `transaction(conn)`: commit on success, roll back on error, and nest with
#   SQLite savepoints, against a real database file (8 points);
# - **Part B** · `acquire_all(factories)`: acquire any number of resources and release every
#   one already acquired, in reverse order, whatever fails (6 points);
# - **Part C** · `Capture(*kinds)`: swallow and record chosen exceptions, with an exact
#   contract for what gets through (6 points).
#
# What all three have in common is that the interesting part is what happens when something
# goes wrong: an exception in the block, in the middle of acquiring, or while cleaning up.
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the instruments the tests
# use too. Try them in the scratch cells.
import os
import sqlite3
import tempfile
import uuid
from contextlib import ExitStack, closing, contextmanager

FOLDER = tempfile.mkdtemp(prefix="ps10-")  # this notebook's databases live here


def new_database():
    """Create a new SQLite file with an empty table `items (name TEXT)` and return a connection
    to it opened with isolation_level=None: Python's sqlite3 then never begins or commits a
    transaction on its own, and every BEGIN, COMMIT, ROLLBACK and SAVEPOINT is yours."""
    path = os.path.join(FOLDER, f"{uuid.uuid4().hex}.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
    conn.execute("CREATE TABLE items (name TEXT NOT NULL)")
    return conn


def add(conn, name):
    """Insert one row into `items`."""
    conn.execute("INSERT INTO items (name) VALUES (?)", (name,))


def names(conn):
    """The names in `items` as `conn` itself sees them (its own uncommitted rows included),
    sorted."""
    return sorted(row[0] for row in conn.execute("SELECT name FROM items"))


def saved_names(conn):
    """The names in `items` as a second connection to the same file sees them: only what
    has been committed, sorted."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    with closing(sqlite3.connect(path)) as other:
        return sorted(row[0] for row in other.execute("SELECT name FROM items"))


class Resource:
    """A pretend resource (a file, a socket, a lock) that writes what happens to it in `log`.

    Entering it appends "open NAME" and returns `handle` (by default the string
    "NAME-handle"). Exiting it appends "close NAME", or "close NAME after ERROR" where ERROR
    is the name of the exception type its __exit__ was given. Options: fail_open=True makes
    __enter__ raise OSError (after logging "open NAME failed"); fail_close=True makes __exit__
    raise OSError after logging; swallow=True makes __exit__ return True."""

    def __init__(self, name, log, *, handle=..., fail_open=False, fail_close=False, swallow=False):
        self.name, self.log = name, log
        self.handle = f"{name}-handle" if handle is ... else handle
        self.fail_open, self.fail_close, self.swallow = fail_open, fail_close, swallow

    def __enter__(self):
        if self.fail_open:
            self.log.append(f"open {self.name} failed")
            raise OSError(f"cannot open {self.name}")
        self.log.append(f"open {self.name}")
        return self.handle

    def __exit__(self, exc_type, exc, tb):
        after = "" if exc_type is None else f" after {exc_type.__name__}"
        self.log.append(f"close {self.name}{after}")
        if self.fail_close:
            raise OSError(f"cannot close {self.name}")
        return self.swallow


def opener(name, log, *, fail_make=False, **options):
    """A factory for Part B: a function of no arguments that appends "make NAME" to `log` and
    returns Resource(name, log, **options). With fail_make=True it raises OSError instead of
    returning (after logging "make NAME failed")."""

    def make():
        if fail_make:
            log.append(f"make {name} failed")
            raise OSError(f"cannot make {name}")
        log.append(f"make {name}")
        return Resource(name, log, **options)

    return make


# %% [markdown]
# ## Part A · `transaction(conn)`: commit, roll back, nest
#
# A unit of work (an order with its lines, a transfer between two accounts) must be saved
# whole or not at all. The source notes' sketch is a class whose `__exit__` commits when the
# block succeeds and rolls back when it raises. Two things are missing from it. It cannot
# **nest**: a function that opens its own transaction, called from inside another one, would
# commit the caller's half-finished work. And when **COMMIT itself fails** (SQLite checks
# deferred foreign keys only at COMMIT) it leaves the connection inside a transaction, holding
# the database's write lock.
#
# SQLite nests with **savepoints**: `SAVEPOINT name` marks a point inside the current
# transaction, `ROLLBACK TO name` undoes everything done since the mark (the transaction goes
# on), and `RELEASE name` forgets the mark and keeps the work, which becomes part of the
# enclosing transaction.
#
# Write `transaction(conn)`, a context manager for a `sqlite3.Connection` opened with
# `isolation_level=None` (as `new_database()` does):
#
# ```python
# conn = new_database()
# with transaction(conn):
#     add(conn, "order 1")
#     try:
#         with transaction(conn):          # nested: a savepoint
#             add(conn, "line 1")
#             raise ValueError("out of stock")
#     except ValueError:
#         pass                             # "line 1" is undone, "order 1" is not
#     add(conn, "order 1 shipped")
# saved_names(conn)  # ['order 1', 'order 1 shipped']
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `with transaction(conn) as value:` gives `value` = `conn` itself. The connection stays
#   open afterwards, and can be used for more transactions, one after another.
# - **Outermost block** (`conn.in_transaction` is false when the block starts): begin a
#   transaction; when the block ends normally, commit it (another connection then sees the
#   rows); when it raises, roll it back (no row of the block remains, for `conn` nor for anyone
#   else).
# - If **COMMIT fails** (the test uses a deferred foreign key), roll the transaction back and
#   let COMMIT's error propagate. In every case, `conn.in_transaction` is false after an
#   outermost block.
# - **Nested block** (`conn` is already in a transaction when the block starts, whether an
#   enclosing `transaction(conn)` began it or someone else did with `conn.execute("BEGIN")`):
#   run it in a savepoint; when it ends normally, keep its work as part of the enclosing
#   transaction (committed or rolled back with it, nothing is committed yet); when it raises,
#   undo only its own work, leave the enclosing transaction open with its earlier work intact,
#   and let the exception propagate. Blocks nest to any depth.
# - **Exceptions**: any exception raised in the block, `KeyboardInterrupt` and other
#   `BaseException`s included, causes the rollback (outermost) or the rollback to the savepoint
#   (nested) and then propagates **unchanged**: the very exception object, never swallowed,
#   never replaced by another one.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# With `@contextmanager`, everything before `yield` is `__enter__` and everything after it is
# `__exit__`; an exception in the block is raised at the `yield`. Catch `BaseException`, undo,
# and `raise` (a bare `raise` re-raises the very same object).
# </details>
#
# <details><summary>Hint 2</summary>
#
# Decide at the start: `if conn.in_transaction:` a savepoint, else `conn.execute("BEGIN")`.
# Each savepoint needs a name; `f"sp_{uuid.uuid4().hex}"` is unique (`uuid` is imported).
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# Outermost: `BEGIN`; then in a `try`, `yield conn` **and** `COMMIT` (so that a failing COMMIT
# also lands in the `except`); `except BaseException:` run `ROLLBACK` and `raise`.
# Nested: `SAVEPOINT name`; `try: yield conn`; `except BaseException:` run `ROLLBACK TO name`,
# then `RELEASE name`, and `raise`; after the `try`, `RELEASE name`.
# </details>


# %% nbgrader="solution" grade_id="transaction_answer"
@contextmanager  # (or write a class with __enter__ and __exit__ instead)
def transaction(conn):
    """Run the block in a transaction on conn (a savepoint if conn is already in one): commit
    or release on success; roll back on any exception and let it propagate unchanged."""
    ### BEGIN SOLUTION
    if conn.in_transaction:
        name = f"sp_{uuid.uuid4().hex}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
    else:
        conn.execute("BEGIN")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    ### END SOLUTION


# %%
# Scratch cell: try your context manager here. It is not graded.
conn = new_database()
with transaction(conn):
    add(conn, "order 1")
print(names(conn), saved_names(conn), conn.in_transaction)

# %% [markdown]
# ### Check A1 · commit on success, roll back on error (3 points)
# Rows are checked twice: through `conn` itself and through a second connection to the same
# file, which sees only committed rows.

# %% nbgrader="tests" grade_id="transaction_tests_commit_rollback" points=3
"""transaction commits a block that succeeds and rolls back one that raises, gives the
connection itself as its value, and leaves the connection open and out of any transaction."""
from advpy.checks import beside, expect, expect_same


def commit_then_roll_back():
    """Runs where your code runs: on a new database, a block that succeeds, then one that
    raises; what conn and a second connection saw at each step."""
    seen = {}
    conn = new_database()
    with transaction(conn) as value:
        add(conn, "apple")
        add(conn, "pear")
        seen["value is conn"] = value is conn
        seen["in a transaction inside"] = conn.in_transaction
        seen["saved inside"] = saved_names(conn)
    seen["saved after success"] = saved_names(conn)
    seen["in a transaction after success"] = conn.in_transaction
    try:
        with transaction(conn):
            add(conn, "plum")
            raise ValueError("something went wrong")
    except ValueError:
        pass
    seen["names after raise"] = names(conn)
    seen["saved after raise"] = saved_names(conn)
    seen["in a transaction after raise"] = conn.in_transaction
    return seen


seen = beside(commit_then_roll_back)
expect(seen["value is conn"], "`with transaction(conn) as value`: value must be conn itself")
expect(seen["in a transaction inside"], "inside the block, conn must be in a transaction")
expect_same(seen["saved inside"], [], "before the block ends, another connection sees", show=True)
expect_same(
    seen["saved after success"],
    ["apple", "pear"],
    "after a block that succeeded, another connection sees",
    show=True,
)
expect(
    seen["in a transaction after success"] is False,
    "after the block, conn must not be in a transaction",
)
expect_same(
    seen["names after raise"],
    ["apple", "pear"],
    "after a block that raised, conn itself sees",
    show=True,
)
expect_same(
    seen["saved after raise"],
    ["apple", "pear"],
    "after a block that raised, another connection sees",
    show=True,
)
expect(
    seen["in a transaction after raise"] is False,
    "after a block that raised, conn must not be in a transaction",
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: one connection used for several blocks one after another,
    # and an empty block; what was seen, as plain data.
    seen = {"values are conn": []}
    conn = new_database()
    for round_ in range(3):
        with transaction(conn) as value:
            seen["values are conn"].append(value is conn)
            add(conn, f"kept {round_}")
        try:
            with transaction(conn):
                add(conn, f"undone {round_}")
                raise LookupError("again")
        except LookupError:
            pass
    seen["saved after rounds"] = saved_names(conn)
    seen["in a transaction after rounds"] = conn.in_transaction
    seen["select 1"] = conn.execute("SELECT 1").fetchone()
    conn = new_database()
    with transaction(conn):
        pass
    seen["in a transaction after an empty block"] = conn.in_transaction
    with transaction(conn):
        add(conn, "after an empty block")
    seen["saved after an empty block"] = saved_names(conn)
    return seen


_seen = beside(_observed)
expect(
    _seen["values are conn"] == [True, True, True],
    "every block's value must be the connection itself",
)
expect_same(
    _seen["saved after rounds"],
    ["kept 0", "kept 1", "kept 2"],
    "one connection used for "
    "several transactions one after another must commit each block that succeeds and "
    "roll back each block that raises",
)
expect(
    _seen["in a transaction after rounds"] is False,
    "after several blocks, conn must not be in a transaction",
)
expect_same(_seen["select 1"], (1,), "the connection must stay open")
expect(
    _seen["in a transaction after an empty block"] is False,
    "an empty block must still end its transaction",
)
expect_same(
    _seen["saved after an empty block"],
    ["after an empty block"],
    "a block after an empty block must commit",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · nested blocks are savepoints (3 points)
# An inner failure undoes only the inner block's work; an inner success is committed only
# with the outermost block; blocks nest to any depth.

# %% nbgrader="tests" grade_id="transaction_tests_savepoints" points=3
"""Nested transaction blocks: an inner failure undoes only the inner work and leaves the outer
transaction open; an inner success commits nothing before the outermost block ends."""
from advpy.checks import beside, expect, expect_same


def order_with_lines():
    """Runs where your code runs: on a new database, an outer block holding an inner block
    that raises and one that succeeds; what conn and a second connection saw."""
    seen = {}
    conn = new_database()
    with transaction(conn):
        add(conn, "order 1")
        try:
            with transaction(conn):
                add(conn, "line 1")
                raise ValueError("out of stock")
        except ValueError:
            pass
        seen["in a transaction after the inner raise"] = conn.in_transaction
        seen["names after the inner raise"] = names(conn)
        with transaction(conn):
            add(conn, "line 2")
        seen["saved after the inner success"] = saved_names(conn)
        add(conn, "order 1 shipped")
    seen["saved after the outer block"] = saved_names(conn)
    return seen


seen = beside(order_with_lines)
expect(
    seen["in a transaction after the inner raise"],
    "after an inner block raised, the outer transaction must go on",
)
expect_same(
    seen["names after the inner raise"],
    ["order 1"],
    "after the inner block raised, inside the outer block, conn sees",
    show=True,
)
expect_same(
    seen["saved after the inner success"],
    [],
    "after an inner block succeeded, before the outer block ends, another connection sees",
    show=True,
)
expect_same(
    seen["saved after the outer block"],
    ["line 2", "order 1", "order 1 shipped"],
    "after the outer block, another connection sees",
    show=True,
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: an outer failure after an inner success, blocks nested four
    # deep, and blocks inside a transaction the caller began; what was seen, as plain data.
    seen = {}
    conn = new_database()
    try:
        with transaction(conn):
            add(conn, "outer")
            with transaction(conn):
                add(conn, "inner")
            raise RuntimeError("the outer block fails after the inner one succeeded")
    except RuntimeError:
        pass
    seen["saved after the outer raise"] = saved_names(conn)
    seen["in a transaction after the outer raise"] = conn.in_transaction
    conn = new_database()
    with transaction(conn):
        add(conn, "d0")
        with transaction(conn):
            add(conn, "d1")
            try:
                with transaction(conn):
                    add(conn, "d2")
                    with transaction(conn):
                        add(conn, "d3")
                    raise KeyError("depth 2 fails")
            except KeyError:
                pass
            seen["names after depth 2 failed"] = names(conn)
            with transaction(conn):
                add(conn, "d2 again")
                try:
                    with transaction(conn):
                        add(conn, "d3 again")
                        raise ValueError("depth 3 fails")
                except ValueError:
                    pass
        seen["saved inside the outermost block"] = saved_names(conn)
    seen["saved after four deep"] = saved_names(conn)
    conn = new_database()
    conn.execute("BEGIN")
    add(conn, "begun by the caller")
    try:
        with transaction(conn):
            add(conn, "inside")
            raise ValueError("fails")
    except ValueError:
        pass
    with transaction(conn):
        add(conn, "inside, kept")
    seen["in the caller's transaction"] = conn.in_transaction
    if conn.in_transaction:
        conn.execute("COMMIT")
    seen["saved in the caller's transaction"] = saved_names(conn)
    return seen


_seen = beside(_observed)
expect_same(
    _seen["saved after the outer raise"],
    [],
    "when the outer block raises, the work of an inner block "
    "that succeeded must be rolled back with it",
)
expect(
    _seen["in a transaction after the outer raise"] is False,
    "after the outer block raised, conn must not be in a transaction",
)
expect_same(
    _seen["names after depth 2 failed"],
    ["d0", "d1"],
    "a failure three blocks deep must undo that "
    "block and the blocks inside it, and nothing outside it",
)
expect_same(
    _seen["saved inside the outermost block"],
    [],
    "nothing may be committed before the outermost block ends, however deep the nesting",
)
expect_same(
    _seen["saved after four deep"],
    ["d0", "d1", "d2 again"],
    "after nested blocks four deep, the "
    "committed rows must be exactly those of the blocks that did not fail",
)
expect(
    _seen["in the caller's transaction"],
    "a block inside a transaction begun with conn.execute('BEGIN') "
    "must be a savepoint and leave that transaction open",
)
expect_same(
    _seen["saved in the caller's transaction"],
    ["begun by the caller", "inside, kept"],
    "blocks inside a transaction begun with conn.execute('BEGIN') must be savepoints",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · exceptions propagate unchanged (2 points)
# The very exception object comes out of the block, `KeyboardInterrupt` included, and a
# failing COMMIT does not leave the connection inside a transaction.

# %% nbgrader="tests" grade_id="transaction_tests_errors" points=2
"""transaction lets every exception out unchanged (the very object), after undoing the work,
and rolls back when COMMIT itself fails."""
from advpy.checks import beside, expect, expect_same


def refused_payment():
    """Runs where your code runs: on a new database, a block that adds a row and raises; what
    came out of the with statement and what a second connection saw afterwards."""
    conn = new_database()
    error = ValueError("payment refused")
    came_out, the_very_object = None, False
    try:
        with transaction(conn):
            add(conn, "payment")
            raise error
    except BaseException as out:
        came_out, the_very_object = type(out), out is error
    return {"came out": came_out, "the very object": the_very_object, "saved": saved_names(conn)}


seen = beside(refused_payment)
expect(
    seen["came out"] is ValueError,
    "an exception raised in the block must come out of the with statement",
)
expect(
    seen["the very object"],
    "a ValueError came out of the with statement, but not the very object raised inside: "
    "let the original exception propagate instead of raising a new one",
)
expect_same(seen["saved"], [], "after the exception, another connection sees", show=True)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: blocks that raise KeyboardInterrupt, SystemExit, an exception
    # that is false, exceptions in nested blocks, and a COMMIT that fails; what came out of
    # each with statement (its class, and whether it is the very object raised) and what
    # the database held afterwards, as plain data.
    import sqlite3

    def outcome(conn, error):
        try:
            with transaction(conn):
                add(conn, "half done")
                raise error
        except BaseException as out:
            return [type(out), out is error]
        return [None, False]

    class FalsyError(Exception):
        def __bool__(self):
            return False

    seen = {"interrupted": []}
    for error in (KeyboardInterrupt(), SystemExit(3)):
        conn = new_database()
        seen["interrupted"].append(outcome(conn, error) + [conn.in_transaction, names(conn)])
    conn = new_database()
    seen["falsy"] = outcome(conn, FalsyError("looks false")) + [saved_names(conn)]
    conn = new_database()
    with transaction(conn):
        add(conn, "outer")
        seen["nested"] = outcome(conn, ArithmeticError("inner"))
        seen["nested interrupt"] = outcome(conn, KeyboardInterrupt())
        seen["in a transaction after nested raises"] = conn.in_transaction
    seen["saved after nested raises"] = saved_names(conn)
    conn = new_database()
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)")
    conn.execute(
        "CREATE TABLE children (parent INTEGER REFERENCES parents (id) "
        "DEFERRABLE INITIALLY DEFERRED)"
    )
    commit_error = None
    try:
        with transaction(conn):
            add(conn, "with an orphan")
            conn.execute("INSERT INTO children (parent) VALUES (404)")
    except BaseException as out:
        commit_error = out
    seen["commit error is an IntegrityError"] = type(commit_error) is sqlite3.IntegrityError
    seen["in a transaction after a failed commit"] = conn.in_transaction
    seen["names after a failed commit"] = names(conn)
    with transaction(conn):
        add(conn, "next")
    seen["saved after a failed commit"] = saved_names(conn)
    return seen


_seen = beside(_observed)
for _kind, (_came_out, _very, _in_transaction, _names) in zip(
    (KeyboardInterrupt, SystemExit), _seen["interrupted"], strict=True
):
    expect(
        _came_out is _kind and _very is True,
        "a KeyboardInterrupt or SystemExit raised in the block must propagate unchanged",
    )
    expect(
        _in_transaction is False,
        "a KeyboardInterrupt or SystemExit in the block must "
        "roll the transaction back too (catch BaseException, not Exception)",
    )
    expect_same(
        _names, [], "a KeyboardInterrupt or SystemExit in the block must undo the block's work"
    )
expect(
    _seen["falsy"][1] is True,
    "an exception object that is false in a boolean test must propagate unchanged too",
)
expect_same(
    _seen["falsy"][2],
    [],
    "an exception object that is false in a boolean test must roll back too",
)
expect(
    _seen["nested"] == [ArithmeticError, True],
    "an exception raised in a nested block must propagate unchanged",
)
expect(
    _seen["nested interrupt"] == [KeyboardInterrupt, True],
    "a KeyboardInterrupt raised in a nested block must propagate unchanged",
)
expect(
    _seen["in a transaction after nested raises"],
    "after a nested block raised, the outer transaction must go on",
)
expect_same(
    _seen["saved after nested raises"],
    ["outer"],
    "nested blocks that raised (KeyboardInterrupt "
    "included) must undo their own work and nothing else",
)
expect(
    _seen["commit error is an IntegrityError"],
    "when COMMIT fails, COMMIT's error must propagate out of the with statement",
)
expect(
    _seen["in a transaction after a failed commit"] is False,
    "when COMMIT fails, the transaction must be rolled back: "
    "conn must not be left inside a transaction",
)
expect_same(
    _seen["names after a failed commit"],
    [],
    "when COMMIT fails, the block's work must be rolled back",
)
expect_same(
    _seen["saved after a failed commit"],
    ["next"],
    "after a failed COMMIT, the next transaction must commit",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `acquire_all(factories)`: all or nothing, released in reverse
#
# A report job opens one file per region; a test opens a database, a server and a temporary
# folder. The number of resources is known only at run time, so one `with` statement per
# resource cannot be written out. `contextlib.ExitStack` is the tool: `stack.enter_context(cm)`
# enters `cm` and promises to exit it when the stack closes, in reverse order.
#
# Write `acquire_all(factories)`: `factories` is an iterable of functions of no arguments,
# each returning a context manager (a *resource*). `acquire_all` returns a context manager
# that, in a `with` statement, behaves **exactly like nested `with` statements**, one per
# factory in order:
#
# ```python
# log = []
# with acquire_all([opener("a", log), opener("b", log)]) as handles:
#     log.append("body")
# handles  # ['a-handle', 'b-handle']
# log      # ['make a', 'open a', 'make b', 'open b', 'body', 'close b', 'close a']
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - It calls the first factory and enters what it returned, then calls the second factory and
#   enters that, and so on: each factory is called only after the previous resource was
#   entered. `factories` may be any iterable (a list, a generator); it may be empty.
# - The `as` value is a plain `list` of what each resource's `__enter__` returned (whatever
#   that is, `None` or `0` included), in factory order.
# - When the block ends, the resources are exited in reverse order. As with nested `with`
#   statements, each `__exit__` is given the exception that is propagating at that moment (or
#   none), an `__exit__` that returns true suppresses it, and an `__exit__` that raises
#   replaces it; the other resources are exited all the same.
# - If a factory or an `__enter__` raises, the block does not run: the resources already
#   entered are exited in reverse order (each given that exception), and the exception
#   propagates unchanged, as with nested `with` statements.
# - Every call of `acquire_all` returns a new, independent context manager.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# A class with `__enter__` that enters every resource has a trap: when `__enter__` raises,
# Python never calls `__exit__`. Whatever was entered before the failure stays open, unless
# `__enter__` itself cleans up.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# With `@contextmanager`, open a `with ExitStack() as stack:` block. Inside it, build the
# list of handles: for each factory, call it and pass what it returned to
# `stack.enter_context(...)`, which enters it and gives back its `__enter__` value. Then
# `yield` the list, still inside the stack's block. The stack does the rest: reverse order,
# exception details, suppression, and exits that raise.
# </details>


# %% nbgrader="solution" grade_id="acquire_all_answer"
@contextmanager  # (or write a class with __enter__ and __exit__ instead)
def acquire_all(factories):
    """Enter the resource of each factory in turn, give the block the list of what their
    __enter__ returned, and exit them in reverse order: exactly like nested with statements."""
    ### BEGIN SOLUTION
    with ExitStack() as stack:
        yield [stack.enter_context(make()) for make in factories]
    ### END SOLUTION


# %%
# Scratch cell: try your context manager here. It is not graded.
log = []
try:
    with acquire_all([opener("a", log), opener("b", log, fail_open=True)]) as handles:
        log.append("body")
except OSError as error:
    print("OSError:", error)
print(log)

# %% [markdown]
# ### Check B1 · order, values and the block's exception (2 points)

# %% nbgrader="tests" grade_id="acquire_all_tests_order" points=2
"""acquire_all makes and enters the resources in order, gives the list of their __enter__
values, and exits them in reverse order, each told about the block's exception."""
from advpy.checks import beside, expect, expect_same


def three_resources():
    """Runs where your code runs: three resources in one acquire_all block, first a block that
    succeeds, then one that raises; the `as` value, each log, and what came out."""
    seen = {}
    log = []
    with acquire_all([opener("a", log), opener("b", log), opener("c", log)]) as handles:
        log.append("body")
    seen["handles"], seen["log"] = handles, log
    log = []
    error = ValueError("the block fails")
    seen["came out"] = [None, False]
    try:
        with acquire_all([opener("a", log), opener("b", log)]):
            raise error
    except BaseException as out:
        seen["came out"] = [type(out), out is error]
    seen["log when the block raised"] = log
    return seen


seen = beside(three_resources)
expect_same(
    seen["handles"],
    ["a-handle", "b-handle", "c-handle"],
    "the `as` value of acquire_all",
    show=True,
)
expect_same(
    seen["log"],
    [
        "make a",
        "open a",
        "make b",
        "open b",
        "make c",
        "open c",
        "body",
        "close c",
        "close b",
        "close a",
    ],
    "what happened, in order",
    show=True,
)
expect(
    seen["came out"] == [ValueError, True],
    "an exception raised in the block must come out of the with statement unchanged",
)
expect_same(
    seen["log when the block raised"],
    [
        "make a",
        "open a",
        "make b",
        "open b",
        "close b after ValueError",
        "close a after ValueError",
    ],
    "what happened when the block raised",
    show=True,
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: factories from a generator, none at all, handles that look
    # false, two managers from the same factories, and a KeyboardInterrupt in nested blocks;
    # the `as` values, the logs and what came out, as plain data.
    seen = {}
    log = []
    with acquire_all(opener(name, log) for name in ("x", "y")) as handles:
        pass
    seen["generator"] = [handles, log]
    with acquire_all([]) as handles:
        pass
    seen["no factories"] = handles
    log = []
    falsy = [None, 0, "", False, []]
    with acquire_all(
        [opener(f"f{i}", log, handle=handle) for i, handle in enumerate(falsy)]
    ) as handles:
        pass
    seen["falsy handles"] = handles
    log = []
    factories = [opener("p", log), opener("q", log)]
    with acquire_all(factories) as first:
        with acquire_all(factories) as second:
            log.append("body")
    seen["two managers"] = [[first, second], log]
    log = []
    outer = [opener("o1", log), opener("o2", log)]
    interrupt = KeyboardInterrupt()
    seen["interrupted"] = [None, False, log]
    try:
        with acquire_all(outer):
            with acquire_all([opener("i1", log)]):
                raise interrupt
    except BaseException as out:
        seen["interrupted"] = [type(out), out is interrupt, log]
    return seen


_seen = beside(_observed)
expect_same(
    _seen["generator"][0],
    ["x-handle", "y-handle"],
    "factories given as a generator must work like a list of them",
)
expect_same(
    _seen["generator"][1],
    ["make x", "open x", "make y", "open y", "close y", "close x"],
    "factories given as a generator: each must be called after the previous resource was entered",
)
expect_same(_seen["no factories"], [], "with no factories, the `as` value must be an empty list")
expect_same(
    _seen["falsy handles"],
    [None, 0, "", False, []],
    "the `as` value must hold exactly what each __enter__ returned, even values that look false",
)
expect_same(
    _seen["two managers"][0],
    [["p-handle", "q-handle"], ["p-handle", "q-handle"]],
    "two managers made from the same factories must each give their own list",
)
expect_same(
    _seen["two managers"][1],
    [
        "make p",
        "open p",
        "make q",
        "open q",
        "make p",
        "open p",
        "make q",
        "open q",
        "body",
        "close q",
        "close p",
        "close q",
        "close p",
    ],
    "two nested acquire_all blocks must each enter and exit their own resources",
)
expect(
    _seen["interrupted"][:2] == [KeyboardInterrupt, True],
    "a KeyboardInterrupt raised in the block must propagate unchanged",
)
expect_same(
    _seen["interrupted"][2],
    [
        "make o1",
        "open o1",
        "make o2",
        "open o2",
        "make i1",
        "open i1",
        "close i1 after KeyboardInterrupt",
        "close o2 after KeyboardInterrupt",
        "close o1 after KeyboardInterrupt",
    ],
    "when the block raises, every "
    "resource must be exited in reverse order and be given the exception",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · a failed acquisition releases what was acquired (2 points)

# %% nbgrader="tests" grade_id="acquire_all_tests_failed_acquisition" points=2
"""When a factory or an __enter__ raises, acquire_all exits the resources already entered, in
reverse order, skips the block, and lets the exception out unchanged."""
from advpy.checks import beside, expect, expect_same


def third_fails_to_open():
    """Runs where your code runs: three resources, the third of which fails to open; what came
    out of the with statement (its class) and the log."""
    log = []
    came_out = None
    try:
        with acquire_all([opener("a", log), opener("b", log), opener("c", log, fail_open=True)]):
            log.append("body")
    except BaseException as out:
        came_out = type(out)
    return {"came out": came_out, "log": log}


seen = beside(third_fails_to_open)
expect(
    seen["came out"] is OSError,
    "when a resource's __enter__ raises, its exception must come out of the with statement",
)
expect_same(
    seen["log"],
    [
        "make a",
        "open a",
        "make b",
        "open b",
        "make c",
        "open c failed",
        "close b after OSError",
        "close a after OSError",
    ],
    "what happened when the third resource failed to open",
    show=True,
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: a factory that raises, an __enter__ that raises (a resource
    # of the test's), the only resource failing to open, and a factory raising
    # KeyboardInterrupt; what came out of each with statement and each log, as plain data.
    def outcome(factories, log, error=None):
        try:
            with acquire_all(factories):
                log.append("body")
        except BaseException as out:
            return [type(out), error is None or out is error, log]
        return [None, False, log]

    seen = {}
    log = []
    seen["factory fails"] = outcome(
        [opener("m1", log), opener("m2", log, fail_make=True), opener("m3", log)], log
    )
    log = []
    refused = OSError("refused")

    class Refusing:
        def __enter__(self):
            log.append("refusing enter")
            raise refused

        def __exit__(self, *details):
            log.append("refusing exit")

    seen["enter fails"] = outcome([opener("ok", log), Refusing, opener("never", log)], log, refused)
    log = []
    seen["only one fails"] = outcome([opener("solo", log, fail_open=True)], log)
    log = []
    stop = KeyboardInterrupt()

    def raiser():
        raise stop

    seen["factory interrupted"] = outcome([opener("k1", log), opener("k2", log), raiser], log, stop)
    return seen


_seen = beside(_observed)
expect(
    _seen["factory fails"][0] is OSError,
    "when a factory raises, its exception must come out of the with statement",
)
expect_same(
    _seen["factory fails"][2],
    ["make m1", "open m1", "make m2 failed", "close m1 after OSError"],
    "when a factory raises: the block must not run, no later factory may be called, "
    "and the resources already entered must be exited, given the exception",
)
expect(
    _seen["enter fails"][:2] == [OSError, True],
    "when an __enter__ raises, that very exception must come out of the with statement",
)
expect_same(
    _seen["enter fails"][2],
    ["make ok", "open ok", "refusing enter", "close ok after OSError"],
    "when an __enter__ raises: the block must not run, no later factory may be called, "
    "the failed resource is not exited, and the ones entered before are",
)
expect(
    _seen["only one fails"][0] is OSError,
    "when the first resource fails to open, its exception must come out of the with statement",
)
expect_same(
    _seen["only one fails"][2],
    ["make solo", "open solo failed"],
    "when the first resource fails to open, nothing else may happen",
)
expect(
    _seen["factory interrupted"][:2] == [KeyboardInterrupt, True],
    "a KeyboardInterrupt raised by a factory must propagate unchanged",
)
expect_same(
    _seen["factory interrupted"][2],
    [
        "make k1",
        "open k1",
        "make k2",
        "open k2",
        "close k2 after KeyboardInterrupt",
        "close k1 after KeyboardInterrupt",
    ],
    "a KeyboardInterrupt raised while acquiring must release what was acquired",
)
### END HIDDEN TESTS


# %% [markdown]
# ### Check B3 · exits that suppress or raise (2 points)
# As with nested `with` statements, an `__exit__` that returns true suppresses the exception
# for the resources outside it, and one that raises replaces it; every resource is exited.

# %% nbgrader="tests" grade_id="acquire_all_tests_exits" points=2
"""acquire_all exits every resource even when an __exit__ raises, and lets an __exit__ that
returns true suppress the exception, exactly as nested with statements do."""
from advpy.checks import beside, expect, expect_same


def middle_fails_to_close():
    """Runs where your code runs: three resources, the second of which fails to close; what
    came out of the with statement (its class) and the log."""
    log = []
    came_out = None
    try:
        with acquire_all([opener("a", log), opener("b", log, fail_close=True), opener("c", log)]):
            log.append("body")
    except BaseException as out:
        came_out = type(out)
    return {"came out": came_out, "log": log}


seen = beside(middle_fails_to_close)
expect(
    seen["came out"] is OSError,
    "when a resource's __exit__ raises, its exception must come out of the with statement",
)
expect_same(
    seen["log"],
    [
        "make a",
        "open a",
        "make b",
        "open b",
        "make c",
        "open c",
        "body",
        "close c",
        "close b",
        "close a after OSError",
    ],
    "what happened when the second resource failed to close",
    show=True,
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: a resource that suppresses the block's exception, one whose
    # __exit__ raises while the block's exception propagates, and three that all fail to
    # close; what came out of each with statement and each log, as plain data.
    seen = {}
    log = []
    came_out = None
    try:
        with acquire_all([opener("s1", log), opener("s2", log, swallow=True), opener("s3", log)]):
            raise ValueError("swallowed by s2")
    except BaseException as out:
        came_out = type(out)
    seen["swallowed"] = [came_out, log]
    log = []
    came_out = None
    try:
        with acquire_all(
            [opener("r1", log), opener("r2", log), opener("r3", log, fail_close=True)]
        ):
            raise ValueError("the block fails")
    except BaseException as out:
        came_out = type(out)
    seen["replaced"] = [came_out, log]
    log = []
    came_out = None
    try:
        with acquire_all([opener(f"z{i}", log, fail_close=True) for i in range(3)]):
            pass
    except BaseException as out:
        came_out = type(out)
    seen["all fail to close"] = [came_out, log]
    return seen


_seen = beside(_observed)
expect_same(
    _seen["swallowed"],
    [
        None,
        [
            "make s1",
            "open s1",
            "make s2",
            "open s2",
            "make s3",
            "open s3",
            "close s3 after ValueError",
            "close s2 after ValueError",
            "close s1",
        ],
    ],
    "a resource whose __exit__ returns true must suppress the exception: the resources "
    "outside it are exited as after a block that succeeded, and nothing propagates",
)
expect(
    _seen["replaced"][0] is OSError,
    "an __exit__ that raises while an "
    "exception propagates must replace it, as in nested with "
    "statements",
)
expect_same(
    _seen["replaced"][1],
    [
        "make r1",
        "open r1",
        "make r2",
        "open r2",
        "make r3",
        "open r3",
        "close r3 after ValueError",
        "close r2 after OSError",
        "close r1 after OSError",
    ],
    "after an __exit__ raised, the other resources must still be exited, given the new exception",
)
expect(
    _seen["all fail to close"][0] is OSError,
    "when every __exit__ raises, an exception must still come out",
)
expect_same(
    _seen["all fail to close"][1],
    [
        "make z0",
        "open z0",
        "make z1",
        "open z1",
        "make z2",
        "open z2",
        "close z2",
        "close z1 after OSError",
        "close z0 after OSError",
    ],
    "when every __exit__ raises, every resource must still be exited",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `Capture(*kinds)`: swallow and record, exactly
#
# A batch job that imports 10,000 rows should not stop at the first malformed row, but it must
# know which rows failed and why. `contextlib.suppress(ValueError)` swallows the error and
# forgets it. Write a class `Capture` that swallows the exceptions you name **and keeps the
# exception object**, so that the caller can log it, count it or re-raise it later:
#
# ```python
# with Capture(ValueError, KeyError) as caught:
#     price = int("12,50")        # ValueError: swallowed
# caught.error                    # ValueError("invalid literal for int() ...")
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `Capture(*kinds)` takes one or more exception classes. Called with none, or with anything
#   that is not a class derived from `BaseException` (an instance, a string, `int`), it raises
#   `TypeError` at once.
# - `caught.error` is `None` from the start. `__enter__` sets it to `None` again and returns
#   the `Capture` object itself.
# - When the block raises an exception `e` that is an instance of one of `kinds` (subclasses
#   count: `Capture(LookupError)` swallows a `KeyError`) **and** an instance of `Exception`:
#   `__exit__` returns `True`, so `e` is swallowed, and `caught.error` is `e`, the very object.
# - Otherwise, `__exit__` returns `False`, so the exception propagates unchanged, and
#   `caught.error` stays `None`. In particular `KeyboardInterrupt`, `SystemExit` and other
#   exceptions that are not `Exception`s are **never** swallowed, even by
#   `Capture(BaseException)`: a program must stay stoppable.
# - When the block raises nothing, `__exit__` returns `False` and `caught.error` stays `None`.
# - A `Capture` object can be used in several `with` blocks, one after another; each block
#   starts afresh. `Capture` blocks can be nested: an exception swallowed by an inner one is
#   not seen by the outer ones.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `__exit__(self, exc_type, exc, tb)` gets `None, None, None` when the block raised nothing.
# `issubclass(None, ...)` raises `TypeError`: test for `None` first. Test `exc_type` or
# `exc` against `None` with `is`, never by truth: an exception object may define `__bool__`.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# In `__init__`, check every kind with `isinstance(kind, type) and issubclass(kind,
# BaseException)`. In `__exit__`: `if exc_type is not None and issubclass(exc_type, Exception)
# and issubclass(exc_type, self.kinds):` record `exc` and return `True`; otherwise return
# `False`.
# </details>


# %% nbgrader="solution" grade_id="capture_answer"
class Capture:
    """Swallow exceptions of the given kinds (Exception subclasses only) and record the very
    exception object in `error`; let every other exception through."""

    def __init__(self, *kinds):
        """Keep the exception classes to swallow; TypeError unless given one or more."""
        ### BEGIN SOLUTION
        if not kinds:
            raise TypeError("Capture needs at least one exception class")
        for kind in kinds:
            if not (isinstance(kind, type) and issubclass(kind, BaseException)):
                raise TypeError("Capture takes exception classes only")
        self.kinds = kinds
        self.error = None
        ### END SOLUTION

    def __enter__(self):
        """Start a block afresh: no error recorded yet."""
        ### BEGIN SOLUTION
        self.error = None
        return self
        ### END SOLUTION

    def __exit__(self, exc_type, exc, tb):
        """Swallow (return True) and record the exceptions the contract says; else False."""
        ### BEGIN SOLUTION
        if exc_type is None or not issubclass(exc_type, Exception):
            return False
        if not issubclass(exc_type, self.kinds):
            return False
        self.error = exc
        return True
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
with Capture(ValueError, KeyError) as caught:
    int("12,50")
print(repr(caught.error))

# %% [markdown]
# ### Check C1 · what is swallowed, what propagates, what `__exit__` returns (3 points)

# %% nbgrader="tests" grade_id="capture_tests_contract" points=3
"""Capture swallows and records (the very object) the kinds it was given, subclasses included;
lets others through unrecorded; __exit__ returns True or False exactly."""
from advpy.checks import beside, expect


def capture_basics():
    """Runs where your code runs: a KeyError in a Capture(ValueError, KeyError) block, a
    TypeError in a Capture(ValueError) block, a block that raises nothing, and __enter__ and
    __exit__ called by hand; what happened, as plain data."""
    seen = {}
    with Capture(ValueError, KeyError) as caught:
        error = KeyError("sku-42")
        raise error
    seen["recorded the very KeyError"] = caught.error is error
    probe = Capture(ValueError)
    seen["__enter__ returned itself"] = probe.__enter__() is probe
    other = TypeError("not a kind we capture")
    seen["came out"] = [None, False]
    try:
        with Capture(ValueError):
            raise other
    except BaseException as out:
        seen["came out"] = [type(out), out is other]
    quiet = Capture(ValueError)
    with quiet:
        pass
    seen["error after a quiet block is None"] = quiet.error is None
    manual = Capture(ValueError)
    manual.__enter__()
    seen["__exit__(None, None, None) is False"] = manual.__exit__(None, None, None) is False
    return seen


seen = beside(capture_basics)
expect(
    seen["recorded the very KeyError"],
    "after a KeyError in `with Capture(ValueError, KeyError) as "
    "caught`, caught.error must be that very KeyError object",
)
expect(seen["__enter__ returned itself"], "__enter__ must return the Capture object itself")
expect(
    seen["came out"] == [TypeError, True],
    "Capture(ValueError) must let a TypeError out of the with statement, unchanged",
)
expect(
    seen["error after a quiet block is None"],
    "after a block that raised nothing, error must be None",
)
expect(seen["__exit__(None, None, None) is False"], "__exit__(None, None, None) must return False")
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: __exit__ called by hand with exceptions swallowed and let
    # through, kinds with subclasses, several kinds, and an exception that propagates; what
    # happened, as plain data.
    seen = {}
    capture = Capture(OSError)
    seen["error before any block is None"] = capture.error is None
    seen["__enter__ returned itself"] = capture.__enter__() is capture
    swallowed = FileNotFoundError("missing")
    seen["__exit__ swallowing is True"] = (
        capture.__exit__(FileNotFoundError, swallowed, None) is True
    )
    seen["recorded the very object"] = capture.error is swallowed
    capture = Capture(ValueError, ZeroDivisionError)
    capture.__enter__()
    passing = KeyError("passes")
    seen["__exit__ letting through is False"] = capture.__exit__(KeyError, passing, None) is False
    seen["error stays None when let through"] = capture.error is None
    with Capture(LookupError) as caught:
        {}["absent"]
    seen["subclass recorded"] = type(caught.error) is KeyError
    with Capture(KeyError, ArithmeticError, ValueError) as caught:
        1 / 0
    seen["any of several kinds recorded"] = type(caught.error) is ZeroDivisionError
    holder = {}
    came_out = None
    try:
        with Capture(KeyError) as inner:
            holder["capture"] = inner
            raise ValueError("not captured")
    except BaseException as out:
        came_out = type(out)
    seen["another kind came out"] = came_out
    seen["error stays None when it propagates"] = holder["capture"].error is None
    return seen


_seen = beside(_observed)
expect(_seen["error before any block is None"], "error must be None before any with block")
expect(_seen["__enter__ returned itself"], "__enter__ must return the Capture object itself")
expect(
    _seen["__exit__ swallowing is True"],
    "__exit__ must return "
    "exactly True for an exception it swallows (subclasses of a kind included)",
)
expect(_seen["recorded the very object"], "error must be the very exception object swallowed")
expect(
    _seen["__exit__ letting through is False"],
    "__exit__ must return exactly False for an exception it lets through",
)
expect(
    _seen["error stays None when let through"],
    "error must stay None when the exception is not swallowed",
)
expect(
    _seen["subclass recorded"],
    "Capture(LookupError) must swallow and record a KeyError: subclasses of a kind count",
)
expect(
    _seen["any of several kinds recorded"],
    "a Capture with several kinds must swallow an exception of any of them (subclasses included)",
)
expect(
    _seen["another kind came out"] is ValueError,
    "an exception of another kind must propagate",
)
expect(
    _seen["error stays None when it propagates"],
    "error must stay None when the exception propagates",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · never `KeyboardInterrupt`, re-use, nesting, bad arguments (3 points)

# %% nbgrader="tests" grade_id="capture_tests_edges" points=3
"""Capture never swallows KeyboardInterrupt or SystemExit, starts afresh in each block,
nests, and refuses anything but exception classes with TypeError."""
from advpy.checks import beside, expect, expect_raises


def ctrl_c_and_reuse():
    """Runs where your code runs: a KeyboardInterrupt in a Capture(BaseException) block, then
    one Capture used in a block that raises and again in one that does not; what happened."""
    interrupt = KeyboardInterrupt()
    came_out = [None, False]
    try:
        with Capture(BaseException):
            raise interrupt
    except BaseException as out:
        came_out = [type(out), out is interrupt]
    reused = Capture(ValueError)
    with reused:
        raise ValueError("first block")
    with reused:
        pass
    return {
        "came out": came_out,
        "error after the second block is None": reused.error is None,
    }


seen = beside(ctrl_c_and_reuse)
expect(
    seen["came out"] == [KeyboardInterrupt, True],
    "Capture(BaseException) must let a KeyboardInterrupt out of the with statement, unchanged",
)
expect(
    seen["error after the second block is None"],
    "a Capture used again in a block that raised nothing must have error None",
)
expect_raises(
    lambda: Capture("ValueError"),
    TypeError,
    "Capture('ValueError') (a string, not a class) must raise TypeError",
)
### BEGIN HIDDEN TESTS


def _observed():
    # Runs where the answer runs: __exit__ given exceptions that are not Exceptions, whatever
    # the kinds; SystemExit in a block; an exception that is false; one Capture used in
    # several blocks; nested Captures; and arguments that are not exception classes. What
    # happened, as plain data.
    class FalsyError(Exception):
        def __bool__(self):
            return False

    seen = {"base exceptions": []}
    for kinds in [(BaseException,), (Exception, BaseException), (SystemExit, KeyboardInterrupt)]:
        for error in (KeyboardInterrupt(), SystemExit(0), GeneratorExit()):
            capture = Capture(*kinds)
            capture.__enter__()
            returned_false = capture.__exit__(type(error), error, None) is False
            seen["base exceptions"].append([returned_false, capture.error is None])
    came_out = None
    try:
        with Capture(BaseException):
            raise SystemExit(2)
    except BaseException as out:
        came_out = type(out)
    seen["SystemExit came out"] = came_out
    falsy = FalsyError()
    with Capture(FalsyError) as caught:
        raise falsy
    seen["falsy recorded"] = caught.error is falsy
    capture = Capture(ValueError)
    with capture:
        raise ValueError("first")
    second = ValueError("second")
    with capture:
        raise second
    seen["second block recorded"] = capture.error is second
    came_out = None
    try:
        with capture:
            raise KeyError("not captured")
    except BaseException as out:
        came_out = type(out)
    seen["reused let through"] = came_out
    seen["reused error is None"] = capture.error is None
    with Capture(KeyError) as outer:
        with Capture(ValueError) as middle:
            with Capture(ValueError) as inner:
                deep = ValueError("deep")
                raise deep
        seen["middle saw nothing"] = middle.error is None
        with Capture(ValueError) as middle:
            lookup = KeyError("lookup")
            raise lookup
    seen["nested recorded"] = inner.error is deep and outer.error is lookup
    seen["bad arguments"] = []
    for bad in [(), (ValueError, "KeyError"), (ValueError(),), (int,), (None,)]:
        try:
            Capture(*bad)
        except BaseException as out:
            seen["bad arguments"].append(type(out))
        else:
            seen["bad arguments"].append(None)
    return seen


_seen = beside(_observed)
for _returned_false, _not_recorded in _seen["base exceptions"]:
    expect(
        _returned_false,
        "__exit__ must return "
        "False for KeyboardInterrupt, SystemExit and GeneratorExit, whatever the kinds",
    )
    expect(
        _not_recorded,
        "a KeyboardInterrupt, SystemExit or GeneratorExit must never be recorded",
    )
expect(
    _seen["SystemExit came out"] is SystemExit,
    "Capture(BaseException) must let SystemExit through",
)
expect(
    _seen["falsy recorded"],
    "an exception object that is false in a boolean test must be "
    "swallowed and recorded like any other",
)
expect(
    _seen["second block recorded"],
    "each block a Capture is used in must record its own exception",
)
expect(
    _seen["reused let through"] is KeyError,
    "a Capture used again must let other kinds through",
)
expect(
    _seen["reused error is None"],
    "a Capture used again must not keep the exception of an "
    "earlier block when the new one propagates",
)
expect(
    _seen["middle saw nothing"],
    "an exception swallowed by an inner Capture must not reach the outer ones",
)
expect(
    _seen["nested recorded"],
    "nested Capture blocks: each must record exactly what it swallowed",
)
expect(
    _seen["bad arguments"] == [TypeError] * 5,
    "Capture with no kinds, or with something "
    "that is not an exception class (an instance, a string, int, None), must "
    "raise TypeError",
)
### END HIDDEN TESTS
