"""Lesson 16 (query optimization) runs top to bottom against a real PostgreSQL server in fast
mode and prints what its prose promises: the scans and joins it names, the composite index
that reads fewest pages, the partial and covering indexes, SELECT * losing the index-only scan,
21 lazy queries against 2 and 1, keyset pages that stay flat while offset pages grow, the worst
query found by pg_stat_statements, and SQLite's plans. Its helpers are tested directly too, on
one server per module. (The full mode loads 400,000 orders and takes minutes: not run here.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from test_notebooks import markdown, number, printed, run_lesson

from advpy.lessons.query_optimization import measure, orm, shop
from advpy.lessons.query_optimization.grading import shop_database
from advpy.lessons.query_optimization.plans import explain, explain_text
from advpy.services import PostgresServer, postgres_server, running_services

matplotlib.use("Agg")

NAME = "16_query_optimization"


@pytest.mark.slow
def test_lesson_reads_plans_and_scans() -> None:
    out = printed(run_lesson(NAME))
    assert "1,000 customers, 20,000 orders, 60,128 items generated and loaded" in out
    assert "Seq Scan on orders" in out and "Rows Removed by Filter: 19953" in out
    assert "cancelled after EXPLAIN ANALYZE of the UPDATE: 47; after the rollback: 3" in out
    assert "one order by its key: Index Scan using orders_pkey on orders" in out
    assert "a few of one customer's orders: Bitmap Heap Scan on orders" in out
    assert "a day of orders, times only: Index Only Scan using orders_created" in out
    assert "every order: Aggregate > Seq Scan on orders" in out
    assert re.search(r"one customer: Nested Loop", out)
    assert re.search(r"a month: Hash Join", out)


@pytest.mark.slow
def test_lesson_measures_indexes() -> None:
    out = printed(run_lesson(NAME))
    pages = {
        label: number(count)
        for label, count in re.findall(r"^ *(no index|\([\w, ]+\)): +([\d,]+) pages", out, re.M)
    }
    assert pages["(customer_id, status, created_at)"] == min(pages.values())
    assert pages["no index"] == max(pages.values())
    assert re.search(r"\(customer_id, status, created_at\):.*Limit > Index Scan using", out)
    assert re.search(r"\(customer_id\):.*Sort > Bitmap Heap Scan", out)
    full = number(re.search(r"full \(status, created_at\): index +([\d,]+) KiB", out)[1])
    partial = number(re.search(r"partial WHERE pending: index +([\d,]+) KiB", out)[1])
    assert partial * 10 < full, "the partial index is a fraction of the full one"
    assert re.search(r"INCLUDE \(total_cents\):.*Index Only Scan", out)
    assert re.search(r"SELECT \*: .*~290 B/row.*Bitmap Heap Scan", out)
    assert re.search(r"SELECT customer_id, created_at, total_cents: .*Index Only Scan", out)


@pytest.mark.slow
def test_lesson_counts_n_plus_one_and_times_pages() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"lazy \(default\): +21 queries, 20 orders", out)
    assert re.search(r"selectinload: +2 queries, 20 orders", out)
    assert re.search(r"joinedload: +1 queries, 20 orders", out)
    assert "same page every way: True" in out
    assert "WHERE order_items.order_id" in out
    read = {
        (way, int(page)): number(rows)
        for page, way, rows in re.findall(
            r"page +(\d+) by (offset|keyset):.* ([\d,]+) rows read", out
        )
    }
    assert read[("offset", 400)] == 20_000 and read[("keyset", 400)] == 50
    assert all(rows == 50 for (way, _), rows in read.items() if way == "keyset")
    assert "calls" in out and "SELECT count(*) FROM order_items WHERE product = $1" in out
    worst = re.search(r"^ +\d+ calls, .*: (.*)$", out, re.M)
    assert worst and "order_items WHERE product" in worst[1], "the worst query comes first"
    assert "no index: SCAN orders | USE TEMP B-TREE FOR ORDER BY" in out
    assert "SEARCH orders USING COVERING INDEX o_cct (customer_id=?)" in out
    assert "server stopped: True" in out


@pytest.mark.slow
def test_lesson_draws_three_plots() -> None:
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 3, "index variants, SELECT lists, pagination"


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in (
        "shared_preload_libraries",
        "INCLUDE",
        "selectinload",
        "joinedload",
        'lazy="raise"',
        "EXPLAIN QUERY PLAN",
        "visibility map",
    ):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps16_query_optimization.ipynb" in text


# --- the helpers, on one server -----------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded() -> Iterator[PostgresServer]:
    with postgres_server(settings={"shared_preload_libraries": "pg_stat_statements"}) as db:
        size = shop.load(db.client, customers=200, orders=3_000)
        assert (size.customers, size.orders) == (200, 3_000)
        yield db
    assert not [s for s in running_services() if s is db]


def test_generate_is_repeatable_and_skewed() -> None:
    first, second = shop.generate(50, 500), shop.generate(50, 500)
    assert first == second
    customers, orders, items = first
    assert len(customers) == 50 and len(orders) == 500 and 500 <= len(items) <= 2500
    assert [o[0] for o in orders] == list(range(1, 501))
    assert [o[3] for o in orders] == sorted(o[3] for o in orders), "ids follow time"
    per_customer = [sum(1 for o in orders if o[1] == c) for c in (1, 50)]
    assert per_customer[0] > per_customer[1]
    totals = {o[0]: o[4] for o in orders}
    for order_id in (1, 250, 500):
        assert totals[order_id] == sum(q * p for _, o, _, q, p in items if o == order_id)


def test_explain_reads_nodes_rows_and_pages(loaded: PostgresServer) -> None:
    sql = loaded.client
    plan = explain(sql, "SELECT * FROM orders WHERE id = %s", [7])
    assert plan.node_types() == ["Index Scan"] and plan.actual_rows == 1
    assert plan.nodes()[0].index == "orders_pkey" and 0 < plan.buffers < 10
    estimate = explain(sql, "SELECT * FROM orders", analyze=False)
    assert estimate.actual_rows is None and estimate.execution_ms is None
    assert estimate.estimated_rows == 3_000 and estimate.cost > 0
    scan = explain(sql, "SELECT id FROM orders WHERE total_cents < %s", [1000])
    assert scan.uses("Seq Scan") and scan.total("Rows Removed by Filter") > 0
    assert "Seq Scan on orders" in explain_text(sql, "SELECT * FROM orders")
    assert "actual rows" in explain_text(sql, "SELECT 1", analyze=True)


def test_try_indexes_rolls_back_and_plots(loaded: PostgresServer) -> None:
    sql = loaded.client
    query = "SELECT id FROM orders WHERE customer_id = %s ORDER BY created_at DESC LIMIT 3"
    trials = measure.try_indexes(
        sql,
        query,
        [1],
        {"none": [], "composite": ["CREATE INDEX ON orders (customer_id, created_at)"]},
        repeats=1,
    )
    assert [t.label for t in trials] == ["none", "composite"]
    assert trials[0].index_bytes == 0 and trials[1].index_bytes > 0
    assert "Seq Scan" in trials[0].plan and "Index Scan" in trials[1].plan
    assert trials[1].buffers < trials[0].buffers and trials[1].rows == 3
    left = sql.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'").fetchone()
    assert left == (1,), "only the primary key stays"
    fig, ax = measure.plot_trials(trials, "t")
    assert len(ax.patches) == 2 and ax.get_xscale() == "log"
    plt.close(fig)


def test_pagination_agrees_and_offset_reads_what_it_skips(loaded: PostgresServer) -> None:
    costs = measure.measure_pagination(loaded.client, 20, [0, 50], repeats=1)
    read = {(c.way, c.page): c.rows_read for c in costs}
    assert read == {("offset", 0): 20, ("keyset", 0): 20, ("offset", 50): 1020, ("keyset", 50): 20}
    fig, ax = measure.plot_pagination(costs)
    assert len(ax.get_lines()) == 2
    plt.close(fig)


def test_loaders_count_their_queries(loaded: PostgresServer) -> None:
    engine = create_engine(loaded.url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        counts, pages = {}, {}
        for loader in orm.LOADERS:
            with Session(engine) as session, orm.count_queries(engine) as log:
                pages[loader] = orm.order_page(session, 1, 5, loader)
            counts[loader] = log.count
        assert counts == {"lazy (default)": 6, "selectinload": 2, "joinedload": 1}
        assert pages["lazy (default)"] == pages["selectinload"] == pages["joinedload"]
        assert len(pages["joinedload"]) == 5 and all(p["items"] for p in pages["joinedload"])
    finally:
        engine.dispose()


def test_sqlite_copy_has_the_same_rows() -> None:
    lite = shop.sqlite_copy(20, 100)
    try:
        assert lite.execute("SELECT count(*) FROM orders").fetchone() == (100,)
        plan = lite.execute("EXPLAIN QUERY PLAN SELECT * FROM orders WHERE id = 3").fetchall()
        assert "SEARCH orders USING INTEGER PRIMARY KEY" in plan[0][3]
    finally:
        lite.close()


def test_grading_database_judges_rows_plans_and_statements() -> None:
    shop_db = shop_database()
    query = (
        "SELECT id, created_at, total_cents FROM orders WHERE customer_id = %(customer_id)s "
        "AND status = 'paid' ORDER BY created_at DESC LIMIT %(limit)s"
    )
    assert shop_db.rows(query, {"customer_id": 7, "limit": 5}) == shop_db.expected_recent_paid(7, 5)
    plan = shop_db.plan(
        "CREATE INDEX ON orders (customer_id, status, created_at)",
        query,
        {"customer_id": 7, "limit": 5},
    )
    assert plan["indexes"][0][0] == "orders" and plan["removed_by_filter"] == 0
    assert ["Seq Scan", "orders"] not in plan["nodes"] and plan["rows"] == 5
    with pytest.raises(Exception, match="multiple commands"):
        shop_db.plan(
            "CREATE INDEX ON orders (id); SET enable_seqscan = off", query, {"customer_id": 7}
        )
    bare = shop_db.plan("SELECT 1", query, {"customer_id": 7, "limit": 5})
    assert bare["indexes"] == [] and ["Seq Scan", "orders"] in bare["nodes"]
    with pytest.raises(Exception, match="read-only"):
        shop_db.rows("DELETE FROM orders RETURNING id", {})
    with pytest.raises(TypeError, match="str of SQL"):
        shop_db.rows(b"SELECT 1", {})  # type: ignore[arg-type]
    page = shop_db.expected_page(7, 0, 3)
    assert [sorted(p) for p in page] == [["id", "items", "status", "total_cents"]] * 3
    assert all(type(i) is tuple for p in page for i in p["items"])
    shop_db.reset_statements()
    assert shop_db.statements_read_shop() == 0
    with __import__("psycopg").connect(shop_db.learner_url) as learner:
        learner.execute("SELECT count(*) FROM orders")
        learner.execute("SELECT 1")
        with pytest.raises(Exception, match="permission denied"):
            learner.execute("SELECT pg_stat_statements_reset()")
    assert shop_db.statements_read_shop() == 1
