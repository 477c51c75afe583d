# %% [markdown]
# # 13 · Database migrations: changing a schema under a running service
#
# Code ships in seconds and can be rolled back; a database schema holds data that must survive
# every change. A **migration** is a versioned, reviewed step from one schema to the next, run
# the same way on every laptop, test database and production server. The hard part is not
# writing `ALTER TABLE`: it is changing a table that a running service is reading and writing,
# with old and new versions of the code live at the same time during a deploy, without an error
# or a long lock. This lesson runs Alembic on SQLite and PostgreSQL, renames a column under a
# steady load of requests through nginx (once naively, once with expand/contract), and measures
# what PostgreSQL locks while a table changes.
#
# **Learning objectives.** By the end you can:
# - **write** Alembic revisions with `upgrade` and `downgrade`, run them forwards and back,
#   and **explain** the revision chain, branches and merges;
# - **spot** what autogenerate gets wrong (a rename is a drop and an add; data moves are
#   yours) and **use** batch mode for what SQLite's `ALTER TABLE` cannot do;
# - **plan** an expand/contract change: expand, dual-write, backfill in batches, switch reads,
#   stop old writes, contract; and **verify** it with errors counted per phase under load;
# - **deploy** old and new code side by side (rolling) or switch all at once (blue-green) with a
#   gateway;
# - **predict** which `ALTER TABLE` rewrites or locks a PostgreSQL table, **use**
#   `lock_timeout` and `CREATE INDEX CONCURRENTLY`, and **measure** what a blocking build does
#   to a writer.
#
# **Prerequisites:** SQL (`CREATE TABLE`, `ALTER TABLE`, `UPDATE`, transactions); SQLAlchemy
# Core at the level of its tutorial; the users service and gateway ideas of
# [20 · API versioning](20_api_versioning.ipynb) help but are not required.

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import sqlite3
import tempfile
import time
from pathlib import Path

import alembic
import psycopg
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.migrations import locks, service
from advpy.lessons.migrations.load import SteadyLoad, count_errors, plot_errors, run_phases
from advpy.lessons.migrations.project import AlembicProject
from advpy.services import nginx_gateway, postgres_server, serve_app

print(machine_summary())
print(f"SQLAlchemy {sa.__version__}, Alembic {alembic.__version__}", end=", ")
print(f"SQLite {sqlite3.sqlite_version}")
workdir = tempfile.TemporaryDirectory(prefix="advpy-13-")
folder = Path(workdir.name)

# %% [markdown]
# ## 1. Revisions, upgrade and downgrade
#
# An Alembic project is a folder: `env.py` (how to connect) and `versions/`, one Python file
# per **revision**. Each revision names itself (`revision`) and the one it follows
# (`down_revision`), and has two functions: `upgrade()` moves the schema forwards, `downgrade()`
# undoes it. The database remembers where it is in a one-row table, `alembic_version`. Here is a
# project for a SQLite file, and its first two revisions:

# %%
project = AlembicProject(folder / "migrations", f"sqlite:///{folder / 'shop.db'}")
project.write_revision(
    "0001",
    None,
    upgrade="""
        op.create_table(
            "users",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.Text, nullable=False),
        )""",
    downgrade='op.drop_table("users")',
    message="create users",
)
path = project.write_revision(
    "0002",
    "0001",
    upgrade='op.add_column("users", sa.Column("email", sa.Text))',
    downgrade='op.drop_column("users", "email")',
    message="users get an email",
)
print(path.read_text())

# %% [markdown]
# `alembic upgrade head` runs every revision the database has not seen, in chain order;
# `alembic current` and `alembic history` say where it is:

# %%
project.upgrade("head")
print("current:", project.current())
print("history:", project.history())
shop = sqlite3.connect(folder / "shop.db")
print("columns:", [row[1] for row in shop.execute("PRAGMA table_info(users)")])

# %% [markdown]
# `downgrade` walks back: to a revision, one step (`-1`), or to `base`, the empty schema. The
# same migrations can also be printed as SQL for a review or a DBA (`alembic upgrade --sql`),
# without touching a database:

# %%
shop.execute("INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.com')")
shop.commit()
project.downgrade("0001")
print("after downgrade to 0001:", project.current(), shop.execute("SELECT * FROM users").fetchall())
print(project.upgrade_sql("0001:0002"))

# %% [markdown]
# **What to notice.** The downgrade dropped `email` and with it Ada's address: a downgrade is
# code like any other and can lose data. Write it so that a round trip (upgrade, downgrade,
# upgrade) keeps what it can, and test that round trip on real data, as the graded set does.
#
# ### 1.1 SQLite and batch mode
#
# SQLite's `ALTER TABLE` can add, rename and drop a column, and little else: no change of type,
# of `NOT NULL`, of a constraint. A plain `op.alter_column` sends the usual SQL, and SQLite
# refuses it:

# %%
project.write_revision(
    "0003",
    "0002",
    upgrade='op.alter_column("users", "email", nullable=False, existing_type=sa.Text)',
    downgrade='op.alter_column("users", "email", nullable=True, existing_type=sa.Text)',
)
project.upgrade("0002")
shop.execute("UPDATE users SET email = 'unknown' WHERE email IS NULL")
shop.commit()
try:
    project.upgrade("head")
except sa.exc.OperationalError as error:
    print("OperationalError:", error.orig, "| SQL:", error.statement)
print("still at:", project.current())

# %% [markdown]
# **Batch mode** does it the SQLite way: create the new table, copy every row, drop the old one,
# rename. In a revision it is a `with` block; the copy is why a batch migration on a big SQLite
# table takes as long as copying it.

# %%
project.write_revision(
    "0003",
    "0002",
    upgrade="""
        with op.batch_alter_table("users") as batch:
            batch.alter_column("email", nullable=False, existing_type=sa.Text)""",
    downgrade="""
        with op.batch_alter_table("users") as batch:
            batch.alter_column("email", nullable=True, existing_type=sa.Text)""",
)
project.upgrade("head")
print("current:", project.current())
print("email NOT NULL:", [row[3] for row in shop.execute("PRAGMA table_info(users)")][2] == 1)
print("rows kept:", shop.execute("SELECT * FROM users").fetchall())

# %% [markdown]
# ## 2. Autogenerate, and what it misses
#
# `alembic revision --autogenerate` compares the models (SQLAlchemy `MetaData`) with the
# database and writes the operations that close the gap. Suppose the model renames `name` to
# `display_name`. This is what the comparison finds:

# %%
models = sa.MetaData()
sa.Table(
    "users",
    models,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False),
)
engine = sa.create_engine(f"sqlite:///{folder / 'shop.db'}")
with engine.connect() as connection:
    for operation in compare_metadata(MigrationContext.configure(connection), models):
        kind, _schema, table, column = operation[:4]
        print(f"{kind}: {table}.{column.name}")
engine.dispose()

# %% [markdown]
# **What to notice.** A rename is seen as "add `display_name`, drop `name`": run as generated,
# it throws every name away (and the `NOT NULL` column cannot even be added to a table with
# rows). Autogenerate sees the schema, not intent: it cannot know a rename, a split of one
# column into two, a change of units, or that rows must be copied. It also skips changes of
# server defaults unless asked (`compare_server_default=True`), and knows nothing of triggers,
# views or the values a PostgreSQL enum type allows. Treat its output as a draft: read it,
# fix renames with `op.alter_column(..., new_column_name=...)` or with the expand/contract
# steps of section 5, and write data moves yourself.
#
# ## 3. Branches and merges
#
# Two developers each write a revision on top of `0003`. Both files are fine, but the chain
# now has two heads, and `upgrade head` refuses to guess an order:

# %%
index_up = 'op.create_index("ix_users_email", "users", ["email"])'
project.write_revision("0004a", "0003", index_up, 'op.drop_index("ix_users_email")')
age_up = 'op.add_column("users", sa.Column("age", sa.Integer))'
project.write_revision("0004b", "0003", age_up, 'op.drop_column("users", "age")')
print("heads:", project.heads())
try:
    project.upgrade("head")
except alembic.util.CommandError as error:
    print("CommandError:", str(error)[:70], "...")

# %% [markdown]
# `alembic merge heads` writes a revision with both as its `down_revision`: an empty migration
# that joins the branches. After it, there is one head again:

# %%
merge_file = Path(project.merge("0005", "merge email index and age"))
parents = [line for line in merge_file.read_text().splitlines() if "down_revision" in line]
print(merge_file.name, "->", parents)
project.upgrade("head")
print("current:", project.current(), "| heads:", project.heads())

# %% [markdown]
# **What to notice.** The two branches ran in some order, and that is only safe because they
# touch different things; a merge revision says "both are needed", not "they do not conflict".
# Many teams have CI fail when `alembic heads` shows more than one, so the merge is made (and
# reviewed) on purpose.
#
# ### Try it
# Downgrade the project to `0004a` and look at `project.current()`. Which revisions are applied
# now? What would you run to remove `0004b` as well?
# (Answer: [tryit/13 § 1](../solutions/tryit/13_migrations.md#1-downgrading-a-merge).)

# %%
# Your experiment here.

# %%
shop.close()

# %% [markdown]
# ## 4. A naive rename under load
#
# Now a real service. PostgreSQL holds `users(id, name)`; the users service runs in four
# versions (`service.READS` and `service.WRITES` say which column each reads and writes), each
# a FastAPI app on uvicorn; nginx sits in front and decides which version answers. A steady
# load of requests goes through nginx: create a user, read one, rename one. The load remembers
# every name, so a read that answers with the wrong name counts as an error too.

# %%
started = time.perf_counter()
db = postgres_server()
users = pick(20_000, 2_000)
service.create_schema(db.url, users)
apps = {version: serve_app(service.make_app(version, db.url)) for version in service.READS}
gateway = nginx_gateway({"/": apps["v1"]})
print(f"PostgreSQL, 4 app versions and nginx up in {time.perf_counter() - started:.1f} s")
print("reads:", service.READS)
print("writes:", service.WRITES)

# %% [markdown]
# The naive migration renames the column in one statement while v1 is serving, then deploys v4,
# which uses the new name. Each phase runs under the load for `hold` seconds:

# %%
rate, hold = pick(80, 50), pick(1.5, 0.4)


def run_sql(statement):
    return lambda: db.client.execute(statement)


def route_to(*versions):
    return lambda: gateway.reload({"/": [apps[v] for v in versions]})


# %%
with SteadyLoad(gateway.url, rate=rate, known=users) as load:
    run_phases(
        load,
        [
            ("naive: v1 serving", lambda: None),
            (
                "naive: RENAME COLUMN, v1 serving",
                run_sql("ALTER TABLE users RENAME COLUMN name TO display_name"),
            ),
            ("naive: v4 deployed", route_to("v4")),
        ],
        hold,
    )
naive = count_errors(load.outcomes)
for phase in naive:
    print(f"{phase.phase:>34}: {phase.errors:3d} errors in {phase.requests:3d} requests")
print("first error:", next(p.first_error for p in naive if p.errors))

# %% [markdown]
# **What to notice.** Once the column was renamed, v1's requests failed (all but a request
# already being answered at that instant) until the gateway sent traffic to v4. "Deploy at
# the same moment" is no fix: a deploy takes seconds to minutes, instances restart one by
# one, and some old code is always running while the schema changes. Deploying v4 *first*
# breaks the other way round. The schema and the code
# must be changed in steps such that **every schema is valid for every version that runs
# against it**.

# %% [markdown]
# ## 5. Expand and contract
#
# The notes call this an "expandable schema strategy"; its usual names are **expand/contract**
# or **parallel change**. The rename becomes six steps, and at each one both the running
# versions work:
#
# | step | schema | versions running |
# |---|---|---|
# | expand | add `display_name` (nullable); `name` may be NULL | v1 |
# | rolling deploy v2 | | v1 and v2 (v2 writes both) |
# | backfill | copy `name` to `display_name`, in batches | v2 |
# | rolling deploy v3 | | v2 and v3 (v3 reads `display_name`) |
# | rolling deploy v4 | | v3 and v4 (v4 writes only `display_name`) |
# | contract | drop `name`; `display_name` NOT NULL | v4 |
#
# The backfill comes after v1 is gone: from then on every writer fills `display_name`, so one
# pass over the old rows is enough. During a **rolling deploy** nginx balances between two
# versions (`route_to("v1", "v2")`), as a fleet of instances does while they restart one by
# one; the switch from one version to the next alone is a **blue-green** switch: the gateway
# moves all traffic at once, and moving it back is the rollback.

# %%
service.create_schema(db.url, users)
route_to("v1")()
batch = pick(1_000, 250)
phases = [
    ("v1 serving", lambda: None),
    (
        "expand: ADD COLUMN display_name",
        run_sql("ALTER TABLE users ADD COLUMN display_name text, ALTER COLUMN name DROP NOT NULL"),
    ),
    ("rolling deploy: v1 + v2", route_to("v1", "v2")),
    ("v2 only (blue-green switch)", route_to("v2")),
    (
        f"backfill in batches of {batch}",
        lambda: print("backfill batches:", service.backfill(db.url, batch)),
    ),
    ("rolling deploy: v2 + v3", route_to("v2", "v3")),
    ("v3 only", route_to("v3")),
    ("rolling deploy: v3 + v4", route_to("v3", "v4")),
    ("v4 only", route_to("v4")),
    (
        "contract: DROP COLUMN name",
        run_sql("ALTER TABLE users DROP COLUMN name, ALTER COLUMN display_name SET NOT NULL"),
    ),
]

# %%
with SteadyLoad(gateway.url, rate=rate, known=users) as load:
    run_phases(load, phases, hold)
expand_contract = count_errors(load.outcomes)
for phase in expand_contract:
    print(f"{phase.phase:>34}: {phase.errors:3d} errors in {phase.requests:3d} requests")
print("total errors:", sum(p.errors for p in expand_contract))

# %%
title = "Errors per phase: a naive rename, then expand/contract"
fig, ax = plot_errors(naive + expand_contract, title)

# %% [markdown]
# **What to notice.** Zero errors in every phase, with the same load, the same database and the
# same final schema as the naive rename. The price is time and care: four deploys instead of
# one, a backfill, and a column that exists twice for a while. The backfill batches are short
# transactions, each locking a few hundred rows for milliseconds; one `UPDATE users SET
# display_name = name` would lock every row until it commits, and on a big table hold up the
# writers that long (section 6 measures what a lock held that long does). Each step can also be
# rolled back on its own until the contract, which is the one step that cannot be undone
# without a restore.
#
# ### Try it
# Move the backfill one step earlier, before the rolling deploy of v2 (so v1 still writes while
# and after it runs). Which phases show errors now, and are they 500s or wrong names?
# (Answer: [tryit/13 § 2](../solutions/tryit/13_migrations.md#2-backfilling-too-early).)

# %%
# Your experiment here.

# %%
gateway.stop()
for app in apps.values():
    app.stop()
stopped = not gateway.running and not any(a.running for a in apps.values())
print("gateway and apps stopped:", stopped)

# %% [markdown]
# ## 6. What an ALTER TABLE locks, and what it rewrites
#
# PostgreSQL runs DDL in transactions, and each statement takes a lock on the table.
# `ACCESS EXCLUSIVE`, which most `ALTER TABLE`s take, conflicts with everything, plain
# `SELECT` included. How long it is held is what matters: a catalog change holds it for
# milliseconds, a **rewrite** (a new copy of every row) for as long as copying the table takes.
# `locks.probe` runs a statement in a transaction, reads its locks from `pg_locks`, checks
# whether the table got a new file (a rewrite), and rolls back:

# %%
rows = pick(300_000, 20_000)
started = time.perf_counter()
locks.create_items(db.url, rows)
print(f"items: {rows:,} rows, made in {time.perf_counter() - started:.1f} s")
statements = [
    "ALTER TABLE items ADD COLUMN c text",
    "ALTER TABLE items ADD COLUMN d integer DEFAULT 0",
    "ALTER TABLE items ADD COLUMN e float8 DEFAULT random()",
    "ALTER TABLE items ALTER COLUMN n TYPE bigint",
    "ALTER TABLE items ALTER COLUMN n SET NOT NULL",
    "ALTER TABLE items ADD CONSTRAINT n_ok CHECK (n >= 0) NOT VALID",
    "CREATE INDEX items_n ON items (n)",
]

# %%
probes = [locks.probe(db.url, statement) for statement in statements]
for result in probes:
    rewrite = "REWRITES" if result.rewrote else "no rewrite"
    what = result.statement.removeprefix("ALTER TABLE items ")
    held = "+".join(result.locks)
    print(f"{what:<50} {held:<30} {rewrite:<10} {result.seconds * 1000:7.1f} ms")

# %% [markdown]
# **What to notice.**
# - Adding a nullable column, or one with a *constant* default, is a catalog change (PostgreSQL
#   11 and later store the default once): milliseconds, whatever the size.
# - A *volatile* default (`random()`, `clock_timestamp()`) and a type change rewrite every row
#   under `ACCESS EXCLUSIVE`: the slowest `ALTER TABLE`s above, growing with the table.
# - `SET NOT NULL` does not rewrite but reads the whole table under `ACCESS EXCLUSIVE` to check
#   it. The safe way on a big table: `ADD CONSTRAINT ... CHECK (n IS NOT NULL) NOT VALID`
#   (instant), then `VALIDATE CONSTRAINT` (a scan under a weaker lock that lets writes go on);
#   since PostgreSQL 12, `SET NOT NULL` then uses the valid constraint and skips its scan.
# - `CREATE INDEX` takes a `SHARE` lock: reads go on, writes wait until the build ends.
#
# ### 6.1 The lock queue, and `lock_timeout`
#
# Even an instant `ALTER` can stop a service. It must wait for its lock behind any open
# transaction that touched the table, and every query that arrives after it waits behind *it*.
# Here a transaction holds the table for `hold` seconds; the `ALTER` queues; a reader on a
# third connection is timed:

# %%
hold_for = pick(1.0, 0.4)
for timeout in ("0", "100ms"):
    queue = locks.lock_queue(db.url, timeout, hold=hold_for)
    print(
        f"lock_timeout={queue.lock_timeout:>5}: ALTER {queue.alter_outcome} after "
        f"{queue.alter_seconds * 1000:.0f} ms; slowest of {queue.reads} reads "
        f"{queue.slowest_read * 1000:.0f} ms"
    )

# %% [markdown]
# **What to notice.** Without a timeout (`0`), a one-line `SELECT` waited about as long as the
# long transaction lasted: a "millisecond" migration took the table away from the service.
# With `SET lock_timeout = '100ms'`, the `ALTER` gave up and the reads went on; the migration
# tool retries it a moment later. Set `lock_timeout` (and `statement_timeout`) in every
# migration that runs against a live database.

# %% [markdown]
# ## 7. `CREATE INDEX` against `CREATE INDEX CONCURRENTLY`
#
# `CONCURRENTLY` builds an index without blocking writes: it scans the table twice and waits
# for transactions that started earlier, taking only `SHARE UPDATE EXCLUSIVE`. A writer
# inserts rows one by one while each kind of build runs:

# %%
builds = [locks.index_build_under_writes(db.url, concurrently) for concurrently in (False, True)]
for build in builds:
    print(
        f"{build.label:<26}: build {build.build_seconds * 1000:6.0f} ms, slowest insert "
        f"during it {build.slowest_insert_during_build() * 1000:6.1f} ms "
        f"({len(build.inserts)} inserts)"
    )

# %%
fig, ax = locks.plot_index_builds(builds)

# %% [markdown]
# **What to notice.** During the blocking build the writer's insert waited for the whole build
# (the one slow point in red, as long as the shaded build); during the concurrent build inserts
# stayed near their usual time. The concurrent build does more work (two passes over the table,
# and a wait for transactions older than itself), so on a large table it takes longer than the
# blocking one (in full mode, 786 ms against 564 ms when this lesson was written); on fast
# mode's small table the difference is lost in the noise. The concurrent build has rules of its
# own: it cannot run inside a transaction block (in Alembic, use
# `with op.get_context().autocommit_block():` around
# `op.create_index(..., postgresql_concurrently=True)`), and if it fails it leaves an `INVALID`
# index behind that must be dropped before trying again.

# %%
db.stop()
workdir.cleanup()
print("PostgreSQL stopped:", not db.running, "| temporary folder removed:", not folder.exists())

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Autogenerated renames.** Autogenerate writes a rename as a drop and an add (section 2). Read
# every generated revision before it runs anywhere.
#
# **Adding a `NOT NULL` column without a default.** It fails on a table with rows. Add it
# nullable, backfill, then make it `NOT NULL` (on PostgreSQL, with a `NOT VALID` check first).
#
# **One big `UPDATE` as a backfill.** It locks every row it changes until it commits, bloats
# the table, and if it fails all the work is lost. Batch it by primary key (keyset, `WHERE id >
# last`), commit each batch, and make it safe to run again.
#
# **Migrations that import the app's models.** A revision that imports today's models breaks
# when the models change next year and an old revision runs on a new database. Revisions use
# `op` and, for data, a small `sa.table(...)` of their own.
#
# **Transactional DDL differs by database.** PostgreSQL rolls a failed migration back whole;
# MySQL commits each DDL statement, so a failure leaves a half-done migration; SQLite is
# transactional but Alembic's batch mode copies tables. `CREATE INDEX CONCURRENTLY` must run
# outside a transaction.
#
# **Forgetting the lock queue.** `lock_timeout` on every migration; run them when long
# transactions (reports, `pg_dump`) are not holding the table.
#
# **Contracting too early.** Dropping the old column while any running version, worker, cron
# job or replica-reading report still uses it is the naive rename again, a deploy later.

# %% [markdown]
# ## Summary
#
# - An Alembic revision has an id, a `down_revision` and an `upgrade`/`downgrade` pair;
#   `alembic_version` records where a database is; two revisions on one parent are two heads,
#   joined by a merge revision.
# - Autogenerate compares models with the database: renames come out as drop plus add, and data
#   moves are yours to write. SQLite needs batch mode (copy the table) for most column changes.
# - A rename under a running service is expand, dual-write, backfill in batches, switch reads,
#   stop old writes, contract: measured here with zero errors per phase, where a one-statement
#   rename broke every request of the old version.
# - Rolling deploys run two versions at once against one schema; a blue-green switch moves the
#   gateway's traffic at once and back.
# - On PostgreSQL, most `ALTER TABLE`s take `ACCESS EXCLUSIVE`; type changes and volatile
#   defaults rewrite the table; `lock_timeout` keeps a waiting `ALTER` from queueing everyone;
#   `CREATE INDEX CONCURRENTLY` lets writes go on during the build.
#
# **Graded exercises:** [exercises/ps13_migrations.ipynb](exercises/ps13_migrations.ipynb):
# an Alembic revision that moves prices to integer cents and back with every value kept (run
# by Alembic on a real SQLite database), an expand/contract plan checked against every version
# that runs during it, and a resumable batched backfill.
