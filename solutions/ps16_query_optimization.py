# %% [markdown]
# # ps16 · Query optimization: indexes judged by their plans, a page without N+1 (22 points)
#
# Three answers from [16 · Query optimization](../16_query_optimization.ipynb), each judged on
# a real PostgreSQL server that the tests start and fill with a shop: 600 customers, 30,000
# orders, about 60,000 order items, no index beyond the primary keys.
#
# - **Part A** · a query and the one index that serves it: the newest paid orders of a
#   customer, read without a sequential scan, a sort or rows thrown away (8 points);
# - **Part B** · a covering index: a revenue report answered by an index-only scan (6 points);
# - **Part C** · `orders_page`: a page of a customer's orders with their items, through the
#   SQLAlchemy ORM, in at most two queries, whatever the page size (8 points).
#
# **How this notebook is graded.** Answers are judged by **what they return and by their plan
# or query count**, never by how long they take: the tests run your SQL with
# `EXPLAIN (ANALYZE, BUFFERS)` and read the plan's nodes, and count the statements your code
# sends with `pg_stat_statements`. Every test cell also holds **hidden tests** that run only
# when your instructor grades the notebook (Validate and `advpy check` run the visible ones):
# passing the visible checks is necessary, not sufficient. Each part's contract lists exactly
# what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: the shop's tables as SQLAlchemy classes (Part C), and `shop_session`,
# which opens a session on a database URL and closes everything afterwards.
from contextlib import contextmanager

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, Text, create_engine, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Session,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)

# The shop's tables, as the tests create them (see the lesson for the same schema):
#   customers   (id, name, country)
#   orders      (id, customer_id -> customers, status, created_at, total_cents, note)
#   order_items (id, order_id -> orders, product, qty, price_cents)
# status is one of 'pending', 'paid', 'shipped', 'delivered', 'cancelled'; note is long text.


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id = mapped_column(BigInteger, primary_key=True)
    customer_id = mapped_column(Integer, nullable=False)
    status = mapped_column(Text, nullable=False)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    total_cents = mapped_column(Integer, nullable=False)
    note = mapped_column(Text, nullable=False)
    items = relationship("OrderItem", order_by="OrderItem.id")  # lazy-loaded by default


class OrderItem(Base):
    __tablename__ = "order_items"
    id = mapped_column(BigInteger, primary_key=True)
    order_id = mapped_column(ForeignKey("orders.id"), nullable=False)
    product = mapped_column(Text, nullable=False)
    qty = mapped_column(Integer, nullable=False)
    price_cents = mapped_column(Integer, nullable=False)


@contextmanager
def shop_session(url):
    """A SQLAlchemy session on the database at `url` ('postgresql://user:password@host:port/db');
    the engine and its connections are closed when the `with` block ends."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


# %% [markdown]
# ## Part A · The newest paid orders of a customer, and the index for them
#
# A customer's page shows their most recent **paid** orders. Write two strings:
#
# - `RECENT_PAID_SQL`: one `SELECT` that returns, for the customer `%(customer_id)s`, the orders
#   whose `status` is `'paid'`, as rows `(id, created_at, total_cents)` in that column order,
#   **newest `created_at` first**, at most `%(limit)s` rows. The two named placeholders are
#   filled in by the driver (psycopg); write them exactly like that, and no other.
# - `RECENT_PAID_INDEX_SQL`: one `CREATE INDEX` statement on `orders` that lets PostgreSQL
#   answer `RECENT_PAID_SQL` straight from the index.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Rows.** For any customer id and any `limit` ≥ 0, the query returns exactly the right
#   rows in the right order (fewer than `limit` when the customer has fewer paid orders; none
#   for an unknown customer or `limit` 0). Times come back as ISO strings in the tests.
# - **One index.** `RECENT_PAID_INDEX_SQL` is one statement that creates exactly one index,
#   on the table `orders`. The tests run it, then `EXPLAIN (ANALYZE, BUFFERS)` of your query,
#   with PostgreSQL's default settings, and roll both back.
# - **The plan** contains no `Seq Scan` and no `Sort` node, and **no node removes rows with a
#   filter** (`Rows Removed by Filter` is 0 everywhere): the index finds exactly the rows
#   wanted, already in order; and the whole query touches **at most 12 pages** of 8 KiB
#   (`BUFFERS`). This is checked for several customers, with limits below
#   the customer's number of paid orders (when a query wants every matching row, PostgreSQL
#   may rightly prefer a bitmap scan and a sort of the few rows).
#
# ```python
# RECENT_PAID_SQL = "SELECT ... FROM orders WHERE customer_id = %(customer_id)s ..."
# RECENT_PAID_INDEX_SQL = "CREATE INDEX ... ON orders (...)"
# ```

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Equality conditions first, then the column you sort by: the B-tree then holds each
# customer's paid orders next to each other, already sorted by time.
# </details>
#
# <details><summary>Hint 2</summary>
#
# An index on `(customer_id)` alone finds the customer's orders, but then the other statuses
# are filtered out (rows removed) and the rest is sorted. A B-tree can be read backwards:
# `ORDER BY created_at DESC` needs no `DESC` in the index.
# </details>

# %% nbgrader="solution" grade_id="recent_paid_answer"
### BEGIN SOLUTION
RECENT_PAID_SQL = """
SELECT id, created_at, total_cents
FROM orders
WHERE customer_id = %(customer_id)s AND status = 'paid'
ORDER BY created_at DESC
LIMIT %(limit)s
"""
RECENT_PAID_INDEX_SQL = (
    "CREATE INDEX orders_customer_status_created ON orders (customer_id, status, created_at)"
)
### END SOLUTION

# %%
# Scratch cell: print your SQL, or try it on a server of your own (see the lesson). Not graded.
print(RECENT_PAID_SQL)

# %% [markdown]
# ### Check A1 · the right rows, in the right order (4 points)

# %% nbgrader="tests" grade_id="recent_paid_tests_rows" points=4
"""RECENT_PAID_SQL returns a customer's paid orders, newest first, at most limit of them."""
from advpy.checks import expect_same
from advpy.lessons.query_optimization.grading import shop_database

shop = shop_database()
expect_same(
    shop.rows(RECENT_PAID_SQL, {"customer_id": 7, "limit": 5}),
    shop.expected_recent_paid(7, 5),
    "the rows of RECENT_PAID_SQL for customer 7, limit 5",
    show=True,
)
### BEGIN HIDDEN TESTS
for _customer, _limit in [(1, 3), (599, 100), (42, 1), (300, 0), (123, 50), (9999, 5)]:
    expect_same(
        shop.rows(RECENT_PAID_SQL, {"customer_id": _customer, "limit": _limit}),
        shop.expected_recent_paid(_customer, _limit),
        "RECENT_PAID_SQL must return exactly the customer's paid orders as (id, created_at, "
        "total_cents), newest first, at most limit rows (none for limit 0 or a customer "
        "without orders)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · the plan: one index, no sequential scan, no sort, nothing filtered (4 points)

# %% nbgrader="tests" grade_id="recent_paid_tests_plan" points=4
"""With RECENT_PAID_INDEX_SQL, the plan of RECENT_PAID_SQL scans an index of orders: no
sequential scan, no sort, no rows removed by a filter."""
from advpy.checks import expect, expect_same
from advpy.lessons.query_optimization.grading import shop_database

shop = shop_database()
plan = shop.plan(RECENT_PAID_INDEX_SQL, RECENT_PAID_SQL, {"customer_id": 7, "limit": 5})
print("nodes:", plan["nodes"])
expect_same(
    [table for table, _ in plan["indexes"]],
    ["orders"],
    "the tables RECENT_PAID_INDEX_SQL creates an index on",
    show=True,
)
expect(
    ["Seq Scan", "orders"] not in plan["nodes"],
    "the plan still reads the whole orders table (Seq Scan)",
)
### BEGIN HIDDEN TESTS
for _customer, _limit in [(7, 5), (1, 4), (250, 3), (599, 1)]:
    _plan = shop.plan(
        RECENT_PAID_INDEX_SQL, RECENT_PAID_SQL, {"customer_id": _customer, "limit": _limit}
    )
    _types = [node_type for node_type, _ in _plan["nodes"]]
    expect("Seq Scan" not in _types, "the plan must not contain a Seq Scan, for any customer")
    expect(
        "Sort" not in _types and "Incremental Sort" not in _types,
        "the plan must not sort: the index must give the rows in created_at order",
    )
    expect_same(
        _plan["removed_by_filter"],
        0,
        "no plan node may remove rows with a filter: the index must hold the status too",
    )
    expect(
        any(t in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan") for t in _types),
        "the plan must read orders through an index",
    )
    expect(
        _plan["buffers"] <= 12,
        "the query must touch at most 12 pages: the index must keep one customer's paid "
        "orders together, in date order",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · A covering index for a revenue report
#
# The finance page runs this query, for one customer and a range of dates:
#
# ```sql
# SELECT count(*), coalesce(sum(total_cents), 0) FROM orders
# WHERE customer_id = %(customer_id)s AND created_at >= %(start)s AND created_at < %(end)s
# ```
#
# Write `REVENUE_INDEX_SQL`, one `CREATE INDEX` statement on `orders` that lets PostgreSQL
# answer it with an **index-only scan**: every column the query needs is in the index, so the
# table's rows are never visited (the tests' tables are freshly vacuumed, so the visibility map
# allows it).
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - one statement, creating exactly one index, on `orders`; the query's result is unchanged;
# - the plan of the query (with PostgreSQL's default settings) has an `Index Only Scan` on
#   `orders` and no other scan of `orders` (no `Seq Scan`, `Index Scan` or `Bitmap Heap Scan`);
# - no node removes rows with a filter, and the whole query touches **at most 10 pages** of
#   8 KiB (`BUFFERS`): the index holds one customer's orders in date order, next to each other.
#   Checked for several customers and date ranges.

# %% nbgrader="locked" grade_id="revenue_query"
# Just run this cell: the query of Part B, as the tests run it.
REVENUE_SQL = """
SELECT count(*), coalesce(sum(total_cents), 0) FROM orders
WHERE customer_id = %(customer_id)s AND created_at >= %(start)s AND created_at < %(end)s
"""

# %% nbgrader="solution" grade_id="revenue_index_answer"
### BEGIN SOLUTION
REVENUE_INDEX_SQL = """
CREATE INDEX orders_revenue ON orders (customer_id, created_at) INCLUDE (total_cents)
"""
### END SOLUTION

# %%
# Scratch cell: not graded.
print(REVENUE_INDEX_SQL)

# %% [markdown]
# ### Check B1 · one index, on orders, same result (2 points)

# %% nbgrader="tests" grade_id="revenue_index_tests_index" points=2
"""REVENUE_INDEX_SQL creates exactly one index, on orders, and the query's rows stay right."""
from advpy.checks import expect_same
from advpy.lessons.query_optimization.grading import shop_database

shop = shop_database()
_params = {"customer_id": 7, "start": "2024-03-01", "end": "2024-09-01"}
plan = shop.plan(REVENUE_INDEX_SQL, REVENUE_SQL, _params)
expect_same(
    [table for table, _ in plan["indexes"]],
    ["orders"],
    "the tables REVENUE_INDEX_SQL creates an index on",
    show=True,
)
expect_same(plan["rows"], 1, "rows of the revenue query", show=True)
### BEGIN HIDDEN TESTS
expect_same(
    shop.rows_with_index(REVENUE_INDEX_SQL, REVENUE_SQL, _params),
    shop.rows(REVENUE_SQL, _params),
    "the revenue query must return the same result with the index as without it",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · an index-only scan that reads one customer's entries (4 points)

# %% nbgrader="tests" grade_id="revenue_index_tests_plan" points=4
"""With REVENUE_INDEX_SQL the revenue query is an Index Only Scan of orders, with no filter,
touching at most 10 pages."""
from advpy.checks import expect
from advpy.lessons.query_optimization.grading import shop_database

shop = shop_database()
plan = shop.plan(
    REVENUE_INDEX_SQL,
    REVENUE_SQL,
    {"customer_id": 7, "start": "2024-03-01", "end": "2024-09-01"},
)
print("nodes:", plan["nodes"])
expect(
    ["Index Only Scan", "orders"] in plan["nodes"],
    "the plan must contain an Index Only Scan of orders",
)
### BEGIN HIDDEN TESTS
for _params in [
    {"customer_id": 7, "start": "2024-03-01", "end": "2024-09-01"},
    {"customer_id": 1, "start": "2024-01-01", "end": "2025-01-01"},
    {"customer_id": 480, "start": "2024-06-15", "end": "2024-06-16"},
    {"customer_id": 123, "start": "2024-02-01", "end": "2024-12-01"},
]:
    _plan = shop.plan(REVENUE_INDEX_SQL, REVENUE_SQL, _params)
    _scans = [t for t, table in _plan["nodes"] if table == "orders"]
    expect(
        _scans == ["Index Only Scan"],
        "orders must be read by one Index Only Scan and nothing else, for every customer",
    )
    expect(
        _plan["removed_by_filter"] == 0,
        "no node may remove rows with a filter: both conditions must be index conditions",
    )
    expect(
        _plan["buffers"] <= 10,
        "the query must touch at most 10 pages: the index must keep each customer's orders "
        "together, in date order",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · A page of orders with their items, in two queries at most
#
# An endpoint lists a customer's orders, a page at a time, each with its items. Write
# `orders_page(url, customer_id, after_id, limit)` with the SQLAlchemy ORM and the classes of
# the setup cell (`shop_session(url)` opens a session). It returns a list with one dict per
# order of the customer whose `id` is **greater than `after_id`** (a keyset: pass the last id
# of the previous page, `0` for the first page), in increasing `id` order, at most `limit`
# orders:
#
# ```python
# orders_page(url, 7, 0, 2)
# # [{'id': 206, 'status': 'paid', 'total_cents': 23111, 'items': [('product-031', 3)]},
# #  {'id': 395, 'status': 'delivered', 'total_cents': 3605,
# #   'items': [('product-128', 4), ('product-145', 1)]}]      (illustrative values)
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - each dict has exactly the keys `id`, `status`, `total_cents` (ints and a str, as stored)
#   and `items`: a list of `(product, qty)` **tuples**, one per item of the order, in
#   increasing item `id` order;
# - the page holds exactly the right orders: the customer's, with `id > after_id`, the lowest
#   ids first, at most `limit` (fewer on the last page, `[]` past it or for `limit` 0);
# - **at most two statements** that read `orders` or `order_items` reach the server per call,
#   whatever `limit` is (counted with `pg_stat_statements`): no query per order. The tests
#   give you a URL whose login may read the tables and nothing more.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Touching `order.items` on an order whose items were not loaded sends one query for that
# order: the N+1 queries of the lesson. A loader option on the statement loads them all at once.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `select(Order).where(...).order_by(Order.id).limit(limit).options(selectinload(Order.items))`
# sends two queries; `joinedload` sends one (with a `LIMIT`, SQLAlchemy puts the limited orders
# in a subquery and joins the items to it; call `.unique()` on the result).
# </details>

# %% nbgrader="solution" grade_id="orders_page_answer"
def orders_page(url, customer_id, after_id, limit):
    """The customer's orders with id > after_id, lowest ids first, at most limit of them, each as
    {'id', 'status', 'total_cents', 'items': [(product, qty), ...]}: two queries at most."""
    ### BEGIN SOLUTION
    statement = (
        select(Order)
        .where(Order.customer_id == customer_id, Order.id > after_id)
        .order_by(Order.id)
        .limit(limit)
        .options(selectinload(Order.items))
    )
    with shop_session(url) as session:
        return [
            {
                "id": order.id,
                "status": order.status,
                "total_cents": order.total_cents,
                "items": [(item.product, item.qty) for item in order.items],
            }
            for order in session.scalars(statement)
        ]
    ### END SOLUTION


# %%
# Scratch cell: start a server of your own to try it (the lesson shows how). Not graded.

# %% [markdown]
# ### Check C1 · the right orders and items (4 points)

# %% nbgrader="tests" grade_id="orders_page_tests_rows" points=4
"""orders_page returns the customer's orders after after_id, lowest ids first, at most limit,
each with its items as (product, qty) tuples."""
from advpy.checks import expect_same
from advpy.lessons.query_optimization.grading import shop_database

shop = shop_database()
expect_same(
    orders_page(shop.learner_url, 7, 0, 3),
    shop.expected_page(7, 0, 3),
    "orders_page(url, 7, 0, 3)",
    show=True,
)
### BEGIN HIDDEN TESTS
_first = shop.expected_page(11, 0, 4)
for _customer, _after, _limit in [
    (11, _first[-1]["id"], 4),
    (11, _first[1]["id"], 1),
    (1, 0, 60),
    (599, 29000, 10),
    (42, 0, 0),
    (42, 30000, 5),
    (9999, 0, 5),
]:
    expect_same(
        orders_page(shop.learner_url, _customer, _after, _limit),
        shop.expected_page(_customer, _after, _limit),
        "orders_page must return exactly the customer's orders with id > after_id, lowest "
        "first, at most limit, each with its items as (product, qty) tuples in item id order",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · at most two queries, however long the page (4 points)

# %% nbgrader="tests" grade_id="orders_page_tests_queries" points=4
"""orders_page sends at most two statements that read orders or order_items, for a page of 10
orders."""
from advpy.checks import expect
from advpy.lessons.query_optimization.grading import shop_database

shop = shop_database()
shop.reset_statements()
page = orders_page(shop.learner_url, 7, 0, 10)
sent = shop.statements_read_shop()
print(f"{len(page)} orders, {sent} statements read orders or order_items")
expect(len(page) == 10, "a page of 10 orders was asked for")
expect(sent <= 2, "orders_page must read a page of orders and their items in at most 2 queries")
### BEGIN HIDDEN TESTS
for _customer, _after, _limit in [(1, 0, 45), (3, 1000, 25), (500, 0, 2)]:
    shop.reset_statements()
    _page = orders_page(shop.learner_url, _customer, _after, _limit)
    expect(
        shop.statements_read_shop() <= 2,
        "orders_page must send at most 2 statements reading orders or order_items, whatever "
        "the page size",
    )
    expect(len(_page) == len(shop.expected_page(_customer, _after, _limit)), "a page was lost")
### END HIDDEN TESTS
