"""The migration checks of ``advpy.checks``: ``run_migrations`` runs revisions with Alembic in
a new interpreter and reads the SQLite file here, one snapshot per request, a failing step
named with its error; ``replay_plan`` replays an expand/contract plan with the app versions
running and reports failed statements, failed or stale operations, and the end state."""

from __future__ import annotations

import pytest

from advpy.checks import replay_plan, run_migrations, sqlite_affinity

FIRST = """
import sqlalchemy as sa
from alembic import op

revision = "1"
down_revision = None


def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Float))


def downgrade():
    op.drop_table("t")
"""

SECOND = """
import sqlalchemy as sa
from alembic import op

revision = "2"
down_revision = "1"


def upgrade():
    op.add_column("t", sa.Column("y", sa.Text))
    op.execute("UPDATE t SET y = 'seen'")


def downgrade():
    with op.batch_alter_table("t") as batch:
        batch.drop_column("y")
"""


@pytest.mark.parametrize(
    ("declared", "affinity"),
    [
        ("INTEGER", "INTEGER"),
        ("BIGINT", "INTEGER"),
        ("VARCHAR(32)", "TEXT"),
        ("FLOAT", "REAL"),
        ("DOUBLE PRECISION", "REAL"),
        ("", "BLOB"),
        ("NUMERIC(10, 2)", "NUMERIC"),
        ("BOOLEAN", "NUMERIC"),
    ],
)
def test_affinity_follows_sqlites_rules(declared: str, affinity: str) -> None:
    assert sqlite_affinity(declared) == affinity


def test_snapshots_follow_the_steps_and_runs_are_remembered() -> None:
    steps = [
        ("upgrade", "1"),
        ("sql", "INSERT INTO t (id, x) VALUES (?, ?)", [(1, 0.5), (2, 2.0)]),
        ("upgrade", "head"),
        ("snapshot",),
        ("downgrade", "base"),
        ("snapshot",),
    ]
    up, down = run_migrations({"1.py": FIRST, "2.py": SECOND}, steps)
    assert up["error"] is None and up["versions"] == ["2"]
    assert up["tables"]["t"]["columns"] == {
        "id": ("INTEGER", True, True),
        "x": ("REAL", False, False),
        "y": ("TEXT", False, False),
    }
    assert up["tables"]["t"]["rows"] == [
        {"id": 1, "x": 0.5, "y": "seen"},
        {"id": 2, "x": 2.0, "y": "seen"},
    ]
    assert down == {"error": None, "versions": [], "tables": {}}
    again = run_migrations({"1.py": FIRST, "2.py": SECOND}, steps)
    assert again == [up, down]
    again[0]["versions"].append("changed")
    assert run_migrations({"1.py": FIRST, "2.py": SECOND}, steps)[0]["versions"] == ["2"]


def test_a_failing_step_is_named_in_its_snapshot_and_every_later_one() -> None:
    broken = SECOND.replace("batch.drop_column", "batch.no_such_operation")
    before, after = run_migrations(
        {"1.py": FIRST, "2.py": broken},
        [("upgrade", "head"), ("snapshot",), ("downgrade", "1"), ("snapshot",)],
    )
    assert before["error"] is None
    assert after == {
        "error": "downgrade 1 failed: AttributeError: 'BatchOperations' object has no attribute "
        "'no_such_operation'"
    }
    (refused,) = run_migrations({"1.py": FIRST, "2.py": b"not text"}, [("snapshot",)])
    assert refused == {"error": "the revision 2.py must be source text (a str), not a bytes"}


VERSIONS = {
    "old": ("a", ("a",)),
    "both": ("a", ("a", "b")),
    "both, reads b": ("b", ("a", "b")),
    "new": ("b", ("b",)),
}
SCHEMA = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, a TEXT);"


def replay(plan, **workload):
    return replay_plan(plan, schema=SCHEMA, table="t", versions=VERSIONS, start="old", **workload)


def test_a_safe_plan_replays_without_failures() -> None:
    plan = [
        ("sql", "ALTER TABLE t ADD COLUMN b TEXT"),
        ("deploy", "both"),
        ("sql", "UPDATE t SET b = a"),
        ("deploy", "both, reads b"),
        ("deploy", "new"),
        ("sql", "ALTER TABLE t DROP COLUMN a"),
    ]
    report = replay(plan, null_share=0.3, seed=4)
    assert report == {
        "problem": None,
        "failures": [],
        "running": ["new"],
        "columns": ["id", "name", "b"],
    }


def test_failed_statements_failed_writes_and_stale_reads_are_reported() -> None:
    renamed = replay([("sql", "ALTER TABLE t RENAME COLUMN a TO b"), ("deploy", "new")])
    assert renamed["problem"] is None
    assert renamed["failures"][0].startswith(
        "old could not insert a row after step 1: table t has no column named a"
    )
    stale = replay(
        [("sql", "ALTER TABLE t ADD COLUMN b TEXT"), ("deploy", "both"), ("deploy", "new")]
    )
    assert any("new read a stale or missing value" in line for line in stale["failures"])
    assert len(stale["failures"]) <= 10
    failed = replay([("sql", "ALTER TABLE nowhere ADD COLUMN b TEXT")])
    assert failed["problem"] == "step 1: the statement failed: no such table: nowhere"


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        ("ALTER TABLE t ADD COLUMN b", "must be a list of steps"),
        ([("sql",)], "step 1 is not a pair"),
        ([("deploy", "v9")], "deploy names one of the versions"),
        ([("sql", "")], "holds one SQL statement"),
        ([("run", "x")], "the action is 'sql' or 'deploy'"),
    ],
)
def test_malformed_plans_are_named(plan, words: str) -> None:
    report = replay(plan)
    assert words in report["problem"] and report["failures"] == []
