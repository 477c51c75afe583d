"""Audit one graded set: grade its mutants (and its corpus) as a class, twice, and judge.

For each answer cell of the set, the reference solution is mutated (:mod:`advpy.audit.mutants`)
while the other answer cells keep the reference. The reference, every mutant and every corpus
answer are submitted to a scratch copy of the course and graded by ``advpy grade``, sandboxed
and in parallel, once per run in a fresh copy. A mutant is **killed** when it loses points in
every run; one that keeps full marks **survives** and must be listed in the set's audit file
as equivalent to the reference, with a reason (:mod:`advpy.audit.audit_file`); any submission
whose score differs between runs makes the set **unstable**.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from advpy.audit.audit_file import AuditFile, read_audit_file, write_audit_file
from advpy.audit.mutants import Mutant, changed_line, generate_mutants
from advpy.course.paths import CoursePaths
from advpy.course.scratch import make_scratch_course, student_notebook, submit, with_answers
from advpy.grade.results import SubmissionOutcome
from advpy.grade.runner import GradeOptions, grade_assignment
from advpy.grade.sandbox import Limits

#: The shortest time a mutant may run; longer when the reference itself takes a while.
MIN_TIMEOUT = 60.0
#: A mutant may take this many times as long as the reference before it is stopped.
TIMEOUT_FACTOR = 8.0


class AuditError(Exception):
    """The set cannot be audited; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One notebook the audit grades: the reference, a mutant or a corpus answer."""

    student: str  # its name in the scratch course
    cells: dict[str, str]  # answer cell grade id -> code
    mutant: Mutant | None = None
    cell: str = ""  # the answer cell a mutant changes


@dataclass(frozen=True)
class Graded:
    """A submission's total score in each run."""

    submission: Submission
    scores: tuple[float, ...]
    max_score: float

    @property
    def stable(self) -> bool:
        return len(set(self.scores)) <= 1

    @property
    def full_marks(self) -> bool:
        return all(score >= self.max_score for score in self.scores)


@dataclass
class SetAudit:
    """What the audit of one set found."""

    assignment: str
    reference: Graded
    mutants: list[Graded]
    corpus: list[Graded]
    audit_file: AuditFile
    sources: dict[str, str] = field(default_factory=dict)  # answer cell -> reference code
    full: bool = False  # every mutant, the corpus, two runs or more: what the audit file records

    @property
    def survivors(self) -> list[Graded]:
        return [g for g in self.mutants if g.stable and g.full_marks]

    @property
    def killed(self) -> list[Graded]:
        return [g for g in self.mutants if g.stable and not g.full_marks]

    @property
    def equivalent(self) -> list[Graded]:
        return [g for g in self.survivors if self._key(g) in self.audit_file.equivalent]

    @property
    def unresolved(self) -> list[Graded]:
        return [g for g in self.survivors if self._key(g) not in self.audit_file.equivalent]

    @property
    def unstable(self) -> list[Graded]:
        return [g for g in [self.reference, *self.mutants, *self.corpus] if not g.stable]

    @property
    def kill_ratio(self) -> float:
        """Killed mutants over those that are not equivalent to the reference (1.0 when none)."""
        counted = len(self.mutants) - len(self.equivalent)
        return len(self.killed) / counted if counted else 1.0

    @property
    def ok(self) -> bool:
        return self.reference.full_marks and not self.unresolved and not self.unstable

    @staticmethod
    def _key(graded: Graded) -> str:
        assert graded.submission.mutant is not None
        return f"{graded.submission.cell}/{graded.submission.mutant.key}"

    def key(self, graded: Graded) -> str:
        """How the audit file names a mutant: ``answer cell/operator@line:digest``."""
        return self._key(graded)

    def record(self, paths: CoursePaths) -> Path | None:
        """After a full audit that passed, rewrite the set's audit file (the source's digest
        and the equivalent mutants); return its path, or None when there is nothing to
        record."""
        if not (self.full and self.ok):
            return None
        equivalent = {
            self.key(g): (self.change(g), self.audit_file.equivalent[self.key(g)])
            for g in self.equivalent
        }
        return write_audit_file(paths, self.assignment, equivalent)

    def change(self, graded: Graded) -> str:
        """The line a mutant changed, old -> new."""
        mutant = graded.submission.mutant
        assert mutant is not None
        return changed_line(self.sources[graded.submission.cell], mutant)


def reference_cells(paths: CoursePaths, assignment: str) -> dict[str, str]:
    """The reference solution's answer cells (grade id -> code) from the instructor's source."""
    import nbformat

    path = paths.source / assignment / f"{assignment}.ipynb"
    if not path.exists():
        raise AuditError(f"{assignment}: no source notebook at {path}")
    notebook = nbformat.read(path, as_version=4)
    cells = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    if not cells:
        raise AuditError(f"{assignment}: the source notebook has no answer cells")
    return cells


def mutant_submissions(
    reference: dict[str, str], *, limit: int | None, seed: int
) -> list[Submission]:
    """One submission per mutant of each answer cell (the other cells keep the reference);
    with ``limit``, at most that many per answer cell, chosen by ``seed``."""
    submissions = []
    for cell, source in reference.items():
        for index, mutant in enumerate(generate_mutants(source, limit=limit, seed=seed)):
            cells = {**reference, cell: mutant.source}
            submissions.append(Submission(f"mutant-{cell}-{index:03d}", cells, mutant, cell))
    return submissions


def corpus_submissions(
    paths: CoursePaths, assignment: str, reference: dict[str, str]
) -> list[Submission]:
    """The set's corpus answers (``tests/corpus/ASSIGNMENT``), each a submission: a file fills
    the only answer cell; a folder's files fill the cells they are named after."""
    folder = paths.root / "tests" / "corpus" / assignment
    submissions = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_dir():
            cells = {**reference, **{p.stem: p.read_text() for p in sorted(entry.glob("*.py"))}}
        elif entry.suffix == ".py" and len(reference) == 1:
            cells = {next(iter(reference)): entry.read_text()}
        else:
            continue
        submissions.append(Submission(f"corpus-{entry.stem}", cells))
    return submissions


def _grade_once(
    paths: CoursePaths,
    assignment: str,
    folder: Path,
    submissions: list[Submission],
    *,
    jobs: int,
    timeout: float,
) -> dict[str, SubmissionOutcome]:
    """Grade ``submissions`` in a fresh scratch course; the outcome of each, by student."""
    if folder.exists():
        shutil.rmtree(folder)
    course = make_scratch_course(paths, [assignment], folder)
    blank = student_notebook(course, assignment)
    for submission in submissions:
        submit(course, assignment, submission.student, with_answers(blank, submission.cells))
    limits = Limits(timeout=timeout)
    summary = grade_assignment(GradeOptions(assignment, course, jobs=jobs, limits=limits))
    return {o.student: o for o in summary.outcomes}


def audit_assignment(
    paths: CoursePaths,
    assignment: str,
    work: Path,
    *,
    max_mutants: int | None = None,
    seed: int = 0,
    jobs: int = 2,
    runs: int = 2,
    with_corpus: bool = True,
    say: Callable[[str], None] = lambda line: None,
) -> SetAudit:
    """Audit ``assignment`` in scratch courses under ``work``; see the module's docstring."""
    if runs < 1:
        raise AuditError("the audit needs at least one run")
    reference = reference_cells(paths, assignment)
    audit_file = read_audit_file(paths, assignment)
    mutants = mutant_submissions(reference, limit=max_mutants, seed=seed)
    corpus = corpus_submissions(paths, assignment, reference) if with_corpus else []
    first = Submission("reference", reference)
    say(f"{assignment}: {len(mutants)} mutants, {len(corpus)} corpus answers, {runs} runs")
    # The reference alone first: it must score full marks, and its time sets the mutants'.
    alone = _grade_once(paths, assignment, work / "reference", [first], jobs=1, timeout=600.0)
    seconds = sum(n.seconds for n in alone["reference"].notebooks)
    timeout = max(MIN_TIMEOUT, TIMEOUT_FACTOR * seconds)
    maximum = alone["reference"].max_score
    everyone = [first, *mutants, *corpus]
    results: dict[str, list[float]] = {s.student: [] for s in everyone}
    for run in range(runs):
        outcomes = _grade_once(
            paths, assignment, work / f"run-{run + 1}", everyone, jobs=jobs, timeout=timeout
        )
        for student, outcome in outcomes.items():
            results[student].append(outcome.score)
        say(f"{assignment}: run {run + 1} of {runs} graded")
    graded = {s.student: Graded(s, tuple(results[s.student]), maximum) for s in everyone}
    return SetAudit(
        assignment,
        graded["reference"],
        [graded[s.student] for s in mutants],
        [graded[s.student] for s in corpus],
        audit_file,
        reference,
        full=max_mutants is None and with_corpus and runs >= 2,
    )
