"""Lesson 13 (database migrations) runs top to bottom in fast mode against real SQLite,
PostgreSQL, uvicorn and nginx, and prints what its prose promises: Alembic revisions up and
down, SQLite refusing ALTER COLUMN and batch mode doing it, autogenerate seeing a rename as a
drop and an add, two heads refused and merged, a naive rename breaking v1 while expand/contract
has zero errors in every phase, the locks and rewrites of each ALTER TABLE, the lock queue with
and without lock_timeout, and the two index builds. Its helpers are tested directly too."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import matplotlib
import matplotlib.pyplot as plt
import pytest
from test_notebooks import markdown, number, printed, run_lesson

from advpy.lessons.migrations import locks, service
from advpy.lessons.migrations.load import Outcome, count_errors, plot_errors
from advpy.lessons.migrations.project import AlembicProject
from advpy.services import PostgresServer, postgres_server, serve_app

matplotlib.use("Agg")

NAME = "13_migrations"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_runs_alembic_up_down_and_in_batch_mode() -> None:
    out = printed(run_lesson(NAME))
    assert "current: 0002 (head)" in out
    assert (
        "history: ['0001 -> 0002 (head), users get an email', '<base> -> 0001, create users']"
        in out
    )
    assert "columns: ['id', 'name', 'email']" in out
    assert "after downgrade to 0001: 0001 [(1, 'Ada')]" in out
    assert "ALTER TABLE users ADD COLUMN email TEXT;" in out
    assert "SQL: ALTER TABLE users ALTER COLUMN email SET NOT NULL" in out
    assert "still at: 0002" in out
    assert "current: 0003 (head)\nemail NOT NULL: True\nrows kept: [(1, 'Ada', 'unknown')]" in out


@pytest.mark.slow
def test_lesson_shows_autogenerate_and_a_merge() -> None:
    out = printed(run_lesson(NAME))
    assert "add_column: users.display_name\nremove_column: users.name" in out
    assert "heads: ['0004a', '0004b']" in out
    assert "CommandError: Multiple head revisions are present" in out
    assert "-> [\"down_revision = ('0004a', '0004b')\"]" in out
    assert "current: 0005 (head) (mergepoint) | heads: ['0005']" in out


@pytest.mark.slow
def test_lesson_naive_rename_breaks_v1_and_expand_contract_has_no_errors() -> None:
    out = printed(run_lesson(NAME))
    renamed = re.search(r"naive: RENAME COLUMN, v1 serving: +(\d+) errors in +(\d+) requests", out)
    assert renamed, "the naive rename's phase is counted"
    errors, requests = int(renamed.group(1)), int(renamed.group(2))
    assert errors >= 0.8 * requests > 0, "nearly every request fails once the column is renamed"
    assert re.search(r"naive: v1 serving: +0 errors", out)
    assert "does not exist" in out.split("first error:")[1].splitlines()[0]
    phases = re.findall(r"^ *([^:\n]+(?::[^:\n]+)?): +(\d+) errors in +(\d+) requests$", out, re.M)
    expand_contract = [p for p in phases if not p[0].startswith("naive")]
    assert len(expand_contract) == 10, expand_contract
    failed = [line for line in out.splitlines() if "first error" in line or " errors in " in line]
    assert all(errors == "0" and int(requests) > 0 for _, errors, requests in expand_contract), (
        "\n".join(failed)
    )
    assert "total errors: 0" in out
    assert re.search(r"backfill batches: \d+", out)
    assert "gateway and apps stopped: True" in out


@pytest.mark.slow
def test_lesson_measures_locks_rewrites_and_index_builds() -> None:
    out = printed(run_lesson(NAME))
    lines = {
        key: line
        for line in out.splitlines()
        for key in (
            "ADD COLUMN c text",
            "DEFAULT 0 ",
            "random()",
            "TYPE bigint",
            "SET NOT NULL",
            "NOT VALID",
            "CREATE INDEX items_n",
        )
        if key in line
    }
    assert (
        "no rewrite" in lines["ADD COLUMN c text"]
        and "AccessExclusiveLock" in lines["ADD COLUMN c text"]
    )
    assert "no rewrite" in lines["DEFAULT 0 "]
    assert "REWRITES" in lines["random()"] and "REWRITES" in lines["TYPE bigint"]
    assert "no rewrite" in lines["SET NOT NULL"]
    assert "ShareLock" in lines["CREATE INDEX items_n"]
    assert "AccessExclusiveLock" not in lines["CREATE INDEX items_n"]
    assert re.search(r"lock_timeout= +0: ALTER took its lock after \d+ ms", out)
    gave_up = re.search(
        r"lock_timeout=100ms: ALTER gave up: canceling statement due to lock timeout "
        r"after (\d+) ms",
        out,
    )
    assert gave_up and number(gave_up.group(1)) >= 100
    assert re.search(
        r"CREATE INDEX +: build +\d+ ms, slowest insert during it +[\d.]+ ms \(\d+ inserts\)", out
    )
    assert re.search(r"CREATE INDEX CONCURRENTLY : build +\d+ ms", out)
    assert "PostgreSQL stopped: True | temporary folder removed: True" in out
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 2, "errors per phase, and the writer's inserts during the index builds"


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in (
        "batch mode",
        "expand/contract",
        "lock_timeout",
        "CONCURRENTLY",
        "ACCESS EXCLUSIVE",
        "NOT VALID",
        "blue-green",
        "rolling",
    ):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps13_migrations.ipynb" in text
    assert "tryit/13_migrations.md#1-downgrading-a-merge" in text
    assert "tryit/13_migrations.md#2-backfilling-too-early" in text


# --- the helpers ---------------------------------------------------------------------------------


def test_alembic_project_runs_revisions_both_ways_and_merges(tmp_path: Path) -> None:
    project = AlembicProject(tmp_path / "migrations", f"sqlite:///{tmp_path / 'a.db'}")
    project.write_revision(
        "1",
        None,
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("t")',
    )
    project.write_revision(
        "2a", "1", 'op.add_column("t", sa.Column("a", sa.Text))', 'op.drop_column("t", "a")'
    )
    project.write_revision(
        "2b", "1", 'op.add_column("t", sa.Column("b", sa.Text))', 'op.drop_column("t", "b")'
    )
    assert project.heads() == ["2a", "2b"]
    assert "ADD COLUMN a TEXT" in project.upgrade_sql("1:2a")
    project.merge("3", "join")
    project.upgrade("head")
    assert project.current() == "3 (head) (mergepoint)"
    with sqlite3.connect(tmp_path / "a.db") as db:
        assert sorted(row[1] for row in db.execute("PRAGMA table_info(t)")) == ["a", "b", "id"]
    project.downgrade("base")
    assert project.current() == ""


def test_count_errors_groups_outcomes_by_phase_in_order() -> None:
    outcomes = [
        Outcome(0.0, "one", "read", True, "ok"),
        Outcome(0.1, "one", "create", False, "boom"),
        Outcome(0.2, "two", "read", True, "ok"),
        Outcome(0.5, "two", "read", True, "ok"),
    ]
    counts = count_errors(outcomes)
    assert [(c.phase, c.requests, c.errors, c.first_error) for c in counts] == [
        ("one", 2, 1, "boom"),
        ("two", 2, 0, ""),
    ]
    assert counts[1].seconds == pytest.approx(0.3)
    fig, ax = plot_errors(counts, "t")
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == ["one", "two"]
    plt.close(fig)


@pytest.fixture(scope="module")
def db() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server
    assert not server.running


def test_each_app_version_reads_and_writes_its_columns(db: PostgresServer) -> None:
    service.create_schema(db.url, 3)
    db.client.execute(
        "ALTER TABLE users ADD COLUMN display_name text, ALTER COLUMN name DROP NOT NULL"
    )
    for version in service.READS:
        with serve_app(service.make_app(version, db.url)) as api:
            made = api.client.post("/users", json={"name": f"made by {version}"}).json()["id"]
            row = db.client.execute(
                "SELECT name, display_name FROM users WHERE id = %s", [made]
            ).fetchone()
            assert [row[0] is not None, row[1] is not None] == [
                "name" in service.WRITES[version],
                "display_name" in service.WRITES[version],
            ]
            assert api.client.put(f"/users/{made}", json={"name": "x"}).status_code == 200
            assert api.client.get(f"/users/{made}").json()["name"] == "x"
            assert api.client.get("/users/999").status_code == 404
    db.client.execute("ALTER TABLE users DROP COLUMN name")
    with serve_app(service.make_app("v1", db.url)) as api:
        broken = api.client.get("/users/1")
        assert broken.status_code == 500 and "name" in broken.json()["error"]
    assert isinstance(broken, httpx.Response)


def test_backfill_copies_every_row_in_batches(db: PostgresServer) -> None:
    service.create_schema(db.url, 25)
    db.client.execute("ALTER TABLE users ADD COLUMN display_name text")
    assert service.backfill(db.url, 10) == 3
    assert db.client.execute("SELECT count(*) FROM users WHERE display_name = name").fetchone() == (
        25,
    )
    assert service.backfill(db.url, 10) == 3, "running it again is harmless"


def test_probe_reports_locks_and_rewrites_and_rolls_back(db: PostgresServer) -> None:
    locks.create_items(db.url, 500)
    added = locks.probe(db.url, "ALTER TABLE items ADD COLUMN c text")
    assert added.locks == ("AccessExclusiveLock",) and not added.rewrote
    retyped = locks.probe(db.url, "ALTER TABLE items ALTER COLUMN n TYPE bigint")
    assert retyped.rewrote
    columns = [
        r[0]
        for r in db.client.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'items'"
        )
    ]
    assert "c" not in columns, "the probe rolls back"


def test_index_builds_record_the_writer_and_drop_the_index(db: PostgresServer) -> None:
    locks.create_items(db.url, 2000)
    build = locks.index_build_under_writes(db.url, concurrently=True, margin=0.05)
    assert build.label == "CREATE INDEX CONCURRENTLY" and build.build_end >= build.build_start
    assert build.inserts and build.slowest_insert_during_build() >= 0
    assert db.client.execute(
        "SELECT count(*) FROM pg_indexes WHERE tablename = 'items'"
    ).fetchone() == (1,)
    fig, ax = locks.plot_index_builds([build])
    assert ax.get_yscale() == "log"
    plt.close(fig)
    queue = locks.lock_queue(db.url, "50ms", hold=0.2, readers=4)
    assert queue.alter_outcome.startswith("gave up") and queue.reads == 4
