"""``advpy grade`` against hostile and broken submissions, graded in one class with honest ones.

Every cheat in ``tests/hostile/`` must score what its honest part deserves (its ``# expect:``
line), never full marks; attacks on the notebook's structure are made here from the released
notebook; the honest submissions of the same batch must be graded exactly right; nothing may
outlive the run, reach the gradebook or see the hidden tests.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat import NotebookNode

from advpy.course.paths import CoursePaths
from advpy.course.scratch import (
    make_scratch_course,
    read_scores,
    solution_cell_ids,
    student_notebook,
    submit,
    with_answers,
)
from advpy.grade.runner import GradeOptions, GradeSummary, grade_assignment
from advpy.grade.sandbox import Limits, find_bwrap, privileged, worker_uid

ASSIGNMENT = "ps31_two_sum"
HOSTILE = Path(__file__).resolve().parent / "hostile"
CORPUS = Path(__file__).resolve().parent / "corpus" / ASSIGNMENT
HIDDEN_INPUT = "[4, 6, 1, 9, 5, 5]"  # appears only in ps31's hidden tests
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
    return made


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
        "honest_self_pair": ((CORPUS / "wrong_self_pair.py").read_text(), 2.0),
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
        and "grows too fast" in (failed[0].error or "")
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
        "no_notebook",
        "honest_right",
        "honest_self_pair",
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
    for student in ("honest_right", "honest_self_pair", "honest_blank"):
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
        assert HIDDEN_INPUT not in text, path
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{path} shows hidden test code: {leaked[:2]}"
