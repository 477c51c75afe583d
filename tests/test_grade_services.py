"""Graded tests of Part 2 sets start real servers inside ``advpy grade``'s sandbox: a test cell
starts Redis and PostgreSQL on the sandbox's own loopback and hands the learner's code their
addresses, with the verdicts decided by the judge; right answers score full marks, wrong ones
lose the cell, and no server outlives its notebook."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import psutil
import pytest

from advpy.course.paths import CoursePaths, course_paths
from advpy.course.scratch import (
    make_scratch_course,
    read_scores,
    student_notebook,
    submit,
    with_answers,
)
from advpy.grade.runner import GradeOptions, grade_assignment
from advpy.grade.sandbox import privileged, worker_uid
from advpy.grade.verdicts import judged_outside

SET = "ps98_services"
ANSWER = '''def stored_keys(url):
    """The keys of the Redis server at ``url``, sorted."""
    ### BEGIN SOLUTION
    import redis

    with redis.Redis.from_url(url) as client:
        return sorted(key.decode() for key in client.keys())
    ### END SOLUTION


def row_count(url, table):
    """How many rows ``table`` has in the PostgreSQL database at ``url``."""
    ### BEGIN SOLUTION
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as connection:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        return connection.execute(query).fetchone()[0]
    ### END SOLUTION
'''
REDIS_TESTS = '''"""The keys of a real Redis server, sorted."""
from advpy.services import redis_server

with redis_server() as cache:
    cache.client.set("b", 1)
    cache.client.set("a", 2)
    assert stored_keys(cache.url) == ["a", "b"], "stored_keys should list the keys, sorted"
'''
POSTGRES_TESTS = '''"""The rows of a table in a real PostgreSQL database."""
from advpy.services import postgres_server

with postgres_server() as database:
    database.client.execute("CREATE TABLE items (n integer)")
    database.client.execute("INSERT INTO items VALUES (1), (2), (3)")
    assert row_count(database.url, "items") == 3, "row_count should count the table's rows"
'''
WRONG = """def stored_keys(url):
    return []


def row_count(url, table):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
"""


def _services_course(root: Path) -> CoursePaths:
    """A course holding one set, :data:`SET`, whose test cells start Redis and PostgreSQL."""
    real = course_paths()
    (root / "grading").mkdir(parents=True)
    shutil.copy(real.grading / "nbgrader_config.py", root / "grading" / "nbgrader_config.py")

    def cell(source: str, **meta: object) -> nbformat.NotebookNode:
        nbgrader = {"schema_version": 3, "locked": False, "solution": False, "grade": False}
        nbgrader.update(meta)  # type: ignore[arg-type]
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": nbgrader})

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        cell(ANSWER, grade_id="answer", solution=True),
        cell(REDIS_TESTS, grade_id="redis_tests", grade=True, locked=True, points=1),
        cell(POSTGRES_TESTS, grade_id="postgres_tests", grade=True, locked=True, points=1),
    ]
    source = root / "grading" / "source" / SET
    source.mkdir(parents=True)
    nbformat.write(notebook, source / f"{SET}.ipynb")
    return CoursePaths(root)


def _sandboxed_servers() -> list[str]:
    """Servers this test process's grader started in a sandbox that are still running: as
    root, those of its workers' own users; otherwise, ours in a process namespace of another."""
    names = ("redis-server", "postgres", "nginx")
    ours = os.readlink("/proc/self/ns/pid")
    base = worker_uid(0) - worker_uid(0) % 64
    found = []
    for process in psutil.process_iter(["name", "uids", "pid"]):
        if process.info["name"] not in names or process.info["uids"] is None:
            continue
        uid = process.info["uids"].real
        try:
            elsewhere = os.readlink(f"/proc/{process.info['pid']}/ns/pid") != ours
        except OSError:
            continue
        if (privileged() and base <= uid < base + 64) or (
            not privileged() and uid == os.getuid() and elsewhere
        ):
            found.append(f"{process.info['name']} (pid {process.info['pid']})")
    return found


@pytest.mark.slow
def test_a_test_cell_starts_servers_in_the_sandbox_and_the_judge_decides(tmp_path: Path) -> None:
    assert judged_outside(SET)
    paths = _services_course(tmp_path / "source")
    course = make_scratch_course(paths, [SET], tmp_path / "course")
    blank = student_notebook(course, SET)
    reference = {"answer": ANSWER}
    submit(course, SET, "right", with_answers(blank, reference))
    submit(course, SET, "wrong", with_answers(blank, {"answer": WRONG}))
    summary = grade_assignment(GradeOptions(SET, course, jobs=2))
    assert summary.graded == 2
    scores = read_scores(course, SET)
    assert {g: c.score for g, c in scores["right"].items()} == {
        "redis_tests": 1.0,
        "postgres_tests": 1.0,
    }
    # The wrong answer's Redis part fails; its PostgreSQL part is right.
    assert {g: c.score for g, c in scores["wrong"].items()} == {
        "redis_tests": 0.0,
        "postgres_tests": 1.0,
    }
    assert not _sandboxed_servers(), "a server outlived its notebook"
