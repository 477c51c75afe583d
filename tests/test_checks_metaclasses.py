"""The check helper for the metaclass exercises' model layer: a CREATE TABLE statement is
judged by what SQLite makes of it, and the failure says what went wrong without revealing
hidden values unless asked to."""

from __future__ import annotations

import sqlite3

import pytest

from advpy.checks import expect_sqlite_table

COLUMNS = [("title", "TEXT", True), ("year", "INTEGER", False)]


def test_an_accepted_statement_gives_an_open_connection_to_insert_into() -> None:
    connection = expect_sqlite_table(
        'CREATE TABLE "book" ("title" text NOT NULL, "year" INTEGER)', "book", COLUMNS, "m"
    )
    try:
        connection.execute('INSERT INTO "book" VALUES (?, ?)', ("Dune", None))
        assert connection.execute('SELECT * FROM "book"').fetchall() == [("Dune", None)]
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute('INSERT INTO "book" VALUES (NULL, 1)')
    finally:
        connection.close()


def test_a_reserved_word_works_only_when_quoted() -> None:
    columns = [("group", "TEXT", True)]
    expect_sqlite_table('CREATE TABLE "order" ("group" TEXT NOT NULL)', "order", columns, "m")
    with pytest.raises(AssertionError, match=r"^quoted\? \(SQLite refused the statement\)$"):
        expect_sqlite_table("CREATE TABLE order (group TEXT NOT NULL)", "order", columns, "quoted?")


def test_sqlites_error_is_shown_only_when_asked() -> None:
    with pytest.raises(AssertionError, match="syntax error"):
        expect_sqlite_table("CREATE TABLE order (x)", "t", COLUMNS, "m", show=True)


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ('CREATE TABLE "other" ("title" TEXT NOT NULL, "year" INTEGER)', "no table"),
        ('CREATE TABLE "book" ("year" INTEGER, "title" TEXT NOT NULL)', "columns differ"),
        ('CREATE TABLE "book" ("title" TEXT, "year" INTEGER)', "columns differ"),
        ('CREATE TABLE "book" ("title" TEXT NOT NULL, "year" REAL)', "columns differ"),
        ('CREATE TABLE "book" ("title" TEXT NOT NULL)', "columns differ"),
        ("CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER)", "refused"),
    ],
)
def test_a_wrong_table_fails_without_showing_columns(statement: str, problem: str) -> None:
    with pytest.raises(AssertionError) as caught:
        expect_sqlite_table(statement, "book", COLUMNS, "the statement")
    text = str(caught.value)
    assert text.startswith("the statement (") and problem in text
    assert "title" not in text and "INTEGER" not in text


def test_the_column_lists_are_shown_when_asked() -> None:
    with pytest.raises(AssertionError, match=r"table has: \[\('title', 'TEXT', False\)"):
        expect_sqlite_table(
            'CREATE TABLE "book" ("title" TEXT)', "book", COLUMNS[:1], "m", show=True
        )


def test_a_statement_that_is_not_a_str_fails() -> None:
    with pytest.raises(AssertionError, match=r"\(the statement is a NoneType\)"):
        expect_sqlite_table(None, "book", COLUMNS, "m")
