"""The checking helpers for the type-hints exercises: mypy run in-process on an answer cell and
usage snippets, expected errors read from ``# expect:`` comments and compared exactly, messages
that show mypy's words for visible tests and hide a hidden snippet's text, and the text of the
cell a function was defined in."""

from __future__ import annotations

import gc
import linecache
import os
import subprocess
import sys
import tempfile
import textwrap
import types
from pathlib import Path

import pytest

import advpy.checks as checks
from advpy.checks import (
    cell_source,
    expect_mypy,
    expected_mypy_errors,
    format_mypy,
    mypy_errors,
    run_mypy,
)

ANSWER = textwrap.dedent(
    """\
    from collections.abc import Iterable
    from typing import TypeVar

    T = TypeVar("T")

    def head(items: Iterable[T]) -> T | None:
        return next(iter(items), None)
    """
)


def test_run_mypy_names_the_modules_and_reads_codes() -> None:
    usage = "from answer import head\nfound = head([1])\nx: str = found\nreveal_type(head('ab'))\n"
    messages = run_mypy(ANSWER, usage)
    errors = [(m.module, m.line, m.code) for m in messages if m.severity == "error"]
    assert errors == [("usage", 3, "assignment")]
    notes = [m for m in messages if m.severity == "note"]
    assert notes and notes[0].text == 'Revealed type is "str | None"' and notes[0].code is None
    assert "usage.py:3: error: Incompatible types in assignment" in format_mypy(messages)
    assert format_mypy([]) == "mypy: no errors"


def test_strict_is_on_by_default_and_can_be_left_off() -> None:
    untyped = "def f(x):\n    return x\n"
    assert mypy_errors(untyped) == [(1, "no-untyped-def")]
    assert mypy_errors(untyped, strict=False) == []


def test_nothing_is_written_to_the_working_folder_and_settings_are_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # A project configuration in the working folder must not apply.
    (tmp_path / "mypy.ini").write_text("[mypy]\ndisallow_untyped_defs = False\nstrict = False\n")
    limit, thresholds = sys.getrecursionlimit(), gc.get_threshold()
    assert mypy_errors("def f(x):\n    return x\n") == [(1, "no-untyped-def")]
    assert sys.getrecursionlimit() == limit and gc.get_threshold() == thresholds
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mypy.ini"]


def test_the_cache_folder_is_private_and_survives_a_fresh_load_of_the_checks() -> None:
    first = checks._mypy_cache_dir()
    assert Path(first).parent == Path(tempfile.gettempdir())
    assert str(os.getpid()) in Path(first).name
    fresh = types.ModuleType("advpy_checks_copy")  # as the grader loads the checks afresh
    sys.modules[fresh.__name__] = fresh
    try:
        exec(compile(Path(checks.__file__).read_text(), checks.__file__, "exec"), fresh.__dict__)
    finally:
        del sys.modules[fresh.__name__]
    again = fresh.__dict__["_mypy_cache_dir"]
    assert callable(again) and again() == first
    assert os.stat(first).st_mode & 0o777 == 0o700


def test_expected_errors_are_read_from_comments() -> None:
    usage = "ok()\nf(1)  # expect: arg-type|call-overload\ng()  # expect: call-arg, misc\n"
    assert expected_mypy_errors(usage) == {
        2: (frozenset({"arg-type", "call-overload"}),),
        3: (frozenset({"call-arg"}), frozenset({"misc"})),
    }


def test_expect_mypy_passes_on_exactly_the_expected_errors() -> None:
    usage = "from answer import head\nhead(5)  # expect: arg-type\nn: int | None = head([1])\n"
    messages = expect_mypy(ANSWER, usage, what="uses of head", show=True)
    assert [m.code for m in messages if m.severity == "error"] == ["arg-type"]


@pytest.mark.parametrize(
    ("usage", "words"),
    [
        ("from answer import head\nhead([1])  # expect: arg-type\n", "none came"),
        ("from answer import head\nhead(5)  # expect: assignment\n", "other codes"),
        ("from answer import head\ns = head('a')\ny: int = s\n", "[assignment] was not expected"),
    ],
)
def test_visible_failures_show_the_snippet_and_mypy_s_words(usage: str, words: str) -> None:
    with pytest.raises(AssertionError) as failure:
        expect_mypy(ANSWER, usage, what="uses of head", show=True)
    text = str(failure.value)
    assert "uses of head" in text and words in text
    assert "from answer import head" in text  # the snippet, numbered


def test_hidden_failures_never_show_the_snippet_or_mypy_s_words_about_it() -> None:
    secret = "from answer import head\nzebra = head('z')\nsecret_name_42: int = zebra\n"
    with pytest.raises(AssertionError) as failure:
        expect_mypy(ANSWER, secret, what="hidden uses of head")
    text = str(failure.value)
    assert "hidden uses of head" in text and "[assignment]" in text
    for leak in ("secret_name_42", "zebra", "Incompatible types", "str | None"):
        assert leak not in text
    missed = "from answer import head\nhead([3])  # expect: arg-type\n"
    with pytest.raises(AssertionError, match=r"not reported.*\[arg-type\]") as failure:
        expect_mypy(ANSWER, missed, what="hidden misuses")
    assert "head([3])" not in str(failure.value)


def test_errors_in_the_answer_itself_fail_and_are_shown_even_in_hidden_tests() -> None:
    untyped = ANSWER + "\ndef helper(x):\n    return x\n"
    with pytest.raises(AssertionError) as failure:
        expect_mypy(untyped, "from answer import head\n", what="the answer")
    text = str(failure.value)
    assert "line 9: Function is missing a type annotation" in text
    assert "[no-untyped-def]" in text


def test_cell_source_reads_the_whole_cell_a_function_came_from() -> None:
    cell = "import math\nX = 2\n\ndef double(n: int) -> int:\n    return n * X\n"
    name = "<advpy-test-cell-1>"
    linecache.cache[name] = (len(cell), None, cell.splitlines(True), name)
    try:
        namespace: dict[str, object] = {}
        exec(compile(cell, name, "exec"), namespace)
        assert cell_source(namespace["double"]) == cell
    finally:
        del linecache.cache[name]
    with pytest.raises(AssertionError, match="run that cell"):
        cell_source(namespace["double"])
    with pytest.raises(AssertionError, match="a function defined with `def`"):
        cell_source(len)
    with pytest.raises(AssertionError, match="a function defined with `def`"):
        cell_source(type("NotAFunction", (), {}))


def test_cell_source_works_in_an_ipython_shell_with_history_off() -> None:
    """The grader runs cells through IPython's InteractiveShell with history disabled; the
    cell's text must still be found."""
    script = textwrap.dedent(
        """\
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config
        from advpy.checks import cell_source
        config = Config()
        config.HistoryManager.enabled = False
        shell = InteractiveShell.instance(config=config)
        cell = "from typing import TypeVar\\nT = TypeVar('T')\\n"
        cell += "def same(x: T) -> T:\\n    return x\\n"
        shell.run_cell(cell, store_history=True)
        shell.run_cell("other = 1", store_history=True)
        print(repr(cell_source(shell.user_ns["same"])))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == repr(
        "from typing import TypeVar\nT = TypeVar('T')\ndef same(x: T) -> T:\n    return x\n"
    )
