"""Lesson 04 (metaclasses) shows and measures what its prose promises: the order of the class
machinery, the conflicts, the registry, the singleton race and its fix, real SQLite rows, and
the libraries' metaclasses; and it runs in full mode too."""

from __future__ import annotations

import re

import pytest
from test_notebooks import PATHS, execute_lesson, markdown, printed, run_lesson

from advpy.lessons.metaclasses import singletons

NAME = "04_metaclasses"


@pytest.fixture(scope="module")
def out() -> str:
    return printed(run_lesson(NAME))


@pytest.mark.slow
def test_the_class_statement_runs_its_steps_in_order(out: str) -> None:
    steps = [
        "metaclass __prepare__: an empty namespace for Reading",
        "class body: runs now",
        "metaclass __new__: build Reading",
        "descriptor __set_name__: I am Reading.label",
        "Instrument.__init_subclass__: a new subclass, Reading",
        "metaclass __init__: Reading exists",
        "metaclass __call__: Reading(21.5,) was called",
        "Reading.__init__(21.5)",
    ]
    places = [out.find(step) for step in steps]
    assert -1 not in places, [s for s, p in zip(steps, places, strict=True) if p == -1]
    assert places == sorted(places), "the steps were printed in another order"
    assert "Instrument.__init_subclass__: a new subclass, Instrument" not in out


@pytest.mark.slow
def test_conflicts_and_registries_behave_as_described(out: str) -> None:
    assert out.count("TypeError: metaclass conflict") == 2  # own metaclasses, then two libraries
    assert "['PluginABCMeta', 'PluginMeta', 'ABCMeta', 'type', 'object']" in out
    assert "'exporter': <class '__main__.Exporter'>" in out  # the metaclass registers the base
    assert "{'csv': <class '__main__.CsvExporter'>, 'tsv': <class '__main__.TsvExporter'>}" in out
    assert "ValueError: exporter name 'csv' is taken by CsvExporter" in out


def _races(out: str) -> dict[tuple[str, str, int], tuple[int, int]]:
    found = re.findall(
        r"^(.+?)\s*\| (.+?)\s*\| interval\s+([\d,]+) µs:\s+(\d+) of (\d+) tries", out, re.M
    )
    return {
        (way, init, int(interval.replace(",", ""))): (int(dup), int(tries))
        for way, init, interval, dup, tries in found
    }


@pytest.mark.slow
def test_the_naive_singleton_races_and_the_locked_one_never_does(out: str) -> None:
    races = _races(out)
    assert len(races) == len(singletons.WAYS) * len(singletons.INITS) * 2
    database = "opens a SQLite database"
    # The prose: a database-opening __init__ races in many tries at the default interval,
    # for the naive metaclass and for functools.cache alike.
    assert races["naive SingletonMeta", database, 5000][0] > 0
    assert races["functools.cache factory", database, 5000][0] > 0
    locked = [v for (way, _, _), v in races.items() if way == "double-checked lock"]
    assert locked and all(dup == 0 for dup, _ in locked), "the double-checked lock duplicated"
    assert len({tries for _, tries in races.values()}) == 1, "every way gets the same tries"


@pytest.mark.slow
def test_call_costs_back_the_prose(out: str) -> None:
    costs = dict(
        (way.strip(), float(ns))
        for way, ns in re.findall(r"^(.+?):\s+(\d+) ns per call", out, re.M)
    )
    assert set(costs) == set(singletons.COST_WAYS)
    # "Taking the lock on every call ... costs several times more per call" than the
    # double-checked fast path: timing is noisy, so only the direction is asserted.
    assert costs["lock on every call"] > costs["double-checked lock"]


@pytest.mark.slow
def test_the_orm_writes_and_reads_real_rows(out: str) -> None:
    create = 'CREATE TABLE "book" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL, '
    assert out.count(create) >= 3  # generated, sent, and stored by SQLite
    assert (
        "[(1, 'Dune', 1965, 9.5), (2, 'Emma', 1815, None), (3, 'Untitled draft', None, 0.0)]" in out
    )
    assert "before 1900: Book(id=2, title='Emma', year=1815, price=None)" in out
    for message in (
        "Book.title must be str, not int",
        "Book.title must be str, not NoneType",
        "Book.year must be int, not bool",
        "Book has no field 'titel'",
    ):
        assert f"TypeError: {message}" in out


@pytest.mark.slow
def test_the_libraries_are_inspected_live(out: str) -> None:
    for made_by in (
        "__main__.Author: made by sqlalchemy.orm.decl_api.DeclarativeAttributeIntercept",
        "__main__.AuthorIn: made by pydantic._internal._model_construction.ModelMetaclass",
        "__main__.Color: made by enum.EnumType",
        "__main__.Shape: made by abc.ABCMeta",
    ):
        assert made_by in out
    assert "ModelMetaclass -> abc.ABCMeta -> type -> object" in out
    assert "__init_subclass__ from: sqlalchemy.orm.decl_api.DeclarativeBase" in out
    assert "copy.copy(Settings()) is Settings(): False" in out
    creation = dict(re.findall(r"^create one (.+?)\s*:\s+([\d.]+) µs", out, re.M))
    assert float(creation["pydantic model"]) > float(creation["plain class"])


def test_the_lesson_names_its_sources_of_truth() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("__prepare__", "__init_subclass__", "__set_name__", "double-checked", "RLock"):
        assert fact in text or fact in (PATHS.notebooks / f"{NAME}.py").read_text()
    assert "exercises/ps04_metaclasses.ipynb" in text


@pytest.mark.slow
def test_the_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Full mode (no ADVPY_FAST): the same notebook with the full inputs, in a fresh kernel
    (which inherits this process's environment)."""
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    notebook = execute_lesson(NAME)
    full = printed(notebook)
    assert "Fast mode is on" not in full
    races = _races(full)
    assert races and all(tries == 200 for _, tries in races.values())
    assert races["naive SingletonMeta", "opens a SQLite database", 5000][0] > 0
    assert all(d == 0 for (w, _, _), (d, _) in races.items() if w == "double-checked lock")
