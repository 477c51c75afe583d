"""``advpy audit``: mutants are made as described, a weak set is caught, an equivalent mutant
listed with its reason passes, an unstable score fails; every graded set passed a full audit of
its current source (``make audit``), and a deterministic sample of its mutants, one per answer
cell, graded with its class, still loses points or is listed as equivalent."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from grading_helpers import ASSIGNMENTS, graded_class, sampled_mutants, source_answers

from advpy.audit.audit_file import AuditFileError, read_audit_file, source_digest
from advpy.audit.mutants import OPERATORS, changed_line, generate_mutants
from advpy.audit.report import findings, write_report
from advpy.audit.runner import Graded, SetAudit, Submission, audit_assignment
from advpy.course.paths import CoursePaths, course_paths

SAMPLE = """def f(xs, lo):
    \"\"\"Docstrings are never mutated.\"\"\"
    total = 0
    for x in xs:
        if x > lo and not x == 3:
            total += max(x, 1)
        else:
            break
    with open("f") as handle:
        total = total - len(handle.read())
    return total
"""


def test_every_operator_makes_its_change() -> None:
    changes = {(m.operator, changed_line(SAMPLE, m)) for m in generate_mutants(SAMPLE)}
    expected = {
        ("comparison", "if x > lo and (not x == 3):  ->  if x >= lo and (not x == 3):"),
        ("boolean", "if x > lo and (not x == 3):  ->  if x > lo or not x == 3:"),
        ("negation", "if x > lo and (not x == 3):  ->  if not (x > lo and (not x == 3)):"),
        ("negation", "if x > lo and (not x == 3):  ->  if x > lo and x == 3:"),
        ("constant", "total = 0  ->  total = 1"),
        ("constant", "total = 0  ->  total = -1"),
        ("arithmetic", "total += max(x, 1)  ->  total -= max(x, 1)"),
        ("min-max", "total += max(x, 1)  ->  total += min(x, 1)"),
        ("swap-operands", "if x > lo and (not x == 3):  ->  if lo > x and (not x == 3):"),
        ("break-continue", "break  ->  continue"),
        ("return-value", "return total  ->  return"),
        ("delete-statement", "total += max(x, 1)  ->  pass"),
    }
    assert expected <= changes, sorted(expected - changes)
    operators = {operator for operator, _ in changes}
    assert operators <= set(OPERATORS)
    assert "remove-with" in operators
    assert not any("Docstrings" in change for _, change in changes)


def test_await_can_be_removed() -> None:
    source = "async def g(job):\n    return await job()\n"
    removed = [m for m in generate_mutants(source) if m.operator == "remove-await"]
    assert [m.source for m in removed] == ["async def g(job):\n    return job()\n"]


def test_mutants_are_distinct_compile_and_repeat() -> None:
    mutants = generate_mutants(SAMPLE)
    sources = [m.source for m in mutants]
    assert len(set(sources)) == len(sources)
    for source in sources:
        compile(source, "<mutant>", "exec")
    # swapping the operands of `a - a` changes nothing: not a mutant
    assert not [m for m in generate_mutants("y = a - a\n") if m.operator == "swap-operands"]
    first = [m.key for m in generate_mutants(SAMPLE, limit=5, seed=3)]
    assert first == [m.key for m in generate_mutants(SAMPLE, limit=5, seed=3)]
    assert len(first) == 5
    assert first != [m.key for m in generate_mutants(SAMPLE, limit=5, seed=4)]


def test_audit_files_are_read_strictly(tmp_path: Path) -> None:
    paths = CoursePaths(tmp_path)
    assert read_audit_file(paths, "ps99_toy").equivalent == {}
    folder = tmp_path / "solutions" / "audit"
    folder.mkdir(parents=True)
    bad = {
        "equivalent = [1, 2]\n": "must be a table",
        "[equivalent]\n'a/b@1:c' = ''\n": "needs a reason",
        "[survivors]\n": "unknown tables",
        "[equivalent\n": "not valid TOML",
    }
    for text, message in bad.items():
        (folder / "ps99_toy.toml").write_text(text)
        with pytest.raises(AuditFileError, match=message):
            read_audit_file(paths, "ps99_toy")
    (folder / "ps99_toy.toml").write_text("[equivalent]\n'a/b@1:c' = 'same for every input'\n")
    assert read_audit_file(paths, "ps99_toy").equivalent == {"a/b@1:c": "same for every input"}


def test_a_score_that_changes_between_runs_fails_the_set(tmp_path: Path) -> None:
    reference = Graded(Submission("reference", {}), (2.0, 2.0), 2.0)
    corpus = Graded(Submission("corpus-wrong_x", {}), (2.0, 0.0), 2.0)
    audit = SetAudit(
        "ps99_toy", reference, [], [corpus], read_audit_file(CoursePaths(tmp_path), "x")
    )
    assert audit.unstable == [corpus] and not audit.ok
    assert any("scored differently" in line for line in findings(audit))
    markdown, chart = write_report(tmp_path / "report", [audit])
    assert "ps99_toy" in markdown.read_text() and chart.stat().st_size > 0


# --- a toy set, audited for real -------------------------------------------------------------

CLAMP = """def clamp(x, lo, hi):
    ### BEGIN SOLUTION
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x
    ### END SOLUTION
"""
WEAK_TESTS = 'assert clamp(5, 0, 10) == 5, "clamp(5, 0, 10) should be 5"\n'
STRONG_TESTS = (
    "for x, want in [(-1, 0), (0, 0), (5, 5), (10, 10), (11, 10)]:\n"
    '    assert clamp(x, 0, 10) == want, f"clamp({x}, 0, 10) should be {want}"\n'
)


def _toy_course(root: Path, tests: str) -> CoursePaths:
    """A course holding one set, ``ps99_toy``: ``clamp`` and one test cell."""
    real = course_paths()
    (root / "grading").mkdir(parents=True)
    shutil.copy(real.grading / "nbgrader_config.py", root / "grading" / "nbgrader_config.py")
    notebook = nbformat.v4.new_notebook()

    def cell(source: str, **meta: object) -> nbformat.NotebookNode:
        nbgrader = {"schema_version": 3, "locked": False, "solution": False, "grade": False}
        nbgrader.update(meta)  # type: ignore[arg-type]
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": nbgrader})

    notebook.cells = [
        cell(CLAMP, grade_id="clamp_answer", solution=True),
        cell(tests, grade_id="clamp_tests", grade=True, locked=True, points=2),
    ]
    source = root / "grading" / "source" / "ps99_toy"
    source.mkdir(parents=True)
    nbformat.write(notebook, source / "ps99_toy.ipynb")
    return CoursePaths(root)


@pytest.mark.slow
def test_a_weak_set_is_caught(tmp_path: Path) -> None:
    paths = _toy_course(tmp_path / "course", WEAK_TESTS)
    audit = audit_assignment(paths, "ps99_toy", tmp_path / "work", jobs=2, runs=1)
    assert audit.reference.full_marks
    assert not audit.ok
    # With one example, deleting the upper bound's check goes unnoticed.
    assert any("if x > hi:" in audit.change(g) for g in audit.unresolved)


@pytest.mark.slow
def test_equivalent_mutants_listed_with_a_reason_pass(tmp_path: Path) -> None:
    paths = _toy_course(tmp_path / "course", STRONG_TESTS)
    first = audit_assignment(paths, "ps99_toy", tmp_path / "work", jobs=2, runs=1)
    changes = sorted(first.change(g) for g in first.unresolved)
    # x <= lo returns lo when x == lo, which is x: the same result. Likewise x >= hi.
    assert changes == ["if x < lo:  ->  if x <= lo:", "if x > hi:  ->  if x >= hi:"]
    assert not first.ok and first.killed
    audit_file = paths.solutions / "audit" / "ps99_toy.toml"
    audit_file.parent.mkdir(parents=True)
    lines = [f'"{first.key(g)}" = "at the bound both return it"' for g in first.unresolved]
    audit_file.write_text("[equivalent]\n" + "\n".join(lines) + "\n")
    second = audit_assignment(paths, "ps99_toy", tmp_path / "work", jobs=2)
    assert second.ok, findings(second)
    assert len(second.equivalent) == 2 and second.kill_ratio == 1.0
    # A full audit that passed is recorded: the source's digest, the reasons kept.
    assert second.record(paths) == audit_file
    recorded = read_audit_file(paths, "ps99_toy")
    assert recorded.audited_source == source_digest(paths, "ps99_toy")
    assert set(recorded.equivalent.values()) == {"at the bound both return it"}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_set_passed_a_full_audit_as_it_is_now(assignment: str, paths: CoursePaths) -> None:
    recorded = read_audit_file(paths, assignment).audited_source
    assert recorded == source_digest(paths, assignment), (
        f"{assignment} changed since its last full audit passed: run `make audit SETS={assignment}`"
    )


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_sampled_mutant_loses_points_or_is_listed_as_equivalent(
    assignment: str, paths: CoursePaths, scratch_root: Path
) -> None:
    mutants = sampled_mutants(assignment)
    assert mutants, "no mutants were made"
    scores = graded_class(assignment, scratch_root).scores
    equivalent = read_audit_file(paths, assignment).equivalent
    reference = source_answers(assignment)
    kept_full_marks = []
    for mutant in mutants:
        assert mutant.mutant is not None
        cells = scores[mutant.student]
        assert cells, f"{mutant.student} was not graded"
        if sum(c.score for c in cells.values()) < sum(c.max_score for c in cells.values()):
            continue
        if f"{mutant.cell}/{mutant.mutant.key}" not in equivalent:
            change = changed_line(reference[mutant.cell], mutant.mutant)
            kept_full_marks.append(f"{mutant.cell}: {change}")
    assert not kept_full_marks, "mutants that kept full marks:\n" + "\n".join(kept_full_marks)
