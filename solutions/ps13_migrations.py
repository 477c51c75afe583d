# %% [markdown]
# # ps13 · Migrations: a revision that keeps its data, a safe rename, a backfill (21 points)
#
# Three pieces of a schema change done right, each from
# [13 · Database migrations](../13_migrations.ipynb), checked against real databases:
#
# - **Part A** · `price_cents_revision()`: the source text of an Alembic revision that moves
#   prices from euros to integer cents and back, run by Alembic on a real SQLite file with
#   every value kept (8 points);
# - **Part B** · `rename_plan()`: an expand/contract plan, as data, that renames a column
#   while four versions of an app come and go, checked against every version that runs at
#   every moment (7 points);
# - **Part C** · `backfill_mobile(path, batch_size)`: a backfill in batches, each its own
#   transaction, that survives a failure half-way and can be run again (6 points).
#
# Parts A and B return plain data (source text, a list of steps); the tests run it with
# Alembic and SQLite themselves. Part C connects to the SQLite file whose path it is given.
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it defines the first revision of Part A, the app versions of Part B, a
# builder for Part C's database, and helpers to try your answers in the scratch cells.
import sqlite3
import tempfile
from pathlib import Path

from advpy.checks import replay_plan, run_migrations

#: Part A: the revision your revision follows. It makes `products` (prices in euros, as floats)
#: and `orders`.
BASE_REVISION = '''\
"""products and orders"""
import sqlalchemy as sa
from alembic import op

revision = "0001_products"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "products",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("price", sa.Float, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("product_id", sa.Integer, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
    )


def downgrade():
    op.drop_table("orders")
    op.drop_table("products")
'''


def trial(source, products, orders=()):
    """Run BASE_REVISION, then the revision `source`, on a new SQLite file holding `products`
    (a list of (id, name, price)) and `orders` (a list of (id, product_id, quantity)): upgrade
    to head, downgrade to 0001_products, upgrade to head again. Returns the three snapshots
    (see advpy.checks.run_migrations): each {"error", "versions", "tables"}."""
    steps = [("upgrade", "0001_products")]
    if products:
        steps.append(("sql", "INSERT INTO products VALUES (?, ?, ?)", list(products)))
    if orders:
        steps.append(("sql", "INSERT INTO orders VALUES (?, ?, ?)", list(orders)))
    steps += [("upgrade", "head"), ("snapshot",), ("downgrade", "0001_products"), ("snapshot",)]
    steps += [("upgrade", "head"), ("snapshot",)]
    revisions = {"0001_products.py": BASE_REVISION, "0002_price_cents.py": source}
    return run_migrations(revisions, steps)


def table_rows(snapshot, table, columns):
    """The rows of `table` in a snapshot as tuples of `columns` (a missing column is None)."""
    rows = snapshot["tables"].get(table, {}).get("rows", [])
    return [tuple(row.get(column) for column in columns) for row in rows]


#: Part B: the table at the start, and each app version: (the column it reads the number from,
#: the columns it writes the number to).
CUSTOMERS = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT);"
APP_VERSIONS = {
    "v1": ("phone", ("phone",)),
    "v2": ("phone", ("phone", "mobile")),
    "v3": ("mobile", ("phone", "mobile")),
    "v4": ("mobile", ("mobile",)),
}


def replay(plan, **workload):
    """Replay `plan` from v1 on CUSTOMERS with the versions running (see advpy.checks.replay_plan
    for the workload's keywords) and return the report."""
    return replay_plan(
        plan, schema=CUSTOMERS, table="customers", versions=APP_VERSIONS, start="v1", **workload
    )


def make_customers(path, customers):
    """A new SQLite file at `path` with the table customers(id, name, phone, mobile), holding
    `customers`, a list of (id, phone, mobile); every name is "customer"."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT, "
            "mobile TEXT)"
        )
        connection.executemany(
            "INSERT INTO customers VALUES (?, 'customer', ?, ?)", [tuple(c) for c in customers]
        )
    connection.close()


def read_customers(path):
    """Every customer of the file at `path` as (id, phone, mobile), in id order."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT id, phone, mobile FROM customers ORDER BY id").fetchall()
    finally:
        connection.close()


# %% [markdown]
# ## Part A · `price_cents_revision`: euros to cents and back, with the data
#
# The shop stores prices as floats in euros, `products.price` (`12.5`), and wants integer cents,
# `products.price_cents` (`1250`), so that sums are exact. `BASE_REVISION` above is the
# revision the database is at. Write `price_cents_revision()`, which returns the **source text**
# of the next Alembic revision, as a `str`:
#
# - `revision = "0002_price_cents"` and `down_revision = "0001_products"`.
# - **`upgrade()`** leaves `products` with exactly the columns `id` (unchanged), `name`
#   (unchanged) and `price_cents`, an `INTEGER` column that is `NOT NULL`, holding every
#   product's price in cents, rounded to the nearest cent (prices have at most two decimals,
#   but a float such as `0.29` times 100 is `28.999999999999996`: truncating loses a cent).
#   The column `price` is gone. Every product keeps its id and name, and `orders` is not
#   changed.
# - **`downgrade()`** brings back the schema of `0001_products` exactly: `price` a `NOT NULL`
#   float column (`sa.Float`), no `price_cents`, and every price equal to the one it had
#   before the upgrade (`1250` cents is `12.5`, not `12`).
# - Both work on an empty table too, and upgrade, downgrade, upgrade again gives the same
#   result as the first upgrade.
#
# The database is SQLite. Its `ALTER TABLE` cannot change a column's `NULL`-ness, so do that in
# **batch mode** (`with op.batch_alter_table("products") as batch:`), as the lesson's section
# 1.1 shows. Do the data move in SQL with `op.execute(...)`. The tests write your text to
# `versions/` next to `BASE_REVISION`, run `alembic upgrade` and `alembic downgrade` on a new
# SQLite file holding products, and read the table after each. Column types are compared by
# SQLite's type affinity (`sa.Integer` and `sa.BigInteger` are both INTEGER; `sa.Float` is REAL).
#
# The shape of the answer (the text is a revision file like the lesson's):
#
# ```python
# def price_cents_revision():
#     return '''\
# """prices in integer cents"""
# import sqlalchemy as sa
# from alembic import op
#
# revision = "0002_price_cents"
# down_revision = "0001_products"
#
#
# def upgrade():
#     ...
#
#
# def downgrade():
#     ...
# '''
# ```

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Three steps each way: add the new column as nullable, fill it with one `UPDATE`, then (in
# batch mode) make it `NOT NULL` and drop the old column.
# </details>
#
# <details><summary>Hint 2</summary>
#
# In SQLite, `CAST(price * 100 AS INTEGER)` truncates; `ROUND(price * 100)` rounds. And
# `price_cents / 100` is an integer division there: divide by `100.0`.
# </details>


# %% nbgrader="solution" grade_id="price_cents_answer"
def price_cents_revision():
    """Return the source text of the Alembic revision 0002_price_cents (see the contract)."""
    ### BEGIN SOLUTION
    return '''\
"""prices in integer cents"""
import sqlalchemy as sa
from alembic import op

revision = "0002_price_cents"
down_revision = "0001_products"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("products", sa.Column("price_cents", sa.Integer))
    op.execute("UPDATE products SET price_cents = CAST(ROUND(price * 100) AS INTEGER)")
    with op.batch_alter_table("products") as batch:
        batch.alter_column("price_cents", existing_type=sa.Integer, nullable=False)
        batch.drop_column("price")


def downgrade():
    op.add_column("products", sa.Column("price", sa.Float))
    op.execute("UPDATE products SET price = price_cents / 100.0")
    with op.batch_alter_table("products") as batch:
        batch.alter_column("price", existing_type=sa.Float, nullable=False)
        batch.drop_column("price_cents")
'''
    ### END SOLUTION


# %%
# Scratch cell: try your revision here. It is not graded.
for snapshot in trial(price_cents_revision(), [(1, "tea", 3.5), (2, "cup", 0.29)]):
    print(snapshot.get("error") or (snapshot["versions"], snapshot["tables"]["products"]))

# %% [markdown]
# ### Check A1 · the upgrade (4 points)
# After `alembic upgrade head`, `products` has `id`, `name` and a `NOT NULL` integer
# `price_cents` holding each price in cents, and nothing else has changed.

# %% nbgrader="tests" grade_id="price_cents_tests_upgrade" points=4
"""alembic upgrade head runs the revision on a SQLite file with products: the table then has
id, name and a NOT NULL INTEGER price_cents with every price in cents, orders is unchanged, and
alembic_version says 0002_price_cents."""
from advpy.checks import expect, expect_same

UPGRADED_COLUMNS = {
    "id": ("INTEGER", True, True),
    "name": ("TEXT", True, False),
    "price_cents": ("INTEGER", True, False),
}
PRODUCTS = [(1, "tea", 3.5), (2, "cup", 12.99), (3, "pot", 20.0)]
ORDERS = [(1, 2, 3)]
upgraded = trial(price_cents_revision(), PRODUCTS, ORDERS)[0]
expect_same(upgraded["error"], None, "what went wrong in alembic upgrade head", show=True)
expect_same(
    upgraded["versions"], ["0002_price_cents"], "alembic_version after the upgrade", show=True
)
expect_same(
    upgraded["tables"]["products"]["columns"],
    UPGRADED_COLUMNS,
    "products' columns after the upgrade: name -> (affinity, NOT NULL, primary key)",
    show=True,
)
expect_same(
    table_rows(upgraded, "products", ("id", "name", "price_cents")),
    [(1, "tea", 350), (2, "cup", 1299), (3, "pot", 2000)],
    "products after the upgrade, as (id, name, price_cents)",
    show=True,
)
expect_same(
    table_rows(upgraded, "orders", ("id", "product_id", "quantity")),
    ORDERS,
    "orders after the upgrade (it must not change)",
    show=True,
)
### BEGIN HIDDEN TESTS
_prices = [0.29, 1.15, 19.99, 4.35, 0.57, 0.07, 1234567.89, 0.0, 100.1, 8.2, 0.01, 7.0]
_products = [(5 + 2 * _i, f"item {_i}", _price) for _i, _price in enumerate(_prices)]
_orders = [(1, 5, 2), (2, 9, 1), (5, 27, 7)]
_up = trial(price_cents_revision(), _products, _orders)[0]
expect_same(_up["error"], None, "alembic upgrade head must succeed on a table of many prices")
expect_same(_up["versions"], ["0002_price_cents"], "alembic_version must be 0002_price_cents")
expect_same(
    _up["tables"]["products"]["columns"],
    UPGRADED_COLUMNS,
    "products must have exactly id, name and a NOT NULL INTEGER price_cents",
)
_found = table_rows(_up, "products", ("id", "name", "price_cents"))
expect_same(
    _found,
    [(_id, _name, round(_price * 100)) for _id, _name, _price in _products],
    "every price must become its value in cents, rounded to the nearest cent (floats such as "
    "0.29 * 100 are a little below the whole number: do not truncate), with ids and names kept",
)
expect(
    all(type(_row[2]) is int for _row in _found),
    "price_cents must hold integers (SQLite's typeof: integer), not floats",
)
expect_same(
    table_rows(_up, "orders", ("id", "product_id", "quantity")),
    _orders,
    "orders must not be changed by the upgrade",
)
_empty = trial(price_cents_revision(), [])[0]
expect_same(
    (_empty["error"], _empty.get("versions"), _empty.get("tables", {}).get("products")),
    (None, ["0002_price_cents"], {"columns": UPGRADED_COLUMNS, "rows": []}),
    "the upgrade must also work on an empty products table",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · the downgrade and the round trip (4 points)
# After `alembic downgrade 0001_products`, `products` is as `BASE_REVISION` made it, every price
# back to its old value; upgrading again gives the same cents.

# %% nbgrader="tests" grade_id="price_cents_tests_downgrade" points=4
"""alembic downgrade 0001_products after the upgrade gives back the base schema (price a NOT
NULL float, no price_cents) and every price exactly; upgrading again gives the same cents."""
from advpy.checks import expect_same

BASE_COLUMNS = {
    "id": ("INTEGER", True, True),
    "name": ("TEXT", True, False),
    "price": ("REAL", True, False),
}
PRODUCTS = [(1, "tea", 3.5), (2, "cup", 12.99), (3, "pot", 20.0)]
ORDERS = [(1, 2, 3)]
_, down, again = trial(price_cents_revision(), PRODUCTS, ORDERS)
expect_same(down["error"], None, "what went wrong in the upgrade or the downgrade", show=True)
expect_same(down["versions"], ["0001_products"], "alembic_version after the downgrade", show=True)
expect_same(
    down["tables"]["products"]["columns"],
    BASE_COLUMNS,
    "products' columns after the downgrade",
    show=True,
)
expect_same(
    table_rows(down, "products", ("id", "name", "price")),
    PRODUCTS,
    "products after the downgrade, as (id, name, price)",
    show=True,
)
expect_same(again["error"], None, "what went wrong in the second upgrade", show=True)
expect_same(
    table_rows(again, "products", ("id", "name", "price_cents")),
    [(1, "tea", 350), (2, "cup", 1299), (3, "pot", 2000)],
    "products after upgrading again, as (id, name, price_cents)",
    show=True,
)
### BEGIN HIDDEN TESTS
_prices = [0.29, 1.15, 19.99, 4.35, 0.57, 0.07, 1234567.89, 0.0, 100.1, 8.2, 0.01, 7.0]
_products = [(5 + 2 * _i, f"item {_i}", _price) for _i, _price in enumerate(_prices)]
_orders = [(1, 5, 2), (2, 9, 1), (5, 27, 7)]
_, _down, _again = trial(price_cents_revision(), _products, _orders)
expect_same(_down["error"], None, "the downgrade must succeed on a table of many prices")
expect_same(_down["versions"], ["0001_products"], "alembic_version must be 0001_products after it")
expect_same(
    _down["tables"]["products"]["columns"],
    BASE_COLUMNS,
    "after the downgrade, products must have exactly id, name and a NOT NULL float price",
)
expect_same(
    table_rows(_down, "products", ("id", "name", "price")),
    _products,
    "after the downgrade every price must equal its value before the upgrade (cents / 100.0, "
    "not an integer division), with ids and names kept",
)
expect_same(
    table_rows(_down, "orders", ("id", "product_id", "quantity")),
    _orders,
    "orders must not be changed by the downgrade",
)
expect_same(_again["error"], None, "upgrading again after the downgrade must succeed")
expect_same(
    table_rows(_again, "products", ("id", "name", "price_cents")),
    [(_id, _name, round(_price * 100)) for _id, _name, _price in _products],
    "upgrading again after the downgrade must give the same cents",
)
_, _down, _again = trial(price_cents_revision(), [])
expect_same(
    (_down["error"], _down.get("versions"), _down.get("tables", {}).get("products")),
    (None, ["0001_products"], {"columns": BASE_COLUMNS, "rows": []}),
    "the downgrade must also work on an empty products table",
)
expect_same(
    (_again["error"], _again.get("versions")),
    (None, ["0002_price_cents"]),
    "the second upgrade must also work on an empty products table",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `rename_plan`: expand and contract, as data
#
# The table `customers(id, name, phone)` (`CUSTOMERS` above) is renaming `phone` to `mobile`.
# Four versions of the app exist (`APP_VERSIONS`): v1 reads and writes `phone`; v2 reads `phone`
# and writes both; v3 reads `mobile` and writes both; v4 reads and writes `mobile`. At the start
# only v1 runs.
#
# Write `rename_plan()`, which returns the plan as a list of steps, each a pair:
#
# - `("sql", statement)`: one SQLite statement, run on the live database;
# - `("deploy", version)`: a **rolling deploy** of that version: for a while the versions
#   running so far and the new one serve together, then the new one alone.
#
# The plan must end with **only v4 running** and the table holding exactly `id`, `name` and
# `mobile` (no `phone`), and at **every** moment (after each step, and while each deploy is
# half-done) every running version must be able to insert, update and read customers, and
# every read must give each customer's latest number, whichever version wrote it. Some
# customers have no number (NULL): that is a value too, and it must survive.
#
# The tests replay your plan with `replay_plan` (the `replay` helper above): after each step,
# each running version inserts and updates a few customers, then each reads them all. A
# statement that fails stops the replay. Hidden tests replay it with other customers, more
# traffic and NULL numbers.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# A column must exist before a version that writes it is deployed, and must stay until no
# running version writes or reads it.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The backfill copies `phone` to `mobile` for rows written before anyone wrote `mobile`. If a
# version that writes only `phone` is still running after the backfill, what happens to the
# rows it changes next?
# </details>


# %% nbgrader="solution" grade_id="rename_plan_answer"
def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile, as a
    list of ("sql", statement) and ("deploy", version) steps (see the contract)."""
    ### BEGIN SOLUTION
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT"),
        ("deploy", "v2"),
        ("sql", "UPDATE customers SET mobile = phone"),
        ("deploy", "v3"),
        ("deploy", "v4"),
        ("sql", "ALTER TABLE customers DROP COLUMN phone"),
    ]
    ### END SOLUTION


# %%
# Scratch cell: try your plan here. It is not graded.
replay(rename_plan(), null_share=0.2, seed=1)

# %% [markdown]
# ### Check B1 · the plan runs and ends where it should (3 points)
# Every step is well formed and every statement runs; at the end only v4 runs, on `customers`
# with `id`, `name` and `mobile`.

# %% nbgrader="tests" grade_id="rename_plan_tests_end_state" points=3
"""The plan's steps are well formed and its statements all run; it ends with only v4 running
and customers holding exactly id, name and mobile."""
from advpy.checks import expect_same

report = replay(rename_plan(), seed=0)
expect_same(report["problem"], None, "the first malformed step or failed statement", show=True)
expect_same(report["running"], ["v4"], "the versions running at the end", show=True)
expect_same(
    sorted(report["columns"]), ["id", "mobile", "name"], "customers' columns at the end", show=True
)
### BEGIN HIDDEN TESTS
for _seed, _share in ((3, 0.3), (11, 0.5), (29, 0.1)):
    _report = replay(rename_plan(), rows=40, operations=3, null_share=_share, seed=_seed)
    expect_same(
        _report["problem"],
        None,
        "every statement of the plan must run, also when some customers have no number (NULL)",
    )
    expect_same(_report["running"], ["v4"], "only v4 may be running at the end")
    expect_same(
        sorted(_report["columns"]),
        ["id", "mobile", "name"],
        "customers must hold exactly id, name and mobile at the end",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · no version fails or reads a wrong number, at any moment (4 points)
# Replayed with traffic after every step and during every deploy, no write fails and every
# read gives each customer's latest number.

# %% nbgrader="tests" grade_id="rename_plan_tests_safety" points=4
"""Replayed with traffic after every step and in the middle of every rolling deploy, no running
version's insert, update or read fails, and every read gives each customer's latest number."""
from advpy.checks import expect_same

report = replay(rename_plan(), seed=0)
expect_same(report["problem"], None, "the first malformed step or failed statement", show=True)
expect_same(
    report["failures"],
    [],
    "what went wrong for the running versions (each line says which version, what and when)",
    show=True,
)
### BEGIN HIDDEN TESTS
for _seed, _share in ((5, 0.0), (17, 0.3), (23, 0.6), (41, 0.2)):
    _report = replay(rename_plan(), rows=30, operations=4, null_share=_share, seed=_seed)
    expect_same(
        _report["problem"],
        None,
        "every statement of the plan must run, also when some customers have no number (NULL)",
    )
    expect_same(
        _report["failures"],
        [],
        "with more traffic and customers without a number, every running version must write "
        "and read correctly at every moment of the plan",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `backfill_mobile`: batches that survive a failure
#
# On a big table the backfill of Part B is not one `UPDATE`: it runs in small batches, each its
# own short transaction, so that no write waits long for a lock, and so that a failure half-way
# loses only the batch it was in. Write `backfill_mobile(path, batch_size)` for the SQLite file
# at `path`, whose table is `customers(id, name, phone, mobile)`:
#
# - A row **needs the backfill** when its `mobile` is NULL and its `phone` is not. Copy `phone`
#   into `mobile` for exactly those rows. Leave every other row as it is: a row whose `mobile`
#   is already set was written by a newer version and is right as it is, and a row without a
#   phone stays without one. (Such rows must not make your loop run forever.)
# - Work in **batches**: the next batch is the next `batch_size` rows needing the backfill, in
#   id order (fewer for the last). Each batch is one transaction, committed before the next
#   begins.
# - Return the number of batches committed (`0` when no row needs the backfill).
# - `batch_size` must be an `int` (not a `bool`) of at least 1; otherwise raise `ValueError`
#   before opening the database.
# - If a batch fails (a statement raises), roll that batch back, keep the batches committed
#   before it, close the connection, and let the error propagate. Run again, the function
#   finishes the rest and returns the number of batches *that* run committed.
# - Open your own connection with `sqlite3.connect(path)`, and close it before returning or
#   raising, so that the file is not left locked.
#
# `make_customers(path, customers)` and `read_customers(path)` above build and read such a
# file. The tests make a failure happen with a trigger that refuses to set one row's `mobile`.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `with connection:` commits the block's transaction when the block ends, and rolls it back
# when an exception leaves it.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Select the ids of the next batch with `WHERE mobile IS NULL AND phone IS NOT NULL ... ORDER BY
# id LIMIT ?`, then update exactly those ids. Paging with `OFFSET` skips rows: the rows already
# done no longer match the `WHERE`.
# </details>


# %% nbgrader="solution" grade_id="backfill_answer"
def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed (see the contract)."""
    ### BEGIN SOLUTION
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    connection = sqlite3.connect(path)
    batches = 0
    try:
        while True:
            with connection:
                ids = [
                    row[0]
                    for row in connection.execute(
                        "SELECT id FROM customers WHERE mobile IS NULL AND phone IS NOT NULL "
                        "ORDER BY id LIMIT ?",
                        (batch_size,),
                    )
                ]
                if not ids:
                    return batches
                marks = ", ".join("?" * len(ids))
                connection.execute(
                    f"UPDATE customers SET mobile = phone WHERE id IN ({marks})", ids
                )
            batches += 1
    finally:
        connection.close()
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
scratch = Path(tempfile.mkdtemp()) / "customers.db"
make_customers(scratch, [(1, "+44 1", None), (4, "+44 4", "+44 5"), (7, "+44 7", None)])
print(backfill_mobile(scratch, 1), read_customers(scratch))

# %% [markdown]
# ### Check C1 · the right rows, in batches, counted (3 points)
# Exactly the rows needing the backfill get their number; the others are left alone; the count
# of batches is right; a bad `batch_size` is refused.

# %% nbgrader="tests" grade_id="backfill_tests_rows" points=3
"""backfill_mobile copies phone into mobile for exactly the rows whose mobile is NULL and phone
is not, returns the number of batches, returns 0 when nothing needs it, and refuses a
batch_size that is not an int of at least 1 with ValueError before opening the file."""
import os
import tempfile

from advpy.checks import expect_raises, expect_same, time_limit

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "customers.db")
    customers = [(1, "+44 1", None), (2, None, None), (3, "+44 3", "+44 9"), (5, "+44 5", None)]
    make_customers(path, [*customers, (6, "+44 6", None)])
    with time_limit(10):
        batches = backfill_mobile(path, 2)
    expect_same(batches, 2, "batches for 3 rows needing it, batch_size 2", show=True)
    expect_same(
        read_customers(path),
        [(1, "+44 1", "+44 1"), (2, None, None), (3, "+44 3", "+44 9"), (5, "+44 5", "+44 5")]
        + [(6, "+44 6", "+44 6")],
        "the customers after the backfill, as (id, phone, mobile)",
        show=True,
    )
    with time_limit(10):
        batches = backfill_mobile(path, 2)
    expect_same(batches, 0, "batches when no row needs the backfill", show=True)
    expect_raises(
        lambda: backfill_mobile(path, 0), ValueError, "batch_size 0 must raise ValueError"
    )
### BEGIN HIDDEN TESTS
import random as _random

_rng = _random.Random(13)
_ids = sorted(_rng.sample(range(1, 400), 90))
_customers = []
for _id in _ids:
    _kind = _rng.random()
    _phone = None if _kind < 0.2 else f"+44 {_id}"
    _mobile = f"+33 {_id}" if 0.2 <= _kind < 0.35 else None
    _customers.append((_id, _phone, _mobile))
_need = [_c for _c in _customers if _c[2] is None and _c[1] is not None]
_after = [(_i, _p, _p if (_m is None and _p is not None) else _m) for _i, _p, _m in _customers]
for _size in (1, 7, len(_need), len(_need) + 5):
    with tempfile.TemporaryDirectory() as _folder:
        _path = os.path.join(_folder, "customers.db")
        make_customers(_path, _customers)
        with time_limit(20):
            _batches = backfill_mobile(_path, _size)
        expect_same(
            _batches,
            -(-len(_need) // _size),
            "the number of batches must be the number of rows needing the backfill divided by "
            "batch_size, rounded up (rows without a phone, or with a mobile, are in no batch)",
        )
        expect_same(
            read_customers(_path),
            _after,
            "exactly the rows whose mobile is NULL and phone is not must get mobile = phone; "
            "rows with a mobile already, and rows without a phone, must not change",
        )
with tempfile.TemporaryDirectory() as _folder:
    _path = os.path.join(_folder, "customers.db")
    make_customers(_path, [(1, None, None), (2, None, None), (3, "+44 3", "+44 3")])
    with time_limit(10):
        expect_same(
            backfill_mobile(_path, 1),
            0,
            "a table where no row needs the backfill (no phones, mobiles set) must give 0 batches "
            "and must not loop forever",
        )
    _missing = os.path.join(_folder, "missing.db")
    for _bad in (0, -3, 2.0, True, "5", None):
        expect_raises(
            lambda _bad=_bad: backfill_mobile(_missing, _bad),
            ValueError,
            "a batch_size that is not an int of at least 1 (a bool, a float, a str, None, 0 or "
            "less) must raise ValueError",
        )
    expect_same(
        os.path.exists(_missing),
        False,
        "a bad batch_size must be refused before the database is opened (no file may be made)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · a failure half-way, and the run that finishes (3 points)
# When one row cannot be written, the batches before it stay committed, its batch is rolled
# back, the error comes out, the file is not left locked, and a second run finishes the rest.

# %% nbgrader="tests" grade_id="backfill_tests_failure" points=3
"""When a batch fails, backfill_mobile keeps the batches committed before it, rolls back the
failing batch, lets the error out and leaves the file unlocked; run again once the cause is
gone, it finishes the rest and returns the batches of that run."""
import os
import sqlite3
import tempfile

from advpy.checks import expect, expect_same, raised_by, time_limit

REFUSE = (
    "CREATE TRIGGER refuse BEFORE UPDATE OF mobile ON customers WHEN NEW.id = {} "
    "BEGIN SELECT RAISE(ABORT, 'this row cannot be written now'); END"
)


def _crash_and_resume(customers, batch_size, refused_id):
    """(raised?, rows after the failure, file writable?, batches of the second run, rows after)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "customers.db")
        make_customers(path, customers)
        with sqlite3.connect(path) as connection:
            connection.execute(REFUSE.format(refused_id))
        connection.close()
        with time_limit(10):
            raised = raised_by(lambda: backfill_mobile(path, batch_size)) is not None
        middle = read_customers(path)
        connection = sqlite3.connect(path, timeout=0)
        try:
            connection.execute("DROP TRIGGER refuse")
            connection.commit()
            writable = True
        except sqlite3.OperationalError:
            writable = False
        connection.close()
        if not writable:
            return raised, middle, False, None, None
        with time_limit(10):
            second = backfill_mobile(path, batch_size)
        return raised, middle, True, second, read_customers(path)


customers = [(i, f"+44 {i}", None) for i in range(1, 8)]
raised, middle, writable, second, final = _crash_and_resume(customers, 2, 5)
expect(raised, "backfill_mobile must let the error of the failing batch out")
expect_same(
    middle,
    [(i, f"+44 {i}", f"+44 {i}" if i <= 4 else None) for i in range(1, 8)],
    "after a failure at id 5 with batch_size 2: batches (1, 2) and (3, 4) committed, the batch "
    "(5, 6) rolled back, 7 untouched",
    show=True,
)
expect(writable, "after the failure the file must not stay locked: close the connection")
expect_same(second, 2, "batches of the second run, which does (5, 6) and (7)", show=True)
expect_same(
    final, [(i, f"+44 {i}", f"+44 {i}") for i in range(1, 8)], "the customers at the end", show=True
)
### BEGIN HIDDEN TESTS
import random as _random

_rng = _random.Random(7)
_ids = sorted(_rng.sample(range(1, 500), 70))
_customers = []
for _id in _ids:
    _kind = _rng.random()
    _customers.append(
        (_id, None if _kind < 0.15 else f"+44 {_id}", f"+1 {_id}" if 0.15 <= _kind < 0.3 else None)
    )
_need = [_c[0] for _c in _customers if _c[2] is None and _c[1] is not None]
for _size, _position in ((5, 23), (1, 0), (4, 8), (50, len(_need) - 1), (3, 2)):
    _refused = _need[_position]
    _done = set(_need[: (_position // _size) * _size])
    _raised, _middle, _writable, _second, _final = _crash_and_resume(_customers, _size, _refused)
    expect(_raised, "the error of a failing batch must propagate out of backfill_mobile")
    expect_same(
        _middle,
        [(_i, _p, _p if _i in _done else _m) for _i, _p, _m in _customers],
        "after a failure, exactly the batches before the failing one must be committed (each "
        "batch its own transaction), and nothing of the failing batch or after it",
    )
    expect(_writable, "after a failure the file must not be left locked")
    expect_same(
        _second,
        -(-(len(_need) - len(_done)) // _size),
        "the second run must return the number of batches it committed itself",
    )
    expect_same(
        _final,
        [(_i, _p, _p if (_m is None and _p is not None) else _m) for _i, _p, _m in _customers],
        "after the second run every row needing the backfill must be done, the others unchanged",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Done
#
# Restart the kernel, run every cell, and press **Validate**. In the lesson these three pieces
# run on PostgreSQL under load: the revision is what `alembic upgrade` deploys, the plan is the
# sequence of deploys and statements of section 5, and the batched backfill is the step that
# keeps locks short while the service keeps writing.
