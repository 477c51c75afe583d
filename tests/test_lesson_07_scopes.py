"""Lesson 07 (scopes): the notebook runs in fast and in full mode and prints what its prose
promises; its helpers read the bytecode right on this interpreter; the graded set's "predict
what this prints" items really print what the reference predictions say."""

from __future__ import annotations

import contextlib
import io
import math
import re
import sys

import matplotlib.pyplot as plt
import nbformat
import pytest
from test_notebooks import PATHS, execute_lesson, markdown, printed, run_lesson

from advpy.lessons.scopes import bytecode, lookups
from advpy.lessons.scopes.plots import plot_lookups

LESSON = "07_scopes"
INLINED = sys.version_info >= (3, 12)  # PEP 709


# --- the lesson, run in fast mode -----------------------------------------------------------------


@pytest.fixture(scope="module")
def out() -> str:
    return printed(run_lesson(LESSON))


@pytest.mark.slow
def test_bytecode_shows_each_scope_with_its_instruction(out: str) -> None:
    found = dict(re.findall(r"^\s*(\w+): (LOAD_\w+)\s+->", out, re.M))
    assert found["amount"].startswith("LOAD_FAST")
    assert found["total"].startswith("LOAD_FAST")
    assert found["customer"] == "LOAD_DEREF"
    assert found["currency"] == "LOAD_DEREF"
    assert found["tax_rate"].startswith("LOAD_GLOBAL")
    assert found["round"].startswith("LOAD_GLOBAL")
    assert "co_freevars (from an enclosing function)" in out
    assert "currency -> 'EUR'" in out and "customer -> 'ada'" in out


@pytest.mark.slow
def test_lookups_are_measured_printed_and_drawn(out: str) -> None:
    costs = dict(
        re.findall(
            r"^\s*(local|enclosing|global|built-in|call len\(value\)): +([\d.]+) ns", out, re.M
        )
    )
    assert set(costs) == {"local", "enclosing", "global", "built-in", "call len(value)"}
    assert all(math.isfinite(float(ns)) and float(ns) >= 0 for ns in costs.values())
    assert re.search(r"the gap is [\d.]+ ns per lookup, [\d.]+ ms per million lookups", out)
    assert "Load average" in out or "load average is not available" in out
    notebook = run_lesson(LESSON)
    images = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 1, "the lesson draws one figure: the lookup costs"


@pytest.mark.slow
def test_specialised_instructions_are_shown(out: str) -> None:
    # The specialising interpreter (3.11+) rewrites LOAD_GLOBAL once the loop has run.
    assert re.search(r"value: LOAD_GLOBAL_MODULE", out)
    assert re.search(r"len: LOAD_GLOBAL_BUILTIN", out)


@pytest.mark.slow
def test_unbound_local_global_and_nonlocal(out: str) -> None:
    unbound = re.findall(r"^UnboundLocalError: cannot access local variable 'hits'", out, re.M)
    assert len(unbound) == 2, "both the += and the unreachable-assignment examples fail"
    assert re.search(r"^\s*hits: LOAD_FAST\w*", out, re.M), "report() reads hits as a local"
    assert "hits: 2" in out
    assert "pages: 3 | images: 1" in out
    assert "('count',) -> [3]" in out
    assert "events logged: 2" in out
    syntax = re.findall(r"^SyntaxError: (.+)$", out, re.M)
    assert syntax == [
        "no binding for nonlocal 'missing' found",
        "no binding for nonlocal 'total' found",
        "nonlocal declaration not allowed at module level",
    ]


@pytest.mark.slow
def test_late_binding_and_its_three_fixes(out: str) -> None:
    assert "[error] service started" in out
    assert "['[error] hello', '[error] hello', '[error] hello']" in out
    assert "all three share one cell: True" in out
    assert out.count("['[info] hello', '[warning] hello', '[error] hello']") == 2
    assert "separate cells: True" in out
    assert "['[info] hello', '[error] hello']\n[oops] hello" in out


@pytest.mark.slow
def test_class_bodies_and_comprehensions(out: str) -> None:
    assert "NameError: name 'rate' is not defined" in out
    assert "NameError: name 'size' is not defined" in out
    assert "[(0, 0), (0, 1), (0, 2), (1, 0)] ... 9 cells" in out
    assert "n after the comprehension: outer" in out
    assert "n after the for loop: 3" in out
    assert "first value above 10: 12" in out
    assert f"list comprehension inlined: {INLINED}" in out
    assert "code objects inside lazy_squares: ['<genexpr>']" in out
    if INLINED:
        assert "code objects inside squares_up_to: []" in out
        assert "frames in the traceback: ['inverses']" in out
        assert "'outside'" in out.split("locals() inside the comprehension:")[1].splitlines()[0]
    else:
        assert "code objects inside squares_up_to: ['<listcomp>']" in out
        assert "frames in the traceback: ['inverses', '<listcomp>']" in out
        assert "locals() inside the comprehension: ['.0', '_']" in out


@pytest.mark.slow
def test_shadowing_mangling_and_pitfalls(out: str) -> None:
    assert "TypeError: 'list' object is not callable" in out
    assert "['a', 'b', 'c']" in out
    assert "{'_Account__balance': 100}" in out
    assert "('_Account__balance',)" in out
    assert "'_Base__token': 'base token', '_Plugin__token': 'plugin token'" in out
    assert "'_state': 'plugin'" in out
    assert "Base still finds its own token: base token" in out
    assert "balance(): 1000000" in out
    assert (
        len(re.findall(r"AttributeError: 'Account' object has no attribute '__balance'", out)) == 2
    )
    assert "NameError: name '_Quota__limit' is not defined" in out
    assert "NameError: name 'problem' is not defined" in out
    assert "x is still 1" in out


def test_the_prose_states_the_version_facts_it_teaches() -> None:
    prose = " ".join(markdown(LESSON))
    for fact in (
        "LOAD_FAST",
        "LOAD_DEREF",
        "LOAD_GLOBAL",
        "LOAD_FAST_LOAD_FAST",
        "LOAD_FAST_BORROW",
        "LOAD_FAST_CHECK",
        "PEP 709",
        "3.12",
        "Generator expressions are",
        "exercises/ps07_scopes.ipynb",
    ):
        assert fact in prose, f"the lesson no longer mentions {fact!r}"


# --- the lesson, run once in full mode ---------------------------------------------------------


@pytest.mark.slow
def test_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """About 10 s here: the full-size lookup measurement is the only slow cell."""
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    notebook = execute_lesson(LESSON)
    text = printed(notebook)
    assert "Fast mode is on" not in text
    assert re.search(r"^\s*built-in: +[\d.]+ ns", text, re.M)


# --- the helpers -------------------------------------------------------------------------------


def test_instructions_are_grouped_by_the_scope_they_read() -> None:
    for opname, scope in [
        ("LOAD_FAST", "local"),
        ("LOAD_FAST_CHECK", "local"),
        ("LOAD_FAST_LOAD_FAST", "local"),
        ("LOAD_FAST_BORROW", "local"),
        ("LOAD_DEREF", "enclosing (a cell)"),
        ("LOAD_GLOBAL_BUILTIN", "global, then built-in"),
        ("LOAD_NAME", "local dict, then global, then built-in"),
    ]:
        assert bytecode.scope_of(opname) == scope
    assert bytecode.scope_of("LOAD_CONST") is None
    assert bytecode.scope_of("LOAD_ATTR") is None


def _sample():
    offset = 2

    def inner(a, b):
        return a + b + offset + len("x") + math.floor(1.5)

    return inner


def test_name_loads_reads_this_interpreters_bytecode() -> None:
    loads = {load.name: load.scope for load in bytecode.name_loads(_sample())}
    assert loads == {
        "a": "local",
        "b": "local",
        "offset": "enclosing (a cell)",
        "len": "global, then built-in",
        "math": "global, then built-in",
    }
    lines = bytecode.describe_loads(_sample()).splitlines()
    assert len(lines) == len({(line.split(":")[0], line.split()[1]) for line in lines})


def test_code_names_and_inlining_match_the_interpreter() -> None:
    tables = bytecode.code_names(_sample())
    assert tables["co_freevars (from an enclosing function)"] == ("offset",)
    assert bytecode.comprehensions_are_inlined() is INLINED

    def genexpr():
        return (n for n in range(3))

    assert bytecode.nested_code_names(genexpr) == ["<genexpr>"]


@pytest.mark.parametrize("kind", [*lookups.KINDS, lookups.CALL, "empty loop"])
def test_each_timed_loop_reads_its_name_the_right_number_of_times(kind: str) -> None:
    func = lookups.lookup_function(kind)
    assert func(3) is None
    if kind == "empty loop":
        return
    name = "len(value)" if kind == lookups.CALL else ("len" if kind == "built-in" else "value")
    reads = [line.strip() for line in lookups.loop_source(kind).splitlines()]
    assert reads.count(name) == lookups.LOOKUPS_PER_PASS
    loaded = bytecode.name_loads(func)
    if kind in lookups.KINDS:
        scopes = {load.scope for load in loaded if load.name == name}
        assert len(scopes) == 1
        expected = {"local": "local", "enclosing": "enclosing (a cell)"}.get(
            kind, "global, then built-in"
        )
        assert scopes == {expected}


def test_measure_lookups_returns_one_record_per_kind_and_the_plot_draws_them() -> None:
    records = lookups.measure_lookups(2_000, repeats=1, kinds=[*lookups.KINDS, lookups.CALL])
    assert [r.kind for r in records] == [*lookups.KINDS, lookups.CALL]
    assert all(r.ns_per_lookup >= 0 and r.passes == 2_000 for r in records)
    rows = lookups.compare_to_local(records)
    assert [kind for kind, _, _ in rows] == [r.kind for r in records]
    assert "per million lookups" in lookups.describe_spread(records)
    fig, ax = plot_lookups(records)
    try:
        assert len(ax.patches) == len(records)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels[0] == "local" and labels[-1].startswith("len(value)")
    finally:
        plt.close(fig)


# --- the graded set's predictions -------------------------------------------------------------


def _outcome(source: str) -> str:
    """What running ``source`` as a program prints (without the final newline), or the name of
    the exception it raises."""
    stdout = io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout):
            exec(compile(source, "<item>", "exec"), {"__name__": "__main__"})
    except Exception as error:
        assert stdout.getvalue() == "", "an item printed something before it raised"
        return type(error).__name__
    text = stdout.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n"), "an item printed more than one line"
    return text[:-1]


def test_the_prediction_items_print_what_the_reference_predicts() -> None:
    student = nbformat.read(PATHS.exercises / "ps07_scopes.ipynb", as_version=4)
    items = {}
    for cell in student.cells:
        if cell.cell_type == "markdown":
            items.update(
                re.findall(r"^\*\*([A-I])\*\*\n```python\n(.*?)```", cell.source, re.S | re.M)
            )
    assert sorted(items) == list("ABCDEFGHI")
    master = (PATHS.root / "solutions" / "ps07_scopes.py").read_text()
    solution = re.search(
        r"### BEGIN SOLUTION\n(PREDICTIONS = \{.*?\})\n### END SOLUTION", master, re.S
    )
    assert solution, "the reference predictions are not where this test looks for them"
    namespace: dict = {}
    exec(solution.group(1), namespace)
    reference = namespace["PREDICTIONS"]
    assert {item: _outcome(code) for item, code in items.items()} == reference
