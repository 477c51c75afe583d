"""Lesson 08, comprehensions: it runs in fast mode and prints what its prose promises (memory
held, laziness, inlining on this interpreter, the itertools traps, a flat peak over real files).
Memory and behaviour only: the lesson's timings are printed and drawn, never asserted."""

from __future__ import annotations

import re
import sys

import pytest
from test_notebooks import PATHS, markdown, number, printed, run_lesson

from advpy.lessons import timing
from advpy.lessons.comprehensions import styles
from advpy.lessons.comprehensions.plots import plot_iteration_styles

LESSON = "08_comprehensions"


@pytest.fixture(scope="module")
def out() -> str:
    return printed(run_lesson(LESSON))


@pytest.mark.slow
def test_laziness_and_early_exit(out: str) -> None:
    assert "any over a generator: True pulled [0, 1, 2, 3]\n" in out
    assert "any over a list     : True pulled [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n" in out
    assert "is an iterator: True | first two: 0 1" in out
    eager = re.search(r"sum\(\[x \* x for x in data\]\) peak:\s+([\d,.]+) KiB", out)
    lazy = re.search(r"sum\(x \* x for x in data\)   peak:\s+([\d,.]+) KiB", out)
    assert eager and lazy, "the lesson no longer prints both peaks of section 2"
    assert number(eager.group(1)) > 100 * number(lazy.group(1))
    assert "same total: True" in out


@pytest.mark.slow
def test_peak_memory_against_size_splits_eager_from_lazy(out: str) -> None:
    peaks = dict(
        re.findall(
            r"^\s*([\w/ +]+?): +[\d.]+ ms \([\d.]+x the list comprehension\), peak\s+([\d,.]+) KiB",
            out,
            re.M,
        )
    )
    assert set(peaks) == {
        "list comprehension",
        "generator expression",
        "map/filter + lambda",
        "map + builtin",
        "map + operator",
    }
    eager = number(peaks.pop("list comprehension"))
    for style, peak in peaks.items():
        assert number(peak) < 4, f"{style} held {peak} KiB: it should hold one item at a time"
        assert eager > 100 * number(peak), (
            f"the list comprehension did not hold far more than {style}"
        )


@pytest.mark.slow
def test_every_style_is_timed_with_a_verdict(out: str) -> None:
    verdicts = re.findall(
        r"^\s*(.+?): (.+?)\s+[\d.]+x the list comprehension's time "
        r"\((faster|slower|about the same)\)$",
        out,
        re.M,
    )
    styles = {style.strip() for _, style, _ in verdicts}
    assert styles == {
        "generator expression",
        "map/filter + lambda",
        "map + builtin",
        "map + operator",
    }
    assert len(verdicts) == 17  # six jobs, every style that fits each one but the baseline


@pytest.mark.slow
def test_inlining_is_shown_as_this_interpreter_does_it(out: str) -> None:
    inlined = sys.version_info >= (3, 12)  # the kernel runs the test suite's interpreter
    assert f"| inlines comprehensions: {inlined}" in out
    names = re.search(r"code objects hidden inside squares_four_ways: (\[.*\])", out)
    assert names
    assert ("'<listcomp>'" in names.group(1)) is not inlined
    assert "'<genexpr>'" in names.group(1)
    listcomp_runs_in = "<module>" if inlined else "<listcomp>"
    assert f"a list comprehension runs in     : {listcomp_runs_in}" in out
    assert "a generator expression runs in   : <genexpr>" in out
    assert "loop variable visible afterwards: False" in out
    costs = re.findall(r"^\s*(\d+) items \| (.+?)\s+([\d,]+) ns per call$", out, re.M)
    assert {form for _, form, _ in costs} == {
        "list comprehension",
        "for loop + append",
        "list(generator expression)",
    }
    assert {int(items) for items, _, _ in costs} >= {0, 1000}


@pytest.mark.slow
def test_itertools_section(out: str) -> None:
    assert "[0, 2, 4, 6, 8] | then items 10 to 12: [20, 22, 24]" in out
    assert "balance : [100, 70, 120, -80, 0]" in out
    assert "from 500: [500, 600, 570, 620, 420, 500]" in out
    unsorted = re.search(r"without sorting: (\[.*\])", out)
    assert unsorted and unsorted.group(1).count("'tea'") == 3, "the unsorted groupby trap is gone"
    assert "sorted first   : [('coffee', 6), ('tea', 9)]" in out
    assert "[('a', []), ('b', []), ('c', [])]" in out
    if sys.version_info >= (3, 12):
        assert "[(0, 1, 2), (3, 4, 5), (6,)]" in out
    else:
        assert "itertools.batched arrived in Python 3.12" in out


@pytest.mark.slow
def test_lazy_file_pipeline_holds_a_flat_peak(out: str) -> None:
    runs = re.findall(r"^\s*(lazy|eager),\s+([\d.]+) MB file: peak\s+([\d,.]+) KiB", out, re.M)
    lazy = [(number(mb), number(kib)) for kind, mb, kib in runs if kind == "lazy"]
    eager = [(number(mb), number(kib)) for kind, mb, kib in runs if kind == "eager"]
    assert len(lazy) >= 4 and len(eager) >= 2, "the lesson measures fewer files than it says"
    assert max(kib for _, kib in lazy) < 100, "the lazy pipeline's peak is no longer small"
    assert max(kib for _, kib in lazy) < 1.5 * min(kib for _, kib in lazy), "the peak grew"
    for mb, kib in eager:
        assert kib * 1024 > mb * 1e6, "the eager pipeline held less than the file it read"
    assert "each minute once: True" in out
    assert "temporary folder removed: True" in out


@pytest.mark.slow
def test_one_shot_trap_and_pitfalls(out: str) -> None:
    assert "count: 0 <- the first pass used it up" in out
    assert "generator: ZeroDivisionError" in out
    assert "True False []" in out
    assert "['Ada', 'Grace', 'Linus']" in out
    assert "[None, None]" in out
    assert "ZeroDivisionError at the second item" in out
    assert "[100, 200, 300]" in out
    assert "NameError: name 'scale' is not defined" in out


def test_lesson_links_its_graded_set_and_03_points_here() -> None:
    text = " ".join(markdown(LESSON))
    assert "(exercises/ps08_comprehensions.ipynb)" in text
    for fact in ("PEP 709", "3.12", "one-shot", "tracemalloc", "often slower"):
        assert fact in text, f"{LESSON} no longer mentions {fact!r}"
    lesson_03 = (PATHS.notebooks / "03_generators_async.py").read_text()
    assert "(08_comprehensions.ipynb)" in lesson_03
    assert "measure_iteration_styles" not in lesson_03, "lesson 03 still times the styles itself"


def test_measure_iteration_styles_records_every_case() -> None:
    records = styles.measure_iteration_styles(2_000, repeats=1)
    assert [(r.task, r.style) for r in records] == [(c.task, c.style) for c in styles.STYLE_CASES]
    assert all(r.items == 2_000 and r.ns_per_item > 0 for r in records)
    ratios = styles.style_ratios(records)
    assert len(ratios) == len(records) - len({r.task for r in records})
    assert all(ratio > 0 for _, _, ratio in ratios)


def test_measure_iteration_styles_refuses_snippets_that_disagree() -> None:
    cases = [
        styles.StyleCase("job", "list comprehension", "[x for x in data]"),
        styles.StyleCase("job", "map/filter + lambda", "list(map(lambda x: x + 1, data))"),
    ]
    with pytest.raises(ValueError, match="same result"):
        styles.measure_iteration_styles(10, repeats=1, cases=cases)


def test_describe_ratio() -> None:
    assert timing.describe_ratio(0.5) == "faster"
    assert timing.describe_ratio(1.05) == "about the same"
    assert timing.describe_ratio(1.5) == "slower"


def test_the_iteration_styles_plot_has_one_bar_per_case() -> None:
    import matplotlib.pyplot as plt

    records = [
        styles.StyleRecord(c.task, c.style, c.code, 100, 10.0 + i)
        for i, c in enumerate(styles.STYLE_CASES)
    ]
    fig, ax = plot_iteration_styles(records)
    try:
        assert ax.get_xlabel() or ax.get_ylabel()
        bar_heights = {round(p.get_height(), 6) for p in ax.patches}
        assert len(bar_heights) == len(styles.STYLE_CASES)
    finally:
        plt.close(fig)
