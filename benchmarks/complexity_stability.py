"""How often do the exercises' complexity checks misgrade, on a machine with a busy core?

For every exercise whose instructor notebook (``grading/source/``) has a complexity check (a
test cell calling ``advpy.checks``' ``expect_scaling`` or ``measure_scaling``), this runs that
cell's own code
many times: on the reference solution, which must always pass, and on each too-slow answer of
the exercise's corpus (``tests/corpus/<exercise>/wrong_*`` whose ``# fails:`` line names only
complexity cells), which must always fail. Meanwhile a second process keeps one core busy.
The cell code is read from the generated notebooks, so the sizes, factors and tolerances
measured are exactly the ones learners are graded with.

Run by hand (``make benchmarks``), not by the test suite:

    .venv/bin/python benchmarks/complexity_stability.py [--runs 20] [--only ps37] [--no-busy]

It prints, per exercise and answer, the misgrades and the range of growth ratios seen (the
answer's growth divided by the reference's; a check fails above its tolerance, 3 unless the
cell says otherwise), then the total misgrade count (expected: 0) and the total time.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

import advpy.checks as checks
from advpy.course.paths import course_paths
from advpy.lessons.context import machine_summary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from corpus import corpus_answers  # noqa: E402  (the test suite's reader of the corpus)

SCALING_CALLS = ("_scaling(",)  # expect_/measure_ scaling, wall-clock or CPU time
BUSY_LOOP = "while True:\n    pass\n"


@dataclass
class Exercise:
    """The code a complexity check needs: set-up cells, answer cells, the check itself."""

    name: str
    setup: list[str]
    answers: dict[str, str]  # answer cell grade id -> reference code
    checks: dict[str, str]  # complexity cell grade id -> its code


@dataclass
class Tally:
    """What one answer got over the runs."""

    label: str
    must_pass: bool
    runs: int = 0
    misgrades: int = 0
    ratios: list[float] = field(default_factory=list)
    stopped: int = 0  # runs whose large call was stopped as far too slow
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _nbgrader(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def load_exercise(path: Path) -> Exercise | None:
    """The exercise in instructor notebook ``path``, or None when it has no complexity check."""
    notebook = nbformat.read(path, as_version=4)
    setup, answers, found = [], {}, {}
    for cell in notebook.cells:
        meta = _nbgrader(cell)
        if cell.cell_type != "code" or not meta:
            continue
        if meta.get("solution"):
            answers[meta["grade_id"]] = cell.source
        elif meta.get("grade"):
            if any(call in cell.source for call in SCALING_CALLS):
                found[meta["grade_id"]] = cell.source
        elif meta.get("locked"):
            setup.append(cell.source)
    if not found:
        return None
    return Exercise(path.stem, setup, answers, found)


def too_slow_answers(exercise: Exercise) -> list[tuple[str, dict[str, str]]]:
    """Corpus answers that must fail the complexity checks and nothing else."""
    slow = []
    for answer in corpus_answers(exercise.name):
        if answer.correct or not answer.must_fail:
            continue
        if all(grade_id in exercise.checks for grade_id in answer.must_fail):
            slow.append((answer.name, answer.cells(list(exercise.answers), exercise.answers)))
    return slow


@contextmanager
def recorded_reports() -> Iterator[list[checks.ScalingReport]]:
    """Collect every ScalingReport the checks compute, without changing what they do."""
    reports: list[checks.ScalingReport] = []
    originals = {"measure_scaling": checks.measure_scaling}

    def recording(original: Any) -> Any:
        def measure(*args: Any, **kwargs: Any) -> checks.ScalingReport:
            report = original(*args, **kwargs)
            reports.append(report)
            return report

        return measure

    for name, original in originals.items():
        setattr(checks, name, recording(original))
    try:
        yield reports
    finally:
        for name, original in originals.items():
            setattr(checks, name, original)


def run_check(exercise: Exercise, answers: dict[str, str], grade_id: str) -> tuple[bool, str]:
    """Run the set-up cells, the answer cells and one complexity cell in a fresh namespace;
    True when the cell raised nothing."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    cells = [*exercise.setup, *(answers.get(g, code) for g, code in exercise.answers.items())]
    for index, source in enumerate(cells):
        exec(compile(source, f"<{exercise.name} cell {index}>", "exec"), namespace)
    try:
        exec(compile(exercise.checks[grade_id], f"<{grade_id}>", "exec"), namespace)
    except Exception as error:  # the cell failed: that is the verdict being measured
        return False, f"{type(error).__name__}: {error}"
    finally:
        namespace.clear()
        gc.collect()
    return True, ""


@contextmanager
def busy_core(enabled: bool) -> Iterator[None]:
    """Keep one core busy with a second Python process for the duration of the block."""
    if not enabled:
        yield
        return
    process = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(exercise: Exercise, runs: int) -> list[Tally]:
    """Every complexity check of ``exercise``, ``runs`` times on each answer."""
    tallies = []
    subjects = [("reference", exercise.answers, True)]
    subjects += [(name, code, False) for name, code in too_slow_answers(exercise)]
    for grade_id in exercise.checks:
        for label, answers, must_pass in subjects:
            tally = Tally(f"{grade_id} / {label}", must_pass)
            started = time.perf_counter()
            for _ in range(runs):
                with recorded_reports() as reports:
                    passed, error = run_check(exercise, answers, grade_id)
                tally.runs += 1
                if passed != must_pass:
                    tally.misgrades += 1
                    if error:
                        tally.errors.append(error.splitlines()[0][:160])
                for report in reports:
                    tally.ratios.append(report.growth / report.reference_growth)
                    tally.stopped += report.timed_out
            tally.seconds = time.perf_counter() - started
            tallies.append(tally)
            print(describe(tally), flush=True)
    return tallies


def describe(tally: Tally) -> str:
    """One line per answer: verdicts, growth ratios, time."""
    expected = "pass" if tally.must_pass else "fail"
    ratios = sorted(tally.ratios)
    spread = f"ratio {ratios[0]:.2f}..{ratios[-1]:.2f}" if ratios else "no ratio"
    if tally.stopped:
        spread += f" ({tally.stopped} stopped early: ratio at least that)"
    line = (
        f"  {tally.label:55s} must {expected}: misgraded {tally.misgrades}/{tally.runs}, "
        f"{spread}, {tally.seconds / max(tally.runs, 1):.1f} s/run"
    )
    for error in tally.errors[:3]:
        line += f"\n      {error}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per answer (default 20)")
    parser.add_argument("--only", action="append", help="exercise name prefix, e.g. ps37")
    parser.add_argument("--no-busy", action="store_true", help="do not keep a core busy")
    args = parser.parse_args(argv)

    paths = course_paths()
    sources = sorted(paths.source.glob("ps*/ps*.ipynb"))
    if args.only:
        sources = [s for s in sources if any(s.stem.startswith(o) for o in args.only)]
    exercises = [e for e in (load_exercise(s) for s in sources) if e is not None]
    print(machine_summary())
    load = "no busy core" if args.no_busy else "one core kept busy by another process"
    print(f"{len(exercises)} exercises with complexity checks, {args.runs} runs per answer, {load}")
    started = time.perf_counter()
    total_misgrades = total_runs = 0
    with busy_core(not args.no_busy):
        for exercise in exercises:
            print(f"{exercise.name}:")
            if not too_slow_answers(exercise):
                print("  (no too-slow answer in the corpus: only the reference is measured)")
            for tally in measure(exercise, args.runs):
                total_misgrades += tally.misgrades
                total_runs += tally.runs
    elapsed = time.perf_counter() - started
    print(f"misgrades: {total_misgrades} of {total_runs} runs (expected 0); {elapsed:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
