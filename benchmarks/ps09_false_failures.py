"""How often do ps09's race checks misgrade? False failures of the reference, misses of racy
answers.

The race checks of ``ps09_thread_safety`` force their interleavings (threads released
together, a 1 µs switch interval, a thread switch before every line of the answer cell, and
meetings that make threads wait for each other at the worst moment), so that a missing lock or
a bad lock order fails every time and a correct answer never does. This measures it: each
check cell (visible and hidden tests, read from the instructor notebook in ``grading/source``)
is run many times on the reference solution, which must always pass, and on racy answers from
the corpus, which must always fail. Every run gets a fresh namespace; runs go to a few worker
processes at once, which also keeps the machine busy, as a grading server would be.

Run by hand, not by the test suite:

    .venv/bin/python benchmarks/ps09_false_failures.py [--runs 200] [--jobs 4]

It prints, per check and answer, the runs, the misgrades (a false failure for the reference,
a miss for a racy answer), the first misgrade's message and the time per run.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat

from advpy.course.paths import course_paths
from advpy.lessons.context import machine_summary
from advpy.lessons.timing import load_note

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from corpus import corpus_answers  # noqa: E402  (the test suite's reader of the corpus)

ASSIGNMENT = "ps09_thread_safety"
#: The race checks, each with the corpus answers that race in it.
RACE_CHECKS = {
    "loading_cache_tests_threads": ["wrong_cache_no_lock", "wrong_cache_check_then_load"],
    "transfer_tests_no_deadlock": ["wrong_transfer_naive_order"],
}


def load_cells() -> tuple[list[str], dict[str, str], dict[str, str]]:
    """The set-up cells, the reference answer cells and the test cells, by grade id."""
    path = course_paths().source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    setup, answers, tests = [], {}, {}
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta:
            continue
        if meta.get("solution"):
            answers[meta["grade_id"]] = cell.source
        elif meta.get("grade"):
            tests[meta["grade_id"]] = cell.source
        elif meta.get("locked"):
            setup.append(cell.source)
    return setup, answers, tests


def run_check(setup: list[str], answers: dict[str, str], check: str, code: str) -> str:
    """Run the set-up, the answer cells (each compiled as a file of its own, as a notebook
    does) and one test cell in a fresh namespace; "" if the cell passed, else why it failed."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        for index, source in enumerate(setup):
            exec(compile(source, f"<setup {index}>", "exec"), namespace)
        for grade_id, source in answers.items():
            exec(compile(source, f"<{grade_id}>", "exec"), namespace)
        exec(compile(code, f"<{check}>", "exec"), namespace)
    except Exception as error:  # the cell failed: that is the verdict being measured
        return f"{type(error).__name__}: {str(error).splitlines()[0][:110]}"
    finally:
        namespace.clear()
        gc.collect()
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per check and answer")
    parser.add_argument("--jobs", type=int, default=4, help="worker processes")
    args = parser.parse_args(argv)

    setup, reference, tests = load_cells()
    corpus = {a.name: a.cells(list(reference), reference) for a in corpus_answers(ASSIGNMENT)}
    print(machine_summary())
    print(load_note())
    print(f"{args.runs} runs per check and answer, {args.jobs} worker processes\n")
    print(f"{'check':30} {'answer':30} {'runs':>5} {'misgraded':>10} {'s/run':>6}  first misgrade")
    total_start, misgraded_total = time.perf_counter(), 0
    with ProcessPoolExecutor(args.jobs) as pool:
        for check, racy in RACE_CHECKS.items():
            for name in ["reference", *racy]:
                answers = reference if name == "reference" else corpus[name]
                start = time.perf_counter()
                verdicts = list(
                    pool.map(
                        run_check,
                        [setup] * args.runs,
                        [answers] * args.runs,
                        [check] * args.runs,
                        [tests[check]] * args.runs,
                    )
                )
                seconds = (time.perf_counter() - start) * args.jobs / args.runs
                # The reference must pass ("" = passed); a racy answer must fail.
                wrong = [v for v in verdicts if (v != "") == (name == "reference")]
                misgraded_total += len(wrong)
                kind = "false failures" if name == "reference" else "misses"
                first = (wrong[0] or "passed") if wrong else "-"
                print(
                    f"{check:30} {name:30} {args.runs:5} {len(wrong):4} {kind:<14}"
                    f"{seconds:5.2f}  {first}"
                )
                reasons = Counter(v.split(":")[0] for v in verdicts if v)
                if reasons and name != "reference":
                    print(f"{'':61} failed with: {dict(reasons)}")
    print(f"\nmisgraded in all: {misgraded_total} (expected: 0)")
    print(f"total time: {time.perf_counter() - total_start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
