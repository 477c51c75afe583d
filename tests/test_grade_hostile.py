"""``advpy grade`` against hostile and broken submissions, graded in one class with honest ones.

Every cheat in ``tests/hostile/`` must score what its honest part deserves (its ``# expect:``
line), never full marks; attacks on the notebook's structure and on the submission's files are
made here from the released notebook; the honest submissions of the same batch must be graded
exactly right; nothing may outlive the run, reach the gradebook, see the hidden tests or read
what another notebook left behind; student text is shown escaped wherever it is shown; and a
submission the grader trips on costs only that submission.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mistune
import nbformat
import psutil
import pytest
from nbformat import NotebookNode

from advpy.course.paths import CoursePaths
from advpy.course.scratch import (
    make_scratch_course,
    read_scores,
    run_nbgrader,
    solution_cell_ids,
    student_notebook,
    submit,
    with_answers,
)
from advpy.grade import runner
from advpy.grade.runner import JOURNAL_NAME, GradeOptions, GradeSummary, grade_assignment
from advpy.grade.sandbox import Limits, find_bwrap, privileged, worker_uid

ASSIGNMENT = "ps31_two_sum"
HOSTILE = Path(__file__).resolve().parent / "hostile"
CORPUS = Path(__file__).resolve().parent / "corpus" / ASSIGNMENT
HIDDEN_INPUT = "[4, 6, 1, 9, 5, 5]"  # appears only in ps31's hidden tests
#: The first hidden input of each test cell that starts its hidden part with a call (an answer
#: that raises on hidden inputs raises on these), as Python shows them.
FIRST_HIDDEN_INPUTS = ("[10, 20, 30, 40]", "[7, 7, 7, 7]")
#: The class name tests/hostile/names_its_exception.py makes from the first hidden input.
LEAKY_CLASS = "Seen_10_20_30_40"
#: Student ids made of text that must not act in the report: Markdown, HTML, a formula.
FORGED_ID = "zz <img src=x onerror=alert(1)>\n## honest_right (10 points)\n- all fine"
FORMULA_ID = "=1+2"
FORGED_TAGS = ["ok\n## honest_blank (10/10)", "<script>alert(1)</script>", "`x`** [a](b)"]
RIGHT = (CORPUS / "correct_counter.py").read_text()
WRONG = "def find_pairs(transactions, target):\n    return []\n"
TESTS = [
    "find_pairs_tests_examples",
    "find_pairs_tests_edge_cases",
    "find_pairs_tests_random",
    "find_pairs_tests_complexity",
]


@dataclass(frozen=True)
class Case:
    """A submission of the hostile class and what it must score."""

    student: str
    expect: float
    flags: tuple[str, ...] = ()


def _header(text: str, key: str) -> list[str]:
    return [
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith(f"# {key}:")
    ]


def _test_cells(notebook: NotebookNode) -> list[NotebookNode]:
    return [
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") in set(TESTS)
    ]


def structural_attacks(blank: NotebookNode, answer: str) -> dict[str, tuple[object, Case]]:
    """Notebooks damaged or edited on purpose, by student name."""
    right = with_answers(blank, {answer: RIGHT})
    wrong = with_answers(blank, {answer: WRONG})
    made: dict[str, tuple[object, Case]] = {}

    tagged = copy.deepcopy(wrong)
    for cell in _test_cells(tagged):
        cell.metadata["tags"] = ["skip-execution", "raises-exception"]
    made["tags_skip_tests"] = (tagged, Case("tags_skip_tests", 0, ("tagged",)))

    demoted = copy.deepcopy(wrong)
    for cell in _test_cells(demoted):
        cell.metadata["nbgrader"].update(grade=False, locked=False)
        cell.source = "pass"
    made["demoted_tests"] = (demoted, Case("demoted_tests", 0, ("changed",)))

    repointed = copy.deepcopy(wrong)
    for cell in _test_cells(repointed):
        cell.metadata["nbgrader"]["grade_id"] = "setup"
        cell.source = "pass"
    made["repointed_tests"] = (repointed, Case("repointed_tests", 0, ("missing",)))

    as_answers = copy.deepcopy(wrong)
    for cell in _test_cells(as_answers):
        cell.metadata["nbgrader"].update(solution=True, locked=False)
        cell.source = "pass"
    made["tests_made_answers"] = (as_answers, Case("tests_made_answers", 0, ("changed",)))

    more_points = copy.deepcopy(right)
    for cell in _test_cells(more_points):
        cell.metadata["nbgrader"]["points"] = 100
    made["more_points"] = (more_points, Case("more_points", 10, ("points",)))

    edited = copy.deepcopy(wrong)
    for cell in _test_cells(edited):
        cell.source = '"""Nothing to check."""\n'
    made["edited_tests"] = (edited, Case("edited_tests", 0, ("edited",)))

    deleted_right = copy.deepcopy(right)
    deleted_right.cells = [c for c in deleted_right.cells if c not in _test_cells(deleted_right)]
    made["deleted_tests_right"] = (deleted_right, Case("deleted_tests_right", 10, ("missing",)))

    deleted_wrong = copy.deepcopy(wrong)
    deleted_wrong.cells = [c for c in deleted_wrong.cells if c not in _test_cells(deleted_wrong)]
    made["deleted_tests_wrong"] = (deleted_wrong, Case("deleted_tests_wrong", 0, ("missing",)))

    duplicated = copy.deepcopy(right)
    answer_cell = next(
        c for c in duplicated.cells if c.metadata.get("nbgrader", {}).get("solution")
    )
    copies = [copy.deepcopy(answer_cell), copy.deepcopy(_test_cells(duplicated)[0])]
    for number, cell in enumerate(copies):
        cell["id"] = f"copy-{number}"
    duplicated.cells.append(copies[0])
    duplicated.cells.insert(3, copies[1])
    made["copied_cells"] = (duplicated, Case("copied_cells", 10, ("more than once",)))

    other_kernel = copy.deepcopy(right)
    other_kernel.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    made["other_kernel"] = (other_kernel, Case("other_kernel", 10))

    text = nbformat.writes(right)
    made["truncated_file"] = (text[: len(text) // 2], Case("truncated_file", 0, ("not a valid",)))
    made["not_json"] = ("this is not a notebook", Case("not_json", 0, ("not a valid",)))

    raw = json.loads(text)
    raw["cells"].append({"cell_type": "code", "metadata": {}, "source": 42, "outputs": []})
    raw["cells"][-1]["execution_count"] = None
    made["source_not_text"] = (json.dumps(raw), Case("source_not_text", 0, ("not text",)))
    raw = json.loads(text)
    raw["cells"].append(nbformat.v4.new_code_cell("print('\ud800')"))  # JSON escapes it
    made["lone_surrogate"] = (json.dumps(raw), Case("lone_surrogate", 0, ("lone surrogate",)))

    forged = copy.deepcopy(wrong)
    for cell in _test_cells(forged):
        cell.metadata["tags"] = FORGED_TAGS
    made[FORGED_ID] = (forged, Case(FORGED_ID, 0, ("tagged",)))
    made[FORMULA_ID] = (right, Case(FORMULA_ID, 10))
    return made


def file_attacks(course: Path, right: NotebookNode) -> dict[str, Case]:
    """Submissions whose files are not what they claim to be, by student name."""
    folder = {
        name: submit(course, ASSIGNMENT, name, right).parent
        for name in ("linked_notebook", "pipe_and_link", "temporary_name", "linked_folder")
    }
    instructor = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    (folder["linked_notebook"] / f"{ASSIGNMENT}.ipynb").unlink()
    (folder["linked_notebook"] / f"{ASSIGNMENT}.ipynb").symlink_to(instructor)
    os.mkfifo(folder["pipe_and_link"] / "data.csv")
    (folder["pipe_and_link"] / "notes.txt").symlink_to(instructor)
    partial = folder["temporary_name"] / f"{ASSIGNMENT}.ipynb.partial"
    partial.mkdir()
    (partial / "notes.txt").write_text("a folder named like a file the grader writes")
    linked = folder["linked_folder"]
    for entry in linked.iterdir():
        entry.unlink()
    linked.rmdir()
    linked.symlink_to(course / "submitted" / "honest_right" / ASSIGNMENT)
    return {
        "linked_notebook": Case("linked_notebook", 0, ("symbolic link",)),
        "pipe_and_link": Case("pipe_and_link", 10, ("named pipe", "symbolic link")),
        "temporary_name": Case("temporary_name", 10),
        "linked_folder": Case("linked_folder", 0, ("symbolic link",)),
    }


@pytest.fixture(scope="module")
def hostile_class(
    paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, GradeSummary, dict[str, Case]]:
    find_bwrap()
    course = make_scratch_course(paths, [ASSIGNMENT], tmp_path_factory.mktemp("hostile"))
    blank = student_notebook(course, ASSIGNMENT)
    answer = solution_cell_ids(blank)[0]
    cases: dict[str, Case] = {}
    for path in sorted(HOSTILE.glob("*.py")):
        text = path.read_text()
        (expect,) = _header(text, "expect")
        submit(course, ASSIGNMENT, path.stem, with_answers(blank, {answer: text}))
        cases[path.stem] = Case(path.stem, float(expect), tuple(_header(text, "flag")))
    for student, (notebook, case) in structural_attacks(blank, answer).items():
        submit(course, ASSIGNMENT, student, notebook)  # type: ignore[arg-type]
        cases[student] = case
    honest = {
        "honest_right": (RIGHT, 10.0),
        "honest_self_pair": ((CORPUS / "wrong_self_pair.py").read_text(), 5.0),
        "honest_swapped": ((CORPUS / "wrong_swapped.py").read_text(), 0.0),
        "honest_blank": (None, 0.0),
    }
    for student, (code, expect) in honest.items():
        notebook = blank if code is None else with_answers(blank, {answer: code})
        submit(course, ASSIGNMENT, student, notebook)
        cases[student] = Case(student, expect)
    empty = course / "submitted" / "no_notebook" / ASSIGNMENT
    empty.mkdir(parents=True)
    (empty / "notes.txt").write_text("forgot the notebook")
    cases["no_notebook"] = Case("no_notebook", 0, ("not submitted",))
    cases.update(file_attacks(course, with_answers(blank, {answer: RIGHT})))
    options = GradeOptions(
        ASSIGNMENT, course, jobs=2, limits=Limits(timeout=25, memory_mb=512), progress=None
    )
    summary = grade_assignment(options)
    return course, summary, cases


def _outcome(summary: GradeSummary, student: str):  # noqa: ANN202
    return next(o for o in summary.outcomes if o.student == student)


def _timing_noise(outcome) -> bool:  # noqa: ANN001
    """True when the only failed check is the O(n) growth check, failed on its timings.

    That check times the answer against the reference in the same run; on a machine loaded by
    other work (two workers grading at once, plus whatever else runs) a right answer can
    occasionally look slower, under ``advpy grade`` as under ``nbgrader autograde``. The
    cheats here are about the other checks, which are exact."""
    failed = [c for n in outcome.notebooks for c in n.checks if c.earned < c.points]
    return (
        len(failed) == 1
        and failed[0].grade_id == "find_pairs_tests_complexity"
        and "too fast" in (failed[0].error or "")
    )


def test_every_submission_is_graded(hostile_class) -> None:  # noqa: ANN001
    course, summary, cases = hostile_class
    assert sorted(o.student for o in summary.outcomes) == sorted(cases)
    scores = read_scores(course, ASSIGNMENT)
    assert sorted(scores) == sorted(cases), "the gradebook lost students"
    for student in cases:
        assert sorted(scores[student]) == sorted(TESTS), f"{student}: {sorted(scores[student])}"


@pytest.mark.parametrize(
    "student",
    [p.stem for p in sorted(HOSTILE.glob("*.py"))]
    + [
        "tags_skip_tests",
        "demoted_tests",
        "repointed_tests",
        "tests_made_answers",
        "more_points",
        "edited_tests",
        "deleted_tests_right",
        "deleted_tests_wrong",
        "copied_cells",
        "other_kernel",
        "truncated_file",
        "not_json",
        "source_not_text",
        "lone_surrogate",
        FORGED_ID,
        FORMULA_ID,
        "no_notebook",
        "linked_notebook",
        "pipe_and_link",
        "temporary_name",
        "linked_folder",
        "honest_right",
        "honest_self_pair",
        "honest_swapped",
        "honest_blank",
    ],
)
def test_scores_what_the_honest_part_deserves(hostile_class, student: str) -> None:  # noqa: ANN001
    course, summary, cases = hostile_class
    case = cases[student]
    cells = read_scores(course, ASSIGNMENT)[student]
    total = sum(c.score for c in cells.values())
    possible = sum(c.max_score for c in cells.values())
    detail = ", ".join(f"{c.grade_id}={c.score:g}" for c in cells.values())
    assert possible == 10, f"{student}: the maximum changed to {possible}"
    outcome = _outcome(summary, student)
    if case.expect == 10 and total == 8 and _timing_noise(outcome):
        total = 10  # a right answer whose O(n) check was upset by a loaded machine (see below)
    assert total == case.expect, f"{student} scored {total:g}, expected {case.expect:g}: {detail}"
    assert outcome.score == total, "the report and the gradebook disagree"
    flags = " | ".join(outcome.flags)
    for words in case.flags:
        assert words in flags, f"{student}: no flag mentions {words!r}: {flags or 'no flags'}"


def test_honest_submissions_are_not_flagged(hostile_class) -> None:  # noqa: ANN001
    _, summary, _ = hostile_class
    for student in ("honest_right", "honest_self_pair", "honest_swapped", "honest_blank"):
        assert _outcome(summary, student).flags == [], student


def test_no_grading_signal_and_no_course_file_is_visible(hostile_class) -> None:  # noqa: ANN001
    course, _, _ = hostile_class

    def printed(student: str) -> str:
        path = course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        return "".join(
            o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
        )

    assert "signs of grading: []" in printed("detects_grading")
    assert "hidden tests or gradebook found: []" in printed("reads_hidden_tests")
    assert "gradebooks damaged: []" in printed("overwrites_gradebook")
    allocated = re.search(r"allocated (\d+) MB before being stopped", printed("memory_hog"))
    assert allocated and int(allocated.group(1)) <= 512, "the memory limit (512 MB) did not hold"
    assert (course / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"


def test_nothing_outlives_the_run(hostile_class) -> None:  # noqa: ANN001
    if not privileged():
        pytest.skip("workers run as this user; their processes cannot be told apart")
    uids = {worker_uid(i) for i in range(64)}
    left = [p.info for p in psutil.process_iter(["pid", "uids", "cmdline"]) if p.info["uids"]]
    left = [p for p in left if p["uids"].real in uids]
    assert left == [], f"processes left running: {left}"


def test_feedback_and_report_show_no_hidden_test(hostile_class, paths: CoursePaths) -> None:  # noqa: ANN001
    course, summary, _ = hostile_class
    source = nbformat.read(paths.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    hidden = []
    for cell in source.cells:
        for region in re.findall(r"BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", cell.source, re.S):
            hidden += [line.strip() for line in region.splitlines() if len(line.strip()) > 25]
    assert hidden
    written = list((course / "feedback").glob(f"*/{ASSIGNMENT}/*")) + list(
        (course / "reports" / ASSIGNMENT).glob("*.md")
    )
    assert len(written) >= 2 * len(summary.outcomes)
    for path in written:
        text = path.read_text(encoding="utf-8")
        for hidden_input in (HIDDEN_INPUT, *FIRST_HIDDEN_INPUTS, LEAKY_CLASS):
            assert hidden_input not in text, f"{path} shows {hidden_input}"
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{path} shows hidden test code: {leaked[:2]}"


def _feedback(course: Path, student: str) -> str:
    return (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.md").read_text("utf-8")


def test_an_error_of_learner_code_in_a_hidden_test_shows_its_type_only(hostile_class) -> None:  # noqa: ANN001
    """What learner code raised during a hidden test is named, never quoted; a check's own
    failure keeps its words."""
    course, _, _ = hostile_class
    shown = {
        "raises_hidden_inputs": "ValueError: raised while your code ran a hidden test",
        "raises_assertion_like_a_check": "AssertionError: raised while your code ran a hidden",
        "names_its_exception": "Exception: raised while your code ran a hidden test",
        "fails_checks_with_inputs": "AssertionError: raised while your code ran a hidden",
        "honest_swapped": "AssertionError: negative amounts and zero must pair like any other",
    }
    for student, line in shown.items():
        assert line in _feedback(course, student), student


def test_nbgrader_feedback_shows_no_hidden_input_either(hostile_class) -> None:  # noqa: ANN001
    """``nbgrader generate_feedback`` with the course's settings, on what ``advpy grade``
    wrote, keeps the same errors out."""
    course, _, _ = hostile_class
    run_nbgrader(["generate_feedback", ASSIGNMENT, "--force", "--student=[fnr][aei]*"], course)
    pages = {p.parts[-3]: p.read_text("utf-8") for p in (course / "feedback").glob("*/*/*.html")}
    leaky = ("raises_hidden_inputs", "raises_assertion_like_a_check", "names_its_exception")
    for student in (*leaky, "fails_checks_with_inputs"):
        page = pages[student]
        assert "raised while your code ran a hidden test" in page, student
        for hidden_input in (HIDDEN_INPUT, *FIRST_HIDDEN_INPUTS, LEAKY_CLASS):
            assert hidden_input not in page, f"{student}'s nbgrader feedback shows {hidden_input}"


def test_what_a_notebook_writes_is_bounded_as_a_whole(hostile_class) -> None:  # noqa: ANN001
    course, _, _ = hostile_class
    path = course / "autograded" / "fills_home" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    written = re.search(r"wrote (\d+) MB in all", path.read_text("utf-8"))
    assert written, "the answer did not say how much it wrote"
    budget = Limits().tmp_size // 2**20
    assert int(written.group(1)) <= budget, f"wrote {written.group(1)} MB, allowed {budget}"


def test_student_text_is_escaped_in_the_report(hostile_class) -> None:  # noqa: ANN001
    """A crafted student id or tag forges no heading, markup or formula in the report, and no
    markup in the feedback."""
    course, summary, _ = hostile_class
    folder = course / "reports" / ASSIGNMENT
    flagged = (folder / "flagged.md").read_text("utf-8")
    headings = [line for line in flagged.splitlines() if line.startswith("#")]
    assert len(headings) == 1 + summary.flagged, headings
    assert all(line.startswith("## `") for line in headings[1:]), headings
    rendered = str(mistune.html(flagged))
    assert rendered.count("<h2>") == summary.flagged
    for tag in ("<img", "<script", "<a ", "<strong>"):
        assert tag not in rendered, f"flagged.md renders {tag}"
    page = (course / "feedback" / FORGED_ID / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text("utf-8")
    assert "<img" not in page and "<script" not in page
    assert page.count("<h1>") == 1 and "## honest_right" not in _feedback(course, FORGED_ID)
    with open(folder / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert ["'" + FORMULA_ID] in [row[:1] for row in rows]
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    assert summary.line().isprintable()


# -- one worker, one notebook after another ---------------------------------------------------

LEAVES_FILES = (
    RIGHT
    + """
from pathlib import Path

for folder in (Path.home(), Path("/tmp"), Path("/dev/shm")):
    (folder / "left-behind.txt").write_text("a previous student's file")
"""
)
FINDS_FILES = (
    RIGHT
    + """
from pathlib import Path

found = [str(p) for f in (Path.home(), Path("/tmp"), Path("/dev/shm")) for p in f.glob("left-*")]
print("left by another notebook:", found)
"""
)
#: A marker in an answer that makes the grader itself fail while it scores that submission.
TRIPS_THE_GRADER = "# the grader trips on this submission"


@pytest.fixture(scope="module")
def one_worker_class(
    paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, GradeSummary]]:
    """Notebooks graded one after another by one warm worker, one of which the grader trips
    on while it scores it."""
    find_bwrap()
    course = make_scratch_course(paths, [ASSIGNMENT], tmp_path_factory.mktemp("one-worker"))
    blank = student_notebook(course, ASSIGNMENT)
    answer = solution_cell_ids(blank)[0]
    answers = {
        "a_leaves_files": LEAVES_FILES,
        "b_finds_files": FINDS_FILES,
        "c_trips_the_grader": RIGHT + TRIPS_THE_GRADER,
        "d_right": RIGHT,
    }
    for student, code in answers.items():
        submit(course, ASSIGNMENT, student, with_answers(blank, {answer: code}))
    real = runner.suspicious_uses

    def tripping(sources: list[str]) -> list[str]:
        if any(TRIPS_THE_GRADER in source for source in sources):
            raise RuntimeError("a fault of the grader's, on this submission only")
        return real(sources)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "suspicious_uses", tripping)
        options = GradeOptions(ASSIGNMENT, course, jobs=1, limits=Limits(timeout=25))
        yield course, grade_assignment(options)


def test_nothing_is_left_for_the_next_notebook(one_worker_class) -> None:  # noqa: ANN001
    course, _ = one_worker_class
    path = course / "autograded" / "b_finds_files" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "left by another notebook: []" in path.read_text("utf-8")


def test_a_submission_the_grader_trips_on_costs_only_that_one(one_worker_class) -> None:  # noqa: ANN001
    course, summary = one_worker_class
    scores = read_scores(course, ASSIGNMENT)
    assert sorted(scores) == ["a_leaves_files", "b_finds_files", "c_trips_the_grader", "d_right"]
    tripped = scores["c_trips_the_grader"]
    assert sorted(tripped) == sorted(TESTS) and all(c.score == 0 for c in tripped.values())
    assert sum(c.score for c in scores["d_right"].values()) >= 8
    flags = " | ".join(_outcome(summary, "c_trips_the_grader").flags)
    assert "the grader failed on this submission" in flags and "RuntimeError" in flags


def test_running_again_skips_it_even_with_a_damaged_journal(one_worker_class) -> None:  # noqa: ANN001
    """The journal's zero stands (the submission is not graded again, nor failed on); a
    journal line that is not one of the grader's is ignored, not trusted nor fatal."""
    course, _ = one_worker_class
    before = read_scores(course, ASSIGNMENT)
    journal = course / "reports" / ASSIGNMENT / JOURNAL_NAME
    lines = journal.read_text("utf-8").splitlines()
    damaged = json.loads(next(line for line in lines if '"d_right"' in line))
    damaged["notebooks"][0]["checks"][0]["earned"] = "full marks"
    journal.write_text("\n".join([*lines, json.dumps(damaged)]) + "\n", "utf-8")
    again = grade_assignment(GradeOptions(ASSIGNMENT, course, jobs=1, limits=Limits(timeout=25)))
    assert (again.graded, again.skipped) == (0, 4)
    assert read_scores(course, ASSIGNMENT) == before
