"""What ``advpy grade`` writes besides grades: feedback in the words of ``advpy check``, the
report (CSV, plots, flagged list), and its command line (no sandbox tool: a clear error; the
explicit opt-out: grading unprotected, with a warning)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import mistune
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from advpy.course.paths import CoursePaths
from advpy.course.preprocessors import HideHiddenTestOutputs
from advpy.course.scratch import (
    make_scratch_course,
    read_scores,
    run_nbgrader,
    solution_cell_ids,
    student_notebook,
    submit,
    with_answers,
)
from advpy.grade.feedback import feedback_blocks, to_html, to_markdown
from advpy.grade.protocol import NotebookStatus
from advpy.grade.results import CheckOutcome, NotebookOutcome, SubmissionOutcome
from advpy.grade.runner import GradeOptions, GradeSummary, grade_assignment
from advpy.grade.sandbox import find_bwrap
from advpy.selfcheck import run_checks

ASSIGNMENT = "ps31_two_sum"
CORPUS = Path(__file__).resolve().parent / "corpus" / ASSIGNMENT


@pytest.fixture(scope="module")
def small_class(
    paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, GradeSummary]:
    find_bwrap()
    course = make_scratch_course(paths, [ASSIGNMENT], tmp_path_factory.mktemp("feedback"))
    blank = student_notebook(course, ASSIGNMENT)
    answer = solution_cell_ids(blank)[0]
    for name in ("wrong_self_pair", "wrong_lists", "correct_counter"):
        code = (CORPUS / f"{name}.py").read_text()
        submit(course, ASSIGNMENT, name, with_answers(blank, {answer: code}))
    submit(course, ASSIGNMENT, "blank", blank)
    # What nbgrader's exchange leaves beside a collected submission.
    collected = course / "submitted" / "correct_counter" / ASSIGNMENT
    (collected / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC")
    (collected / "submission_secret.txt").write_text("a-secret-of-the-exchange")
    return course, grade_assignment(GradeOptions(ASSIGNMENT, course, jobs=2))


@pytest.mark.slow
@pytest.mark.parametrize("student", ["wrong_self_pair", "wrong_lists"])
def test_feedback_uses_the_words_of_advpy_check(small_class, student: str) -> None:  # noqa: ANN001
    course, _ = small_class
    notebook = course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    feedback = (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.md").read_text()
    checked = [r for r in run_checks(notebook) if r.error is not None]
    assert checked, "advpy check found no failure to compare"
    for result in checked:
        # Each visible failure reads the same in the feedback, word for word.
        for line in result.error.splitlines():
            assert line in feedback, f"{result.grade_id}: {line!r} is not in the feedback"
        assert f"FAIL  {result.grade_id}" in feedback


@pytest.mark.slow
def test_feedback_says_what_passed_and_what_failed(small_class) -> None:  # noqa: ANN001
    course, summary = small_class
    for outcome in summary.outcomes:
        page = course / "feedback" / outcome.student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        text = page.read_text()
        assert f"Score: {outcome.score:g} / 10 points" in text
        for check in outcome.notebooks[0].checks:
            mark = "PASS" if check.earned == check.points else "FAIL"
            assert f"{mark}  {check.grade_id}" in text
            assert "<pre>" in text and "find_pairs" in text


@pytest.mark.slow
def test_nbgrader_releases_the_feedback_as_it_is(small_class, tmp_path: Path) -> None:  # noqa: ANN001
    from nbgrader.utils import notebook_hash

    course, _ = small_class
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    run_nbgrader(
        [
            "release_feedback",
            ASSIGNMENT,
            "--student=correct_counter",
            f"--Exchange.root={exchange}",
            "--CourseDirectory.course_id=course",
        ],
        course,
    )
    name = notebook_hash(secret="a-secret-of-the-exchange", notebook_id=ASSIGNMENT)
    released = exchange / "course" / "feedback" / f"{name}.html"
    assert released.is_file(), sorted(p.name for p in exchange.rglob("*"))
    assert "correct_counter" in released.read_text()


@pytest.mark.slow
def test_report_files(small_class) -> None:  # noqa: ANN001
    course, summary = small_class
    folder = course / "reports" / ASSIGNMENT
    with open(folder / "grades.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    scores = read_scores(course, ASSIGNMENT)
    assert sorted(rows) == sorted(scores)
    for student, cells in scores.items():
        assert float(rows[student]["score"]) == sum(c.score for c in cells.values())
        for grade_id, cell in cells.items():
            assert float(rows[student][grade_id]) == cell.score
    for name in ("score_histogram.png", "check_pass_rates.png"):
        assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (folder / "flagged.md").read_text().startswith(f"# {ASSIGNMENT}")
    assert "4 submissions (4 graded now, 0 unchanged" in summary.line()


def _cli(
    course: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "advpy.cli", "grade", ASSIGNMENT, "--course", str(course)]
    return subprocess.run(
        [*command, *extra], capture_output=True, text=True, timeout=300, env=env, check=False
    )


@pytest.mark.slow
def test_missing_bubblewrap_is_a_clear_error(paths: CoursePaths, tmp_path: Path) -> None:
    course = make_scratch_course(paths, [ASSIGNMENT], tmp_path / "course")
    submit(course, ASSIGNMENT, "someone", student_notebook(course, ASSIGNMENT))
    done = _cli(course, env={**os.environ, "PATH": str(tmp_path / "empty")})
    assert done.returncode == 2
    assert "apt-get install bubblewrap" in done.stderr
    assert "--unsafe-no-sandbox" in done.stderr
    assert not (course / "autograded").exists(), "something was graded without a sandbox"


@pytest.mark.slow
def test_unsafe_opt_out_grades_without_sandbox(paths: CoursePaths, tmp_path: Path) -> None:
    course = make_scratch_course(paths, [ASSIGNMENT], tmp_path / "course")
    blank = student_notebook(course, ASSIGNMENT)
    answer = solution_cell_ids(blank)[0]
    code = (CORPUS / "wrong_swapped.py").read_text()
    submit(course, ASSIGNMENT, "someone", with_answers(blank, {answer: code}))
    canary = Path(tempfile.mkstemp(prefix="advpy-canary-")[1])  # in the machine's own /tmp
    done = _cli(course, "--unsafe-no-sandbox", "--jobs", "1")
    assert canary.exists(), "grading without a sandbox deleted files of the machine's /tmp"
    canary.unlink()
    assert done.returncode == 0, done.stderr
    assert "WARNING: grading without a sandbox" in done.stderr
    assert "1 submissions (1 graded now" in done.stdout
    assert sum(c.score for c in read_scores(course, ASSIGNMENT)["someone"].values()) == 0


HIDDEN_CELL = """from advpy.checks import expect_same

expect_same(find([1]), [], "find([1])", show=True)
### BEGIN HIDDEN TESTS
expect_same(find([4, 6, 1, 9]), [], "a longer example gave a wrong list of pairs")
### END HIDDEN TESTS
"""


def _error(name: str, text: str) -> object:
    return new_output("error", ename=name, evalue=text, traceback=[f"{name}: {text}", "line 3"])


@pytest.mark.parametrize(
    ("name", "text", "shown"),
    [
        (
            "AssertionError",
            "a longer example gave a wrong list of pairs",
            "AssertionError: a longer example gave a wrong list of pairs",
        ),
        ("ValueError", "called with [4, 6, 1, 9]", "ValueError: raised while your code ran"),
        ("AssertionError", "[4, 6, 1, 9]", "AssertionError: raised while your code ran"),
        ("Seen_4_6_1_9", "[4, 6, 1, 9]", "Exception: raised while your code ran"),
    ],
)
def test_hidden_test_feedback_keeps_only_the_checks_words(name: str, text: str, shown: str) -> None:
    """``nbgrader generate_feedback``'s view of a cell with hidden tests: a check's own message
    stays; anything else (what the learner's code raised, or printed) keeps its type only."""
    cell = new_code_cell(HIDDEN_CELL)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True}
    cell.outputs = [new_output("stream", name="stdout", text="[4, 6, 1, 9]"), _error(name, text)]
    notebook, _ = HideHiddenTestOutputs().preprocess(new_notebook(cells=[cell]), {})
    (output,) = notebook.cells[0].outputs
    assert output.traceback[0].startswith(shown)
    assert "4, 6" not in output.traceback[0] + output.evalue and "Seen_" not in output.ename


def test_feedback_escapes_student_text() -> None:
    """A student id or note that holds Markdown or HTML stays text in both forms."""
    forged = "x <img src=y>\n# forged **bold** [link](z)"
    check = CheckOutcome("tests_a", 2.0, 0.0, "AssertionError: ```\n</pre><b>", "what")
    notebook = NotebookOutcome("nb", NotebookStatus.OK, "", [check], [f"tagged {forged}"])
    outcome = SubmissionOutcome(forged, "f", [notebook], [], "now")
    blocks = feedback_blocks("nb", outcome, notebook)
    markdown = to_markdown(blocks)
    rendered = str(mistune.html(markdown))
    page = to_html("title", blocks)
    for html_text in (rendered, page):
        assert html_text.count("<h1>") == 1 and "<img" not in html_text, html_text
        assert "<b>" not in html_text and "<a " not in html_text, html_text
    assert rendered.count("<pre>") == 1 and page.count("<pre>") == 1
