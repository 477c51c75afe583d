# %% [markdown]
# # 16 · Query optimization: reading plans, choosing indexes, counting queries
#
# A slow endpoint is most often a slow query, and a slow query is most often one that reads far
# more than it returns: a whole table for ten rows, every column for two, one query per row for
# a list. PostgreSQL tells you exactly what it does with `EXPLAIN`, and this lesson reads its
# plans on a real PostgreSQL server that the notebook starts on this machine, with a shop of
# customers, orders and order items that the notebook generates. Every "faster" below is
# measured, in pages touched (which depend only on the plan) and in milliseconds (which also
# depend on the machine).
#
# **Learning objectives.** By the end you can:
# - **read** a plan from `EXPLAIN` and `EXPLAIN (ANALYZE, BUFFERS)`: sequential, index,
#   index-only and bitmap scans, nested loop and hash joins, estimates against actual rows;
# - **choose** an index for a query: a B-tree's column order, a partial index, a covering
#   index with `INCLUDE`, and **show** with the plan that it is used;
# - **measure** what `SELECT *` costs, and **find and fix** the ORM's N+1 queries with
#   SQLAlchemy's `selectinload` and `joinedload`, counting the statements sent;
# - **page** through a large table with a keyset instead of `OFFSET`, and **find** the worst
#   query of a workload with `pg_stat_statements`; read SQLite's `EXPLAIN QUERY PLAN`.
#
# **Prerequisites:** SQL `SELECT`, `JOIN`, `ORDER BY`, `LIMIT`; SQLAlchemy's ORM at the level
# of its tutorial; `with` blocks ([10 · Context managers](10_context_managers.ipynb)).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import time

import psycopg
import sqlalchemy
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.query_optimization import measure, orm, shop
from advpy.lessons.query_optimization.plans import explain, explain_text
from advpy.lessons.timing import load_note
from advpy.services import postgres_server

print(machine_summary())
print(load_note())
print(f"psycopg {psycopg.__version__}, SQLAlchemy {sqlalchemy.__version__}")

# %% [markdown]
# `postgres_server` makes a fresh cluster in a temporary folder and starts PostgreSQL on
# 127.0.0.1. The setting `shared_preload_libraries` loads `pg_stat_statements` at start-up
# (section 8 needs it; it cannot be loaded later without a restart):

# %%
db = postgres_server(settings={"shared_preload_libraries": "pg_stat_statements"})
sql = db.client  # autocommit: every statement is its own transaction
print(sql.execute("SELECT version()").fetchone()[0].split(" on ")[0], "on port", db.port)

# %% [markdown]
# ## 1. A realistic data set, generated and loaded
#
# Rows are generated in Python from a fixed seed and loaded with `COPY`, PostgreSQL's bulk
# path (one statement streams every row; an `INSERT` per row would pay a round trip each).
# Orders are made in time order, a few regular customers order much more than the rest, 1% of
# orders are pending, and each order carries a note of a few hundred bytes, as real rows carry
# addresses and comments. `VACUUM ANALYZE` at the end gives the planner fresh statistics.

# %%
size = shop.load(sql, customers=pick(20_000, 1_000), orders=pick(400_000, 20_000))
print(f"{size.customers:,} customers, {size.orders:,} orders, {size.items:,} items "
      f"generated and loaded in {size.seconds:.1f} s")
for table, nbytes in shop.table_sizes(sql).items():
    print(f"{table:>12}: {nbytes / 2**20:6.1f} MiB")

# %% [markdown]
# **What to notice.** Only the primary keys are indexed. PostgreSQL does **not** index a
# foreign key column such as `orders.customer_id` by itself (the constraint is checked against
# the referenced table's key); every index below is one we decide to make.

# %% [markdown]
# ## 2. `EXPLAIN` and `EXPLAIN ANALYZE`
#
# `EXPLAIN` shows the plan the optimizer chose and what it **expects**: a cost (in arbitrary
# units, a sequential page read is 1.0), the rows and the row width. It does not run the
# query. `EXPLAIN ANALYZE` runs it and adds what **happened**; `BUFFERS` adds the 8 KiB pages
# each node touched. A customer's ten most recent orders:

# %%
RECENT = """SELECT id, created_at, total_cents FROM orders
WHERE customer_id = %s ORDER BY created_at DESC LIMIT 10"""
print(explain_text(sql, RECENT, [42]))

# %%
print(explain_text(sql, RECENT, [42], analyze=True))

# %% [markdown]
# **What to notice.** Read a plan from the innermost node out: a `Seq Scan` reads every page
# of `orders` and throws away all rows but this customer's (`Rows Removed by Filter`), a
# `Sort` keeps the ten newest (`top-N heapsort`), `Limit` stops. Estimated rows against
# actual rows is the first thing to compare: a large gap means stale or missing statistics,
# and plans built on wrong numbers. `EXPLAIN ANALYZE` really executes the statement, so an
# `UPDATE` under it changes rows; wrap it in a transaction you roll back:

# %%
with sql.transaction(force_rollback=True):
    plan = explain(sql, "UPDATE orders SET status = 'cancelled' WHERE customer_id = %s", [42])
    inside = sql.execute("SELECT count(*) FROM orders WHERE customer_id = 42 "
                         "AND status = 'cancelled'").fetchone()[0]
after = sql.execute("SELECT count(*) FROM orders WHERE customer_id = 42 "
                    "AND status = 'cancelled'").fetchone()[0]
print(f"orders of customer 42 cancelled after EXPLAIN ANALYZE of the UPDATE: {inside}; "
      f"after the rollback: {after}")

# %% [markdown]
# ### Try it
# Run `explain(sql, RECENT, [1])` for customer 1, the shop's most frequent buyer, and compare
# the scan node's estimated and actual rows (`plan.nodes()[-1].detail["Plan Rows"]` and
# `["Actual Rows"]`) with those of customers 42 and 900. How does the planner know that
# customer 1 is different?
# (Answer:
# [tryit/16 § 1](../solutions/tryit/16_query_optimization.md#1-customer-1-is-known).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. The scans and the joins, one query each
#
# The same table is read in four ways, depending on how many rows a query wants and which
# indexes exist. `plan.nodes()` lists a plan's nodes top-down:

# %%
sql.execute("CREATE INDEX orders_created ON orders (created_at)")
sql.execute("CREATE INDEX orders_customer ON orders (customer_id)")
scans = {
    "one order by its key": ("SELECT * FROM orders WHERE id = %s", [1234]),
    "a few of one customer's orders": ("SELECT * FROM orders WHERE customer_id = %s", [42]),
    "a day of orders, times only": (
        "SELECT created_at FROM orders WHERE created_at >= '2025-03-01' "
        "AND created_at < '2025-03-02'", None),
    "every order": ("SELECT count(*) FROM orders WHERE total_cents > 0", None),
}
for label, (query, params) in scans.items():
    nodes = explain(sql, query, params).nodes()
    print(f"{label:>32}: {' > '.join(map(str, nodes))}")

# %% [markdown]
# **What to notice.**
# - **Index Scan**: walk the B-tree to the matching entries, then fetch each row from the
#   table (the *heap*): best for a few rows.
# - **Bitmap Index Scan + Bitmap Heap Scan**: collect the matching rows' page numbers first,
#   then read those pages in physical order, each once: for "a few hundred rows" scattered
#   over the table.
# - **Index Only Scan**: every column the query needs is in the index, and the visibility map
#   says the pages are all visible, so the heap is never read.
# - **Seq Scan**: when most rows qualify, reading the whole table in order is cheapest. On a
#   large table (full mode) PostgreSQL may split it across parallel workers: `Gather` above
#   a `Parallel Seq Scan`.
#
# Joins have their own nodes. For one customer's orders and their items, PostgreSQL loops
# over the few orders and looks up each one's items (**Nested Loop**); for a month of
# orders, it builds a hash table of one side and probes it with the other (**Hash Join**):

# %%
sql.execute("CREATE INDEX items_order ON order_items (order_id)")
JOIN = """SELECT o.id, i.product FROM orders o JOIN order_items i ON i.order_id = o.id
WHERE {where}"""
for label, where in [("one customer", "o.customer_id = 42"),
                     ("a month", "o.created_at >= '2025-03-01' AND o.created_at < '2025-04-01'")]:
    plan = explain(sql, JOIN.format(where=where))
    join = next(t for t in plan.node_types() if t in ("Nested Loop", "Hash Join", "Merge Join"))
    print(f"{label:>12}: {join:<11} {plan.actual_rows:>7,} rows, {plan.buffers:>6,} pages")

# %% [markdown]
# ## 4. Indexes: which one, measured
#
# Back to a customer's ten newest orders, now with the status too: a page of **delivered**
# orders of customer 1, the shop's most frequent buyer. Each variant below is created inside
# a transaction that is rolled back, so each starts from the bare table, and the query runs
# under `EXPLAIN (ANALYZE, BUFFERS)`:

# %%
sql.execute("DROP INDEX orders_customer, orders_created")
DELIVERED = """SELECT id, created_at, total_cents FROM orders
WHERE customer_id = %s AND status = 'delivered' ORDER BY created_at DESC LIMIT 10"""
variants = {
    "no index": [],
    "(created_at)": ["CREATE INDEX ON orders (created_at)"],
    "(customer_id)": ["CREATE INDEX ON orders (customer_id)"],
    "(customer_id, created_at)": ["CREATE INDEX ON orders (customer_id, created_at)"],
    "(customer_id, status, created_at)": [
        "CREATE INDEX ON orders (customer_id, status, created_at)"],
    "(created_at, customer_id, status)": [
        "CREATE INDEX ON orders (created_at, customer_id, status)"],
}
trials = measure.try_indexes(sql, DELIVERED, [1], variants)
for t in trials:
    print(f"{t.label:>34}: {t.buffers:>6,} pages {t.execution_ms:8.3f} ms  {t.plan}")

# %%
fig, ax = measure.plot_trials(trials, "A customer's 10 newest delivered orders, by index")

# %% [markdown]
# **What to notice.** A B-tree is sorted by its first column, then by the second within equal
# first values, and so on, like a phone book by surname then first name. `(customer_id,
# status, created_at)` puts exactly the rows wanted next to each other, already in date
# order: the scan reads ten entries and stops, with no filter and no sort. `(customer_id)`
# finds the customer's orders but must filter out the other statuses and sort the rest.
# Columns compared with `=` go first, the column sorted or ranged over last. With `created_at`
# first, the scan walks all orders newest first and keeps customer 1's delivered ones: cheap
# here only because customer 1 and delivered orders are common; for a rare customer or status
# the same index reads most of the table.
#
# ### A partial index and a covering index
#
# Pending orders are 1% of the table, and the warehouse asks only for those. A **partial**
# index holds only the rows its `WHERE` names. A **covering** index carries extra columns
# with `INCLUDE`, so a query that needs only them never reads the table (an index-only scan):

# %%
PENDING = "SELECT id, created_at FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 50"
REVENUE = """SELECT count(*), sum(total_cents) FROM orders
WHERE customer_id = %s AND created_at >= '2024-06-01' AND created_at < '2025-06-01'"""
checks = [
    (PENDING, None, {
        "full (status, created_at)": ["CREATE INDEX ON orders (status, created_at)"],
        "partial WHERE pending": [
            "CREATE INDEX ON orders (created_at) WHERE status = 'pending'"]}),
    (REVENUE, [5], {
        "(customer_id, created_at)": ["CREATE INDEX ON orders (customer_id, created_at)"],
        "... INCLUDE (total_cents)": [
            "CREATE INDEX ON orders (customer_id, created_at) INCLUDE (total_cents)"]}),
]
covering = []
for query, params, kinds in checks:
    for t in measure.try_indexes(sql, query, params, kinds):
        covering.append(t)
        print(f"{t.label:>26}: index {t.index_bytes / 1024:8,.0f} KiB, {t.buffers:>4} pages, "
              f"{t.execution_ms:.3f} ms  {t.plan}")

# %% [markdown]
# **What to notice.** The partial index answers the warehouse's query just as well and is a
# fraction of the size of the full one (it is also cheaper to keep up to date: an order that
# is not pending never touches it); a query must repeat the index's `WHERE` condition for the
# planner to use it. The covering index turns an `Index Scan` or bitmap scan, which visits the
# table for `total_cents`, into an `Index Only Scan`. Indexes are not free: each one is
# written on every `INSERT` and on updates of its columns, and takes space and cache.
#
# ### Try it
# Add `status` to the revenue query (`AND status <> 'cancelled'`). Does the covering index
# still give an index-only scan? What would you change?
# (Answer:
# [tryit/16 § 2](../solutions/tryit/16_query_optimization.md#2-a-missing-column).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. What `SELECT *` costs
#
# `SELECT *` asks for every column, the long `note` included, when the page needs three. It
# costs twice: more bytes to read, send and turn into Python objects, and no index-only scan,
# since no index holds every column. The same rows of the 50 most frequent customers, two
# `SELECT` lists, with the covering index of section 4 in place:

# %%
sql.execute("CREATE INDEX orders_customer_cover ON orders (customer_id) "
            "INCLUDE (created_at, total_cents)")
sql.execute("VACUUM ANALYZE orders")
WHERE = "FROM orders WHERE customer_id <= 50"
fetches = measure.measure_fetches(sql, {
    "SELECT *": f"SELECT * {WHERE}",
    "SELECT customer_id, created_at, total_cents": (
        f"SELECT customer_id, created_at, total_cents {WHERE}"),
}, None, repeats=pick(5, 3))
for f in fetches:
    print(f"{f.label:>43}: {f.rows:,} rows, ~{f.bytes_per_row} B/row, {f.fetch_ms:7.2f} ms, "
          f"{f.buffers:,} pages  {f.plan}")
print(f"SELECT * took {fetches[0].fetch_ms / fetches[1].fetch_ms:.1f}x as long to fetch")

# %%
fig, ax = measure.plot_fetches(fetches)

# %% [markdown]
# **What to notice.** The narrow list is answered from the index alone and moves a fraction
# of the bytes; `SELECT *` reads the table's pages too. The time printed above is the smaller
# part of the story on loopback, where bytes are cheap and turning rows into Python objects
# costs about the same for both lists (the ratio changes from run to run); across a network,
# or with wider rows such as JSON documents, the bytes dominate. (The narrow query here names
# `customer_id` rather than `id`, which is not in the index; ask for `id` and the index-only
# scan is gone again: the list of columns decides.) There are more reasons to name columns:
# a column added later does not silently flow into every query, and code that unpacks rows by
# position does not break when the table changes.
#
# ## 6. The ORM's N+1 queries
#
# An endpoint lists a customer's 20 newest orders with their items. With SQLAlchemy's
# defaults, `order.items` is loaded **lazily**: the first time each order's items are touched,
# one more query is sent. One query for the orders, plus one per order: N+1.
# `orm.count_queries` records every statement the engine sends (SQLAlchemy's
# `before_cursor_execute` event):

# %%
engine = create_engine(db.url.replace("postgresql://", "postgresql+psycopg://", 1))
page_size = 20
results = {}
for loader in orm.LOADERS:
    best = float("inf")
    for _ in range(pick(5, 3)):
        with Session(engine) as session, orm.count_queries(engine) as log:
            started = time.perf_counter()
            page = orm.order_page(session, 1, page_size, loader)
            best = min(best, time.perf_counter() - started)
    results[loader] = page
    print(f"{loader:>15}: {log.count:>3} queries, {len(page)} orders, {best * 1000:6.2f} ms")
print("same page every way:", results["lazy (default)"] == results["selectinload"]
      == results["joinedload"])

# %%
with Session(engine) as session, orm.count_queries(engine) as log:
    orm.order_page(session, 1, 3, "selectinload")
for statement in log.statements:
    print(" ".join(statement.split())[:150], "...\n")

# %% [markdown]
# **What to notice.** The lazy page sends 21 queries for 20 orders and each round trip costs
# time even on loopback (across a network, each costs a millisecond or more). `selectinload`
# sends two: the orders, then all their items with `WHERE order_id IN (...)`. `joinedload`
# sends one `LEFT OUTER JOIN`; with a `LIMIT`, SQLAlchemy limits the orders in a subquery
# first, so the limit counts orders, not joined rows. `selectinload` is the usual choice for
# one-to-many collections (no duplicated order columns per item); `joinedload` suits
# many-to-one references. To make N+1 impossible rather than just fixed, mark the
# relationship `lazy="raise"`: touching unloaded items then raises instead of querying.
#
# ### Try it
# Count the queries for `orm.order_page(session, 1, 200, "selectinload")`. Does the count
# grow with the page? What does the second statement look like?
# (Answer:
# [tryit/16 § 3](../solutions/tryit/16_query_optimization.md#3-a-large-page).)

# %%
# Your experiment here.

# %% [markdown]
# ## 7. Offset or keyset pagination
#
# `LIMIT 50 OFFSET 50000` looks like it reads 50 rows; it reads 50,050 and throws away the
# first 50,000, so each page is slower than the one before. A **keyset** (or *seek*) page
# remembers the last key of the previous page and asks for `WHERE id > last_id ORDER BY id
# LIMIT 50`, which the primary key's index answers by jumping straight there. The two return
# the same rows (checked for every page measured):

# %%
last_page = size.orders // 50 - 1
pages = [p for p in (0, 10, 100, 1000, 5000) if p < last_page] + [last_page]
costs = measure.measure_pagination(sql, 50, pages)
for c in costs:
    print(f"page {c.page + 1:>6} by {c.way:<6}: {c.execution_ms:8.3f} ms, {c.buffers:>5} pages, "
          f"{c.rows_read:>7,} rows read")

# %%
fig, ax = measure.plot_pagination(costs)

# %% [markdown]
# **What to notice.** Offset pagination grows with the page number (every skipped row is read),
# keyset pagination stays flat. Keysets have a price: no jumping to "page 700", and the sort
# key must be unique (add `id` as a tie-breaker: `ORDER BY created_at, id` with
# `WHERE (created_at, id) > (%s, %s)`). Rows inserted or deleted while a user pages shift an
# offset's pages (a row shown twice or never); a keyset is not fooled.
#
# ## 8. Finding the worst query: `pg_stat_statements`
#
# On a live server nobody runs `EXPLAIN` by chance on the right query. `pg_stat_statements`
# records every statement, normalized (constants become `$1`), with calls, total and mean
# time, rows and pages. Reset it, run a small mixed workload, and sort by total time:

# %%
sql.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
sql.execute("SELECT pg_stat_statements_reset()")
for customer in range(1, pick(201, 41)):
    sql.execute("SELECT id, total_cents FROM orders WHERE customer_id = %s LIMIT 5", [customer])
for product in range(10):
    sql.execute("SELECT count(*) FROM order_items WHERE product = %s", [f"product-{product:03d}"])
for page in range(0, pick(200, 40), 20):
    sql.execute(measure.OFFSET_SQL, (50, page * 50))
worst = sql.execute("""
    SELECT calls, round(total_exec_time::numeric, 1), shared_blks_hit + shared_blks_read, query
    FROM pg_stat_statements WHERE query NOT LIKE '%%pg_stat_statements%%'
    ORDER BY total_exec_time DESC LIMIT 3""").fetchall()
for calls, total_ms, blocks, query in worst:
    text = " ".join(query.split())
    print(f"{calls:>4} calls, {total_ms:>8} ms in all, {blocks:>8,} pages: {text}")

# %% [markdown]
# **What to notice.** The worst query is the one with the most **total** time, not the slowest
# single call: here the item count by product, which reads the whole `order_items` table on
# every call because nothing indexes `product`. That is the query to `EXPLAIN` next. On a
# server, `shared_preload_libraries` goes into `postgresql.conf` and needs a restart; then
# `CREATE EXTENSION pg_stat_statements` in the database you query it from.
#
# ## 9. The embedded counterpart: SQLite's `EXPLAIN QUERY PLAN`
#
# SQLite has a planner too, with B-tree indexes, covering indexes and partial indexes, and
# `EXPLAIN QUERY PLAN` prints its choice in one line per step (`SCAN` is a full scan,
# `SEARCH` uses an index):

# %%
lite = shop.sqlite_copy(customers=1_000, orders=pick(20_000, 5_000))
LITE = ("SELECT created_at, total_cents FROM orders WHERE customer_id = 42 "
        "ORDER BY created_at DESC LIMIT 10")
for step, ddl in [("no index", None),
                  ("(customer_id)", "CREATE INDEX o_c ON orders (customer_id)"),
                  ("(customer_id, created_at, total_cents)",
                   "CREATE INDEX o_cct ON orders (customer_id, created_at, total_cents)")]:
    if ddl:
        lite.execute(ddl)
    plan = [row[3] for row in lite.execute("EXPLAIN QUERY PLAN " + LITE)]
    print(f"{step:>40}: {' | '.join(plan)}")
lite.close()

# %% [markdown]
# **What to notice.** The same lessons hold: the single-column index gives `SEARCH ... USING
# INDEX` and a `USE TEMP B-TREE FOR ORDER BY` (a sort); the composite index in the right
# order gives a `COVERING INDEX` search with no sort. SQLite has no `INCLUDE`: add the columns
# as trailing key columns instead. It shows no costs or row counts by default; `ANALYZE`
# gives its planner statistics.

# %%
engine.dispose()
db.stop()
print("server stopped:", not db.running)

# %% [markdown]
# ## Pitfalls and under the hood
#
# **`EXPLAIN ANALYZE` runs the statement.** A `DELETE` under it deletes. Use a transaction
# and roll back, as in section 2.
#
# **Small tables lie.** On a table of a few pages a sequential scan is the cheapest plan, and
# the planner rightly ignores your index. Test plans on data of realistic size and shape, as
# this lesson generates.
#
# **A function or a cast on the column hides the index.** `WHERE lower(email) = ...` or
# `WHERE created_at::date = ...` cannot use a plain index on the column: write a range
# (`created_at >= day AND created_at < day + 1`) or create an expression index.
#
# **Statistics.** The planner chooses with the statistics `ANALYZE` gathered. After a bulk
# load, run `ANALYZE` (autovacuum does it eventually); index-only scans also need `VACUUM` to
# set the visibility map, or they fetch heap pages anyway (`Heap Fetches` in the plan).
#
# **Timing is noisy, pages are not.** Milliseconds depend on the cache and the machine's load;
# pages touched and the plan's shape depend only on the data and the query. Judge a plan by
# its nodes and pages first.
#
# **The notes' advice, sharpened.** "Add proper indexes" is half the story: an index in the
# wrong column order, or on a low-selectivity column alone, is used badly or not at all, and
# every index slows writes. "Avoid `SELECT *`" is right, and the reason is measurable: bytes
# moved and lost index-only scans.

# %% [markdown]
# ## Summary
#
# - `EXPLAIN` shows the chosen plan and its estimates; `EXPLAIN (ANALYZE, BUFFERS)` runs the
#   query and shows actual rows, time and pages per node. Compare estimated and actual rows.
# - Seq scan for most rows, index scan for a few, bitmap scan for many scattered ones,
#   index-only scan when the index covers the query; nested loop for a few rows to join, hash
#   join for many.
# - A composite B-tree serves a query when its equality columns come first and the sort or
#   range column last; a partial index covers only the rows a query asks for; `INCLUDE` makes
#   an index covering.
# - `SELECT *` moves more bytes and forbids index-only scans; name the columns.
# - Lazy relationships send one query per row (N+1): load collections with `selectinload`
#   (two queries) or `joinedload` (one), and count the statements to be sure.
# - Keyset pagination costs the same on every page; `OFFSET` reads everything it skips.
# - `pg_stat_statements` finds the query with the most total time; SQLite's
#   `EXPLAIN QUERY PLAN` shows `SCAN` against `SEARCH ... USING (COVERING) INDEX`.
#
# **Graded exercises:**
# [exercises/ps16_query_optimization.ipynb](exercises/ps16_query_optimization.ipynb):
# a query and the one index that serves it without a scan, sort or filter; a covering index
# for an index-only scan; a page of orders with their items in at most two queries.
