"""Lesson 10 (context managers) runs top to bottom, in fast mode and once in full mode, and
prints what its prose promises: the protocol's four behaviours, where the notes' Transaction
falls short on a real SQLite file, what `with sqlite3.connect(...)` does, savepoints in sqlite3
and SQLAlchemy, ExitStack's reverse release, restored state, the measured cost of `with`, and
a pool that gets its connections back after a timeout. Its helpers are tested directly too."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import matplotlib
import pytest
from test_notebooks import execute_lesson, markdown, printed, run_lesson

from advpy.course.paths import course_paths
from advpy.lessons.context_managers import database, overhead
from advpy.lessons.context_managers.resources import LoggedResource

matplotlib.use("Agg")

NAME = "10_context_managers"
PATHS = course_paths()


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_protocol_cells_show_swallowing_replacing_and_a_failed_enter() -> None:
    out = printed(run_lesson(NAME))
    assert "the KeyError still came out of the with statement: KeyError('card-42')" in out
    assert "execution went on after the with statement; the KeyError is gone" in out
    assert (
        "came out: OSError('cleanup failed') | its __context__: ValueError('the real problem')"
        in out
    )
    assert "__enter__ db raises\ncame out: ConnectionError('no route to host')" in out
    assert "__exit__ db" not in out, "__exit__ ran after a failing __enter__"


@pytest.mark.slow
def test_generator_manager_skips_cleanup_without_finally() -> None:
    out = printed(run_lesson(NAME))
    assert "  open report.csv\nValueError came out, and 'close' was never printed" in out
    assert "  open report.csv\n  close report.csv\nValueError came out, after 'close'" in out


@pytest.mark.slow
def test_notes_transaction_commits_nested_work_and_stays_open_after_a_failed_commit() -> None:
    out = printed(run_lesson(NAME))
    assert "after a block that succeeded: ['book']" in out
    assert "after a block that raised:    ['book']" in out
    assert "after the failed order: ['book', 'desk', 'payment for desk']" in out
    failed_commits = re.findall(
        r"^COMMIT failed: (.*) \| still in a transaction: (\w+)$", out, re.M
    )
    assert failed_commits == [
        ("FOREIGN KEY constraint failed", "True"),  # the notes' sketch
        ("FOREIGN KEY constraint failed", "False"),  # sqlite3's own `with conn:`
    ]


@pytest.mark.slow
def test_sqlite_connection_with_commits_but_does_not_close() -> None:
    out = printed(run_lesson(NAME))
    assert "committed: ['chair']\nafter the with block the connection still answers: 1 row" in out
    assert "after closing(): Cannot operate on a closed database." in out
    assert "in a transaction after a SELECT: False" in out
    assert "in a transaction after an INSERT: True" in out
    if sys.version_info >= (3, 12):
        assert "autocommit=False: in a transaction right after connect: True" in out
    else:
        assert "no autocommit= argument (it came in 3.12)" in out


@pytest.mark.slow
def test_savepoints_undo_only_their_part_in_sqlite3_and_sqlalchemy() -> None:
    out = printed(run_lesson(NAME))
    assert "inside the transaction: ['desk']" in out
    assert "committed so far:       []" in out
    assert "after COMMIT:           ['desk', 'desk: pay on delivery']" in out
    assert "committed: ['lamp', 'lamp: pay on delivery']" in out
    assert "nesting_fix=True: rows left after the outer rollback: []" in out
    if sys.version_info < (3, 12):  # the driver's legacy default: measured to leak on 3.11
        assert "nesting_fix=False: rows left after the outer rollback: ['inner']" in out


@pytest.mark.slow
def test_exit_stack_releases_in_reverse_and_pop_all_hands_over() -> None:
    out = printed(run_lesson(NAME))
    assert "open inside the block:  [True, True, True]" in out
    assert "closed after the block: [True, True, True]" in out
    assert (
        "acquire db\nacquire cache\nacquire queue FAILED\nrelease cache (after OSError)\n"
        "release db (after OSError)\ncaught OSError('cannot acquire queue')" in out
    )
    assert "acquire mail" not in out and "\nbody\n" not in out
    assert (
        "working with ['db', 'cache']\nthe whole group is released\nrelease cache\nrelease db"
        in out
    )


@pytest.mark.slow
def test_small_managers_and_temporary_state_are_restored() -> None:
    out = printed(run_lesson(NAME))
    assert "captured: 'this line goes into the buffer\\n'" in out
    assert "this connection, uncommitted 'rug' included: True" in out
    after_rollback = re.search(r"included: True\ncommitted: (\[.*\])$", out, re.M)
    assert after_rollback, "the nullcontext cell no longer prints what was committed"
    assert "'clock'" in after_rollback[1] and "'rug'" not in after_rollback[1]
    assert "inside:  True\nrestored: True" in out
    assert "naive, after an error: 'maintenance'" in out
    assert "inside: maintenance\nafter an error: None" in out
    assert re.search(r"the failed block took [\d.]+ ms, and the time was still recorded", out)
    assert "no error shown; 'total' defined? False" in out
    assert re.search(r"^(RuntimeError|AttributeError): ", out, re.M), "re-used @contextmanager"


@pytest.mark.slow
def test_cost_of_with_is_measured_for_every_approach() -> None:
    notebook = run_lesson(NAME)
    out = printed(notebook)
    for approach in (
        "try/finally",
        "class with __enter__/__exit__",
        "contextlib.nullcontext()",
        "@contextmanager generator",
        "ExitStack + 1 callback",
        "with conn: INSERT + COMMIT",
    ):
        assert re.search(rf"{re.escape(approach)}:\s+[\d,]+ ns per use", out), approach
    assert re.search(r"@contextmanager costs [\d.]+x a class's __enter__/__exit__ per use", out)
    assert re.search(r"One committed INSERT costs [\d,]+x a @contextmanager's overhead", out)
    images = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 1, "the lesson draws exactly one plot, the cost of a with statement"


@pytest.mark.slow
def test_async_pool_gets_its_connections_back_after_a_timeout() -> None:
    out = printed(run_lesson(NAME))
    assert "querying on conn-0; idle now: 2\n  after the block, idle again: 3" in out
    assert "report running on conn-0 and conn-1; idle: 1" in out
    assert "timed out; idle connections afterwards: 3 of 3" in out


def test_lesson_states_the_version_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("3.12", "autocommit", "PEP 249", "isolation_level=None", "3.11", "PEP 765"):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps10_context_managers.ipynb" in text


# --- the lesson, full mode (once) ---------------------------------------------------------------


@pytest.mark.slow
def test_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    notebook = execute_lesson(NAME)
    out = printed(notebook)
    assert "Fast mode is on" not in out
    assert "timed out; idle connections afterwards: 3 of 3" in out
    assert re.search(r"with conn: INSERT \+ COMMIT:\s+[\d,]+ ns per use", out)


# --- the helpers ----------------------------------------------------------------------------------


def test_committed_sees_only_committed_rows(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    database.create_shop(path)
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO orders (item) VALUES ('pending')")
        assert database.committed(path) == []
        conn.commit()
        assert database.committed(path) == ["pending"]
    finally:
        conn.close()
    database.create_shop(path)
    assert database.committed(path) == [], "create_shop must start from an empty table"


def test_notes_transaction_commits_and_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    database.create_shop(path)
    conn = sqlite3.connect(path)
    try:
        with database.NotesTransaction(conn) as session:
            assert session is conn
            conn.execute("INSERT INTO orders (item) VALUES ('kept')")
        with pytest.raises(ValueError):
            with database.NotesTransaction(conn):
                conn.execute("INSERT INTO orders (item) VALUES ('undone')")
                raise ValueError
        assert database.committed(path) == ["kept"]
    finally:
        conn.close()


@pytest.mark.parametrize("fix", [True, False])
def test_make_engine_gives_an_empty_orders_table(tmp_path: Path, fix: bool) -> None:
    from sqlalchemy.orm import Session

    engine = database.make_engine(tmp_path / "orm.db", nesting_fix=fix)
    try:
        assert database.items(engine) == []
        with Session(engine) as session, session.begin():
            session.add(database.Order(item="x"))
        assert database.items(engine) == ["x"]
        engine = database.make_engine(tmp_path / "orm.db", nesting_fix=fix)
        assert database.items(engine) == []
    finally:
        engine.dispose()


def test_nesting_fix_rolls_back_a_released_savepoint_with_its_transaction(tmp_path: Path) -> None:
    from sqlalchemy.orm import Session

    engine = database.make_engine(tmp_path / "orm.db", nesting_fix=True)
    try:
        with pytest.raises(RuntimeError):
            with Session(engine) as session, session.begin():
                with session.begin_nested():
                    session.add(database.Order(item="inner"))
                raise RuntimeError
        assert database.items(engine) == []
    finally:
        engine.dispose()


def test_readable_time_picks_the_unit() -> None:
    assert overhead.readable_time(88e-9) == "88 ns"
    assert overhead.readable_time(3.883e-6) == "3.9 µs"
    assert overhead.readable_time(0.0282) == "28.2 ms"


def test_logged_resource_logs_and_fails_on_request() -> None:
    log: list[str] = []
    with pytest.raises(KeyError):
        with LoggedResource("a", log) as name:
            assert name == "a"
            raise KeyError
    with pytest.raises(OSError):
        with LoggedResource("b", log, fail_on_enter=True):
            pass
    assert log == ["acquire a", "release a (after KeyError)", "acquire b FAILED"]


def test_overhead_measures_every_approach_and_plots_them(tmp_path: Path) -> None:
    records = overhead.measure_overhead(uses=200, repeats=1)
    records.append(overhead.measure_commit(tmp_path / "c.db", commits=3, repeats=1))
    names = [r.approach for r in records]
    assert names[0] == "loop alone" and names[-1] == "with conn: INSERT + COMMIT"
    assert len(set(names)) == len(names) == 7
    assert all(r.seconds >= 0 for r in records)
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("SELECT count(*) FROM log").fetchone() == (3,)
    conn.close()
    fig, ax = overhead.plot_overhead(records)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "loop alone" not in labels
    assert ax.get_xscale() == "log"
    import matplotlib.pyplot as plt

    plt.close(fig)
