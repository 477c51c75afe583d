"""Grade one class three times: with plain ``nbgrader autograde``, with ``advpy grade`` (test
cells run by its judge, outside the answers' processes) and with ``advpy grade
--verdicts-in-kernel`` (test cells beside the answers, as nbgrader runs them).

Builds a class of N submissions (default 40) of ps31_two_sum from its graded corpus (the
reference solution and every correct and wrong answer, in turn), copies it into three scratch
courses, grades one with each, and prints the times, the ratios, the time per notebook (so the
judge's cost per notebook), and whether every cell's score agrees with nbgrader's.

    .venv/bin/python benchmarks/grade_speed.py [--students N] [--jobs J] [--assignment psNN]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus import corpus_answers  # noqa: E402
from grading_helpers import TIMING, error_text, source_answers  # noqa: E402

from advpy.course.paths import course_paths  # noqa: E402
from advpy.course.scratch import (  # noqa: E402
    make_scratch_course,
    read_scores,
    run_nbgrader,  # noqa: E402
    solution_cell_ids,
    student_notebook,
    submit,
    with_answers,
)
from advpy.grade.executor import default_jobs  # noqa: E402
from advpy.grade.results import SubmissionOutcome  # noqa: E402
from advpy.grade.runner import GradeOptions, grade_assignment  # noqa: E402


def build_class(assignment: str, students: int, destination: Path, blank_only: bool) -> Path:
    """A scratch course with ``students`` submissions drawn in turn from the corpus (or all
    the unanswered notebook, whose checks fail at once: what is left is overhead)."""
    course = make_scratch_course(course_paths(), [assignment], destination)
    blank = student_notebook(course, assignment)
    answer_ids = solution_cell_ids(blank)
    pool: list[tuple[str, dict[str, str]]] = [("blank", {})]
    if not blank_only:
        reference = source_answers(assignment)
        pool = [("reference", reference)]
        for answer in corpus_answers(assignment):
            pool.append((answer.name, answer.cells(answer_ids, reference)))
    for number in range(students):
        name, code = pool[number % len(pool)]
        notebook = with_answers(blank, code) if code else blank
        submit(course, assignment, f"s{number:03d}_{name}", notebook)
    return course


def print_breakdown(outcomes: list[SubmissionOutcome], wall: float, jobs: int) -> None:
    """Where ``advpy grade``'s time went, per notebook on average: its cells by kind (as timed
    where they ran), the rest of the sandboxed worker's time on it (fork, files, collecting
    records), and the grader's own work outside the workers (the wall time the workers did not
    spend in notebooks: scoring with nbgrader's preprocessors, writing, the gradebook)."""
    notebooks = [nb for outcome in outcomes for nb in outcome.notebooks]
    n = len(notebooks)
    if not n:
        return
    kinds = {"answers": 0.0, "other": 0.0, "tests": 0.0}
    for notebook in notebooks:
        for kind, seconds in notebook.cell_seconds.items():
            kinds[kind] = kinds.get(kind, 0.0) + seconds
    inside = sum(nb.seconds for nb in notebooks)
    test_cpu = sum(nb.test_cpu for nb in notebooks)
    rows = [
        ("the learner's cells", kinds["answers"]),
        ("the instructor's other cells", kinds["other"]),
        ("the test cells", kinds["tests"]),
        ("the worker around them", inside - sum(kinds.values())),
        ("the grader outside the workers", max(0.0, wall * jobs - inside)),
    ]
    total = sum(seconds for _, seconds in rows)
    print(f"where advpy grade's time went, per notebook ({jobs} workers' time / {n} notebooks):")
    for what, seconds in rows:
        print(f"  {what:32s} {seconds / n * 1000:7.0f} ms  {seconds / total:6.1%}")
    print(f"  the test cells' CPU time (judge and answer)  {test_cpu / n * 1000:7.0f} ms")
    print(
        f"  total / (the test cells' time / workers): {wall / (kinds['tests'] / jobs):.2f}x; "
        f"/ (their CPU time / workers): {wall / (test_cpu / jobs):.2f}x (1.00x: the tests alone)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--assignment", default="ps31_two_sum")
    parser.add_argument(
        "--blank", action="store_true", help="only unanswered notebooks: measures overhead"
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="advpy-grade-speed-"))
    try:
        plain = build_class(args.assignment, args.students, scratch / "plain", args.blank)
        fast = scratch / "advpy"
        shutil.copytree(plain, fast)
        kernel = scratch / "advpy-kernel"
        shutil.copytree(plain, kernel)

        started = time.perf_counter()
        run_nbgrader(["autograde", args.assignment, "--force"], plain)
        plain_seconds = time.perf_counter() - started

        started = time.perf_counter()
        summary = grade_assignment(GradeOptions(args.assignment, fast, jobs=args.jobs))
        fast_seconds = time.perf_counter() - started

        started = time.perf_counter()
        options = GradeOptions(args.assignment, kernel, jobs=args.jobs, verdicts_in_kernel=True)
        grade_assignment(options)
        kernel_seconds = time.perf_counter() - started

        expected = read_scores(plain, args.assignment)
        got = read_scores(fast, args.assignment)
        differences, timing = [], []
        for student in sorted(set(expected) | set(got)):
            for cell in sorted(set(expected.get(student, {})) | set(got.get(student, {}))):
                a = expected.get(student, {}).get(cell)
                b = got.get(student, {}).get(cell)
                if a is not None and b is not None and a.score == b.score:
                    continue
                line = (
                    f"  {student} {cell}: nbgrader {a.score if a else None}, "
                    f"advpy {b.score if b else None}"
                )
                failing = plain if a is not None and b is not None and a.score < b.score else fast
                message = error_text(failing, args.assignment, student, cell)
                if a is not None and b is not None and any(t in message for t in TIMING):
                    timing.append(f"{line} ({message[:90]}...)")
                else:
                    differences.append(line)
        n = args.students
        kind = "unanswered notebooks" if args.blank else "submissions from the corpus"
        print(f"class: {n} {kind} of {args.assignment}; advpy grade with {args.jobs} jobs")
        print(f"nbgrader autograde: {plain_seconds:7.1f} s  ({plain_seconds / n:.2f} s/notebook)")
        print(f"advpy grade:        {fast_seconds:7.1f} s  ({fast_seconds / n:.2f} s/notebook)")
        print(
            f"  with verdicts in the kernel: {kernel_seconds:7.1f} s "
            f"({kernel_seconds / n:.2f} s/notebook): the judge costs "
            f"{(fast_seconds - kernel_seconds) / n * 1000:+.0f} ms per notebook"
        )
        print(f"speed-up over nbgrader: {plain_seconds / fast_seconds:.1f}x")
        print_breakdown(summary.outcomes, fast_seconds, args.jobs)
        if timing:
            print(f"{len(timing)} growth-rate checks were timed differently (a busy machine):")
            print("\n".join(timing))
        if differences:
            print(f"scores DIFFER in {len(differences)} cells:")
            print("\n".join(differences))
            return 1
        cells = sum(len(v) for v in expected.values())
        same = cells - len(timing)
        print(f"scores agree: {same} of {cells} graded cells of {len(expected)} submissions")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
