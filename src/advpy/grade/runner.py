"""``advpy grade``: grade every submission of an assignment in an nbgrader course.

For each submission in ``submitted/STUDENT/ASSIGNMENT/``: the notebook is prepared (the
instructor's cells restored from the gradebook, :mod:`advpy.grade.prepare`), run in a sandboxed
worker (:mod:`advpy.grade.executor`), where a judge process that no learner code can reach runs
the test cells and decides their verdicts (:mod:`advpy.grade.judge`; a few assignments keep
them in the kernel, :mod:`advpy.grade.verdicts`), then scored in this process, by nbgrader's own
preprocessors, into the course's ``gradebook.db`` (so ``nbgrader export``, the formgrader and
manual grading keep working) and written to ``autograded/`` as ``nbgrader autograde`` does.
Feedback goes to ``feedback/`` and the report to ``reports/ASSIGNMENT/``.

Submissions run in parallel, on this machine or on a Dask distributed cluster
(:mod:`advpy.grade.cluster`); only this process touches the gradebook. A journal makes the
command safe to stop and run again (:mod:`advpy.grade.journal`); a submission whose run a
cluster lost is left ungraded, for the next run to grade.

One submission cannot stop the class: only regular files are read from a submission folder
(:mod:`advpy.grade.files`), and anything that goes wrong while one submission is prepared, run,
scored or recorded scores that submission 0 with the reason, flagged for a human, and is
journaled like any other grade, so running again does not trip on it.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
import time
import warnings
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import nbformat
from nbformat import NotebookNode

from advpy.course.preprocessors import check_messages, has_hidden_tests, hidden_test_error
from advpy.course.scoring import is_test_cell, score_test_cell
from advpy.grade.executor import (
    LocalPool,
    NotebookJob,
    NotebookPool,
    NotebookRun,
    RunLost,
    WorkerSettings,
    default_jobs,
)
from advpy.grade.feedback import write_feedback
from advpy.grade.files import (
    Listing,
    RefusedFile,
    copy_regular,
    folder_problem,
    list_regular_files,
    read_regular,
)
from advpy.grade.gradebook import GradebookWriter
from advpy.grade.journal import Journal, submission_fingerprint
from advpy.grade.prepare import NotebookTruth, Prepared, load_truth, prepare
from advpy.grade.protocol import NotebookStatus
from advpy.grade.report import ReportFiles, write_report
from advpy.grade.results import CheckOutcome, NotebookOutcome, SubmissionOutcome, what_is_checked
from advpy.grade.sandbox import Limits, find_bwrap
from advpy.grade.suspicious import suspicious_uses
from advpy.grade.text import one_line, terminal_text
from advpy.grade.verdicts import judged_outside

#: Largest notebook file read (a bigger one is reported as not readable).
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
#: The files of a submission that ``nbgrader release_feedback`` needs beside its feedback.
RELEASE_FILES = ("timestamp.txt", "submission_secret.txt")
#: Largest ``timestamp.txt`` read.
MAX_TIMESTAMP_BYTES = 1024
JOURNAL_NAME = ".journal.jsonl"
#: How :meth:`advpy.checks.ScalingReport.message` words a growth rate measured too high, but not
#: by far (by far, it says "grows much too fast"): only such a failure is timed again alone.
GROWTH_FAILURE = "grows too fast"


class GradeError(Exception):
    """The class cannot be graded; the message says why and what to do."""


@dataclass
class GradeOptions:
    """What ``advpy grade`` was asked to do."""

    assignment: str
    course: Path
    jobs: int = field(default_factory=default_jobs)
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True
    progress: TextIO | None = None
    verdicts_in_kernel: bool = False  # True: no judge, test cells run beside the answers
    scheduler: str = ""  # a Dask scheduler's address (tcp://HOST:PORT) to send notebooks to
    local_cluster: int = 0  # workers of a Dask LocalCluster started for this run (0: none)


@dataclass
class GradeSummary:
    """What a grading run did."""

    assignment: str
    outcomes: list[SubmissionOutcome]
    graded: int
    skipped: int
    seconds: float
    report: ReportFiles
    report_folder: Path
    remeasured: int = 0  # submissions whose growth-rate checks were measured again, alone
    lost: list[str] = field(default_factory=list)  # not graded: the cluster lost their runs
    lost_why: str = ""  # what the cluster said of the first run it lost

    @property
    def flagged(self) -> int:
        return sum(1 for o in self.outcomes if o.flags)

    def line(self) -> str:
        """The one-line summary printed at the end."""
        count = len(self.outcomes)
        scores = [o.score for o in self.outcomes]
        top = max([o.max_score for o in self.outcomes] + [0.0])
        mean = sum(scores) / count if count else 0.0
        again = f", {self.remeasured} timed again alone" if self.remeasured else ""
        lost = (
            f"; {len(self.lost)} NOT graded (the cluster lost their runs: {self.lost_why}): "
            "run the command again"
            if self.lost
            else ""
        )
        return terminal_text(
            f"{self.assignment}: {count} submissions ({self.graded} graded now, "
            f"{self.skipped} unchanged{again}) in {self.seconds:.1f} s; mean {mean:.1f}/{top:g}; "
            f"{self.flagged} flagged for review{lost}; report in {self.report_folder}"
        )


@dataclass
class PendingSubmission:
    """A submission being graded: its notebooks' jobs, and their runs as they finish."""

    student: str
    folder: Path
    fingerprint: str  # :func:`advpy.grade.journal.submission_fingerprint` of its files
    listing: Listing  # its regular files, and what was refused
    prepared: dict[str, Prepared]  # the notebooks that can run, by name
    failed: dict[str, NotebookOutcome]  # the notebooks that cannot (missing, unreadable)
    jobs: dict[str, NotebookJob]  # by notebook name
    runs: dict[str, NotebookRun] = field(default_factory=dict)  # by notebook name
    lost: str = ""  # why a run of it was lost (it is then left ungraded)

    @property
    def complete(self) -> bool:
        """True once every job has run."""
        return len(self.runs) == len(self.jobs)


class Progress:
    """A progress bar on a terminal (done/total and an estimate), a line per tenth elsewhere."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total = total
        self.stream = stream
        self.done = 0
        self.started = time.monotonic()
        self.tty = bool(stream is not None and stream.isatty())
        self.last_tenth = -1

    def step(self) -> None:
        self.done += 1
        if self.stream is None or self.total == 0:
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        width = 30
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "." * (width - filled)
        text = f"[{bar}] {self.done}/{self.total} graded, about {left:.0f} s left"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if self.done == self.total else ""))
        else:
            tenth = 10 * self.done // self.total
            if tenth == self.last_tenth:
                return
            self.last_tenth = tenth
            self.stream.write(text + "\n")
        self.stream.flush()


class Tally:
    """The outcomes of a run as they come, each counted on the progress bar."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.outcomes: dict[str, SubmissionOutcome] = {}
        self.unchanged = 0  # outcomes taken from the journal, not graded again

    def add(self, outcome: SubmissionOutcome, *, unchanged: bool = False) -> None:
        self.outcomes[outcome.student] = outcome
        self.unchanged += unchanged
        self.progress.step()

    def by_student(self) -> list[SubmissionOutcome]:
        return [self.outcomes[s] for s in sorted(self.outcomes)]


def course_config(course: Path) -> Any:
    """The course's nbgrader configuration: the shared settings, then ``nbgrader_config.py``
    of ``course`` if it has one, with ``course`` as the course root."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    from advpy.course.nbgrader_settings import apply_course_settings

    config = Config()
    apply_course_settings(config)
    if (course / "nbgrader_config.py").exists():
        loaded = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
        config.merge(loaded)
    config.CourseDirectory.root = str(course)
    return config


def _read_notebook(path: Path) -> tuple[NotebookNode | None, NotebookStatus, str]:
    """The notebook at ``path`` (status OK), or None, MISSING or INVALID, and why. Only a
    regular file is read (:func:`advpy.grade.files.read_regular`)."""
    invalid = NotebookStatus.INVALID
    try:
        data = read_regular(path, MAX_NOTEBOOK_BYTES)
    except FileNotFoundError:
        return None, NotebookStatus.MISSING, "no notebook was submitted"
    except RefusedFile as error:
        return None, invalid, f"the notebook file is {error}"
    except OSError as error:
        return None, invalid, f"the notebook file cannot be read ({error.strerror})"
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as error:  # nbformat raises many kinds for a broken file
        kind = type(error).__name__
        why = f"the notebook file is not a valid notebook ({kind}: {str(error)[:200]})"
        return None, invalid, why
    problem = _malformed(notebook)
    if problem:
        return None, invalid, f"the notebook file is not a valid notebook ({problem})"
    return nbformat.from_dict(notebook), NotebookStatus.OK, ""


def _malformed(notebook: Any) -> str:
    """What makes a parsed notebook unusable ("" when nothing does): cells that are not
    records of text, or text that cannot be written back (a lone surrogate, which JSON allows
    as an escape)."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return "it has no list of cells"
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict) or not isinstance(cell.get("metadata", {}), dict):
            return f"cell {number} is not a notebook cell"
        if not isinstance(cell.get("source", ""), str):
            return f"the source of cell {number} is not text"
    try:
        json.dumps(notebook, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "it holds a lone surrogate, which is not a character"
    except (TypeError, ValueError) as error:
        return f"it holds something that is not JSON ({type(error).__name__})"
    return ""


def _failure_text(error: BaseException) -> str:
    """An exception as a short reason for the report."""
    return one_line(f"{type(error).__name__}: {error}", 200)


class ClassGrader:
    """Grades one assignment of one course (see :func:`grade_assignment`)."""

    def __init__(self, options: GradeOptions) -> None:
        from nbgrader.api import MissingEntry
        from nbgrader.coursedir import CourseDirectory

        self.options = options
        self.course = options.course.resolve()
        self.assignment = options.assignment
        if not self.course.is_dir():
            raise GradeError(f"{self.course}: no such course folder")
        self.config = course_config(self.course)
        self.coursedir = CourseDirectory(config=self.config)
        self.db_url = self.coursedir.db_url
        database = self.db_url[len("sqlite:///") :] if self.db_url.startswith("sqlite:///") else ""
        if database and not Path(database).exists():
            raise GradeError(
                f"{self.course} has no gradebook yet: run `nbgrader generate_assignment "
                f"{self.assignment}` there first"
            )
        try:
            self.truth = load_truth(self.db_url, self.assignment)
        except MissingEntry as error:
            raise GradeError(
                f"{self.assignment} is not in {self.course}'s gradebook: run "
                f"`nbgrader generate_assignment {self.assignment}` there first"
            ) from error
        if not self.truth:
            raise GradeError(f"{self.assignment} has no notebooks in the gradebook")
        self.report_folder = self.course / "reports" / self.assignment
        self.journal = Journal(self.report_folder / JOURNAL_NAME)
        # Where test cells' verdicts are decided: by the judge, outside the answer's process,
        # unless the assignment's tests must run beside the answer (advpy.grade.judge).
        self.judged = judged_outside(self.assignment) and not options.verdicts_in_kernel
        self.context = {
            "assignment": self.assignment,
            "verdicts": "judge" if self.judged else "kernel",
            "truth": {
                name: [
                    (c.name, c.cell_type, c.source, c.locked, t.points.get(c.name)) for c in t.cells
                ]  # noqa: E501
                for name, t in sorted(self.truth.items())
            },
            "timeout": options.limits.timeout,
            "memory": options.limits.memory_mb,
            "sandbox": options.sandbox,
        }
        masked = {str(self.course)}
        if self.db_url.startswith("sqlite:///"):
            masked.add(str(Path(self.db_url[len("sqlite:///") :]).resolve().parent))
        self.settings = WorkerSettings(options.sandbox, tuple(sorted(masked)), options.limits)
        self.post = self._post_preprocessors()
        # By notebook: its test cells that hold hidden tests, and the messages their errors
        # may show (those of the instructor's cells' own checks).
        self.hidden_tests = {
            name: (
                frozenset(
                    cell.name
                    for cell in truth.cells
                    if cell.name in truth.test_cell_ids() and has_hidden_tests(cell.source)
                ),
                check_messages(cell.source for cell in truth.cells if cell.locked),
            )
            for name, truth in self.truth.items()
        }

    def _post_preprocessors(self) -> list[Any]:
        """The course's autograde preprocessors that come after execution, configured; saving
        grades and late penalties are done by :class:`GradebookWriter`, by the same rules."""
        from nbgrader.preprocessors import AssignLatePenalties, Execute, SaveAutoGrades

        listed = list(self.config.Autograde.autograde_preprocessors or [])
        after = listed[listed.index(Execute) + 1 :] if Execute in listed else listed
        replaced = (SaveAutoGrades, AssignLatePenalties)
        return [cls(config=self.config) for cls in after if not issubclass(cls, replaced)]

    def submissions(self) -> dict[str, Path]:
        """Each student's submission folder, by student id."""
        root = self.course / self.coursedir.submitted_directory
        found = {}
        for entry in sorted(root.iterdir()) if root.is_dir() else []:
            folder = Path(
                self.coursedir.format_path(
                    self.coursedir.submitted_directory, entry.name, self.assignment
                )
            )
            if entry.is_dir() and (folder.is_dir() or folder.is_symlink()):
                found[entry.name] = folder
        return found

    @staticmethod
    def folder_problem(folder: Path) -> str:
        """Why the submission folder may not be read (it, or its student's folder, is a
        link), or ""."""
        for path in (folder.parent, folder):
            problem = folder_problem(path)
            if problem:
                return f"the submission folder {path.name!r} {problem}"
        return ""

    # -- planning -------------------------------------------------------------------------

    def unchanged_outcome(
        self, writer: GradebookWriter, student: str, fingerprint: str
    ) -> SubmissionOutcome | None:
        """The journal's outcome of this exact submission, if the gradebook still agrees."""
        entry = self.journal.get(student)
        if entry is None or entry.fingerprint != fingerprint or not fingerprint:
            return None
        stored = writer.stored(student)
        if stored is None:
            return None
        expected = {c.grade_id: c.earned for n in entry.notebooks for c in n.checks}
        agree = all(abs(stored.get(k, -1.0) - v) < 1e-9 for k, v in expected.items())
        return entry if agree else None

    def plan(
        self, student: str, folder: Path, listing: Listing, fingerprint: str, problem: str = ""
    ) -> PendingSubmission:
        """The jobs to run for one submission, and the notebooks that cannot run (all of
        them, with ``problem`` as the reason, when the folder itself may not be read)."""
        submission = PendingSubmission(student, folder, fingerprint, listing, {}, {}, {})
        copied = tuple((str(path), rel) for rel, path in listing.files)
        source_files = self._source_files()
        for name, truth in sorted(self.truth.items()):
            if problem:
                notebook, status, detail = None, NotebookStatus.INVALID, problem
            else:
                notebook, status, detail = _read_notebook(folder / f"{name}.ipynb")
            if notebook is None:
                submission.failed[name] = self._failed(name, truth, status, detail)
                continue
            try:
                ready = prepare(notebook, truth)
            except Exception as error:  # a hostile or damaged structure
                submission.failed[name] = self._failed(
                    name,
                    truth,
                    NotebookStatus.INVALID,
                    f"the notebook's structure is broken ({error})",
                )
                continue
            submission.prepared[name] = ready
            cells = tuple(ready.code_cells())
            trusted = {index for index, _, is_trusted in cells if is_trusted}
            judged = tuple(i for i in ready.test_cells() if i in trusted) if self.judged else ()
            submission.jobs[name] = NotebookJob(
                student,
                name,
                self.assignment,
                cells,
                copied,
                self.settings,
                judged,
                source_files,
            )
        return submission

    def _source_files(self) -> tuple[tuple[str, str], ...]:
        """The assignment's other files from ``source/`` (data files), copied over the
        submission's as ``nbgrader autograde`` does."""
        source = Path(
            self.coursedir.format_path(self.coursedir.source_directory, ".", self.assignment)
        )
        if not source.is_dir():
            return ()
        ignore = list(self.coursedir.ignore) + ["*.ipynb"]
        return tuple((str(path), rel) for rel, path in list_regular_files(source, ignore).files)

    def _failed(
        self, name: str, truth: NotebookTruth, status: NotebookStatus, detail: str
    ) -> NotebookOutcome:
        checks = [_check_not_run(truth, gid, detail) for gid in truth.test_cell_ids()]
        return NotebookOutcome(name, status, detail, checks)

    # -- scoring (this process only) ------------------------------------------------------

    def finish(self, writer: GradebookWriter, submission: PendingSubmission) -> SubmissionOutcome:
        """Score one submission into the gradebook (one transaction) and ``autograded/``;
        journal it once it is stored. Whatever fails on the way scores it 0 instead
        (:meth:`record_failure`)."""
        try:
            result = self._finish(writer, submission)
        except Exception as error:  # noqa: BLE001 - one submission never stops the class
            return self.record_failure(writer, submission.student, submission.fingerprint, error)
        self.journal.record(result)
        return result

    def _finish(self, writer: GradebookWriter, submission: PendingSubmission) -> SubmissionOutcome:
        student, prepared = submission.student, submission.prepared
        autograded = self._autograded_folder(student)
        self._copy_files(submission.listing, autograded)
        timestamp, timestamp_problem = self._timestamp(submission.folder)
        writer.begin(student, timestamp)
        notebooks: list[NotebookOutcome] = []
        for name, truth in sorted(self.truth.items()):
            if name in submission.failed:
                outcome = submission.failed[name]
                writer.zero(student, name)
                if name in prepared:
                    self._write(autograded / f"{name}.ipynb", prepared[name].notebook)
            else:
                run = submission.runs[name]
                outcome = self._score(student, name, truth, prepared[name], run)
                if outcome.ran:
                    writer.save(student, name, prepared[name].notebook)
                else:
                    writer.zero(student, name)
                self._write(autograded / f"{name}.ipynb", prepared[name].notebook)
            notebooks.append(outcome)
        flags = self._flags(notebooks, prepared)
        flags += [f"{relative}: not read ({why})" for relative, why in submission.listing.refused]
        if timestamp_problem:
            flags.append(timestamp_problem)
        writer.finish(student, sorted(self.truth))
        return SubmissionOutcome(student, submission.fingerprint, notebooks, flags, _now())

    def record_failure(
        self, writer: GradebookWriter, student: str, fingerprint: str, error: BaseException
    ) -> SubmissionOutcome:
        """Score a submission that could not be graded 0, with the reason, in the gradebook
        (as if graded once: every cell 0, nothing half-written) and in the journal, so that
        running again skips it until it changes."""
        reason = f"the grader failed on this submission ({_failure_text(error)})"
        notebooks = [
            self._failed(name, truth, NotebookStatus.ERROR, reason)
            for name, truth in sorted(self.truth.items())
        ]
        flags = self._flags(notebooks, {})
        shutil.rmtree(self._autograded_folder(student), ignore_errors=True)
        try:
            writer.begin(student, None)
            for name in sorted(self.truth):
                writer.zero(student, name)
            writer.finish(student, sorted(self.truth))
        except Exception as store_error:  # noqa: BLE001 - e.g. an id the database refuses
            writer.rollback()
            flags.append(f"its score could not be stored ({_failure_text(store_error)})")
        result = SubmissionOutcome(student, fingerprint, notebooks, flags, _now())
        self.journal.record(result)
        return result

    def _autograded_folder(self, student: str) -> Path:
        step = self.coursedir.autograded_directory
        return Path(self.coursedir.format_path(step, student, self.assignment))

    def _timestamp(self, folder: Path) -> tuple[datetime.datetime | None, str]:
        """The submission's time from its ``timestamp.txt`` (as ``nbgrader`` reads it), and
        why it could not be used ("" when it could or there is none)."""
        from nbgrader.utils import parse_utc

        try:
            text = read_regular(folder / "timestamp.txt", MAX_TIMESTAMP_BYTES).decode().strip()
            return (parse_utc(text) if text else None), ""
        except FileNotFoundError:
            return None, ""
        except (OSError, ValueError, OverflowError) as error:
            why = f"timestamp.txt could not be used ({_failure_text(error)}): no late penalty"
            return None, why

    def _score(
        self, student: str, name: str, truth: NotebookTruth, ready: Prepared, run: NotebookRun
    ) -> NotebookOutcome:
        notebook = ready.notebook
        truncated = False
        hidden, messages = self.hidden_tests[name]
        tests = set(truth.test_cell_ids())
        cell_seconds = {"answers": 0.0, "tests": 0.0, "other": 0.0}
        test_cpu = 0.0
        for index, cell in enumerate(notebook.cells):
            record = run.cells.get(index)
            if cell.cell_type == "code" and record is not None:
                kind = _cell_kind(cell, tests)
                cell_seconds[kind] += record.seconds
                test_cpu += record.cpu if kind == "tests" else 0.0
                outputs = [nbformat.from_dict(o) for o in record.outputs]
                if cell.metadata.get("nbgrader", {}).get("grade_id") in hidden:
                    outputs = [
                        hidden_test_error(o, messages, record.check_failure)
                        if o.get("output_type") == "error"
                        else o
                        for o in outputs
                    ]
                cell.outputs = outputs
                cell.execution_count = record.execution_count
                truncated = truncated or record.truncated
            elif _is_unrun_test(cell, record):
                # A test cell scores only from what running it gave: one the run has no record
                # of did not pass, whatever its cleared outputs would tell nbgrader.
                cell.outputs = [nbformat.from_dict(NOT_RUN_ERROR)]
        status, detail = run.status, run.detail
        if status == NotebookStatus.OK:
            resources = {
                "nbgrader": {
                    "student": student,
                    "assignment": self.assignment,
                    "notebook": name,
                    "db_url": self.db_url,
                }
            }
            try:
                for preprocessor in self.post:
                    notebook, resources = preprocessor(notebook, resources)
            except Exception as error:  # a notebook nbgrader itself refuses
                status, detail = NotebookStatus.ERROR, f"nbgrader could not score it ({error})"
            ready.notebook = notebook
        elif run.running is not None and 0 <= run.running < len(notebook.cells):
            where = notebook.cells[run.running].metadata.get("nbgrader", {}).get("grade_id")
            detail += f" (in cell {run.running + 1}" + (f", {where!r})" if where else ")")
        if truncated:
            ready.notes.append("some output was too long and was cut")
        cells = {
            c.metadata.get("nbgrader", {}).get("grade_id"): c
            for c in notebook.cells
            if c.cell_type == "code"
        }
        checks = []
        for gid in truth.test_cell_ids():
            cell = cells.get(gid)
            if status != NotebookStatus.OK or cell is None:
                checks.append(_check_not_run(truth, gid, detail))
            else:
                scored = score_test_cell(cell)
                checks.append(CheckOutcome.from_cell_result(scored, _what_is_checked(truth, gid)))
        spent = {kind: round(seconds, 4) for kind, seconds in cell_seconds.items()}
        notes = list(ready.notes)
        return NotebookOutcome(
            name, status, detail, checks, notes, run.seconds, spent, round(test_cpu, 4)
        )

    def _copy_files(self, listing: Listing, autograded: Path) -> None:
        """Copy the submission's regular files (not its notebooks, written once scored) and
        the assignment's own data files into ``autograded``, as ``nbgrader autograde`` does."""
        if autograded.exists():
            shutil.rmtree(autograded)
        autograded.mkdir(parents=True)
        notebooks = {f"{name}.ipynb" for name in self.truth}
        for relative, path in listing.files:
            top = Path(relative).parts[0]
            if top in notebooks or (top.endswith(".ipynb") and "/" not in relative):
                continue
            target = autograded / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            copy_regular(path, target)
        for source_path, relative in self._source_files():
            target = autograded / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_path, target)

    @staticmethod
    def _write(path: Path, notebook: NotebookNode) -> None:
        """Write ``notebook`` to ``path`` through a temporary file of a name no submission can
        hold (made anew, with a random part), then put it in place at once."""
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with open(handle, "w", encoding="utf-8") as stream:
                nbformat.write(notebook, stream)
            os.chmod(temporary, 0o644)  # as a notebook written in place would be
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _flags(self, notebooks: list[NotebookOutcome], prepared: dict[str, Prepared]) -> list[str]:
        flags = []
        for notebook in notebooks:
            if notebook.status == NotebookStatus.MISSING:
                flags.append(f"{notebook.name}: not submitted")
            elif not notebook.ran:
                flags.append(f"{notebook.name}: scored 0 because {notebook.detail}")
            flags += [f"{notebook.name}: {note}" for note in notebook.notes]
        for name, ready in sorted(prepared.items()):
            learner = [source for _, source, trusted in ready.code_cells() if not trusted]
            flags += [f"{name}: the learner's code {why}" for why in suspicious_uses(learner)]
        return flags

    # -- the whole class -------------------------------------------------------------------

    def run(self) -> GradeSummary:
        """Grade every submission, then write the feedback and the report."""
        started = time.monotonic()
        if self.options.sandbox:
            find_bwrap()
        students = self.submissions()
        if not students:
            raise GradeError(
                f"no submissions of {self.assignment} in {self.course}/submitted/*/: collect "
                f"them first (nbgrader collect {self.assignment}, or nbgrader zip_collect)"
            )
        tally = Tally(Progress(len(students), self.options.progress))
        pool = self._open_pool()
        try:
            writer = GradebookWriter(self.db_url, self.assignment, self.config)
        except BaseException:
            pool.close()
            raise
        lost: list[PendingSubmission] = []
        try:
            running = self._plan_and_start(students, pool, writer, tally)
            noisy = self._collect_runs(running, writer, tally, lost)
            self._measure_again_alone(noisy, pool, writer, tally, lost)
        finally:
            pool.close()
            writer.close()
        outcomes = tally.by_student()
        report = self._write_feedback_and_report(outcomes)
        return GradeSummary(
            self.assignment,
            outcomes,
            len(outcomes) - tally.unchanged,
            tally.unchanged,
            time.monotonic() - started,
            report,
            self.report_folder,
            len(noisy),
            sorted(submission.student for submission in lost),
            one_line(lost[0].lost, 200) if lost else "",
        )

    def _open_pool(self) -> NotebookPool:
        """Where notebooks run: a Dask cluster when asked for one, else this machine."""
        options = self.options
        if options.scheduler or options.local_cluster:
            from advpy.grade.cluster import ClusterUnavailable, DaskPool

            try:
                return DaskPool(options.scheduler, options.local_cluster)
            except ClusterUnavailable as error:
                raise GradeError(str(error)) from None
        return LocalPool(max(1, options.jobs))

    def _plan_and_start(
        self,
        students: dict[str, Path],
        pool: NotebookPool,
        writer: GradebookWriter,
        tally: Tally,
    ) -> dict[Future[NotebookRun], tuple[PendingSubmission, NotebookJob]]:
        """Take each submission the journal holds unchanged as it is; plan the others and
        start running their notebooks (one with none to run is scored at once)."""
        running: dict[Future[NotebookRun], tuple[PendingSubmission, NotebookJob]] = {}
        for student, folder in students.items():
            fingerprint = ""
            try:
                problem = self.folder_problem(folder)
                ignore = list(self.coursedir.ignore)
                listing = Listing() if problem else list_regular_files(folder, ignore)
                fingerprint = submission_fingerprint(
                    listing.files, {"grading": self.context, "refused": listing.refused}
                )
                entry = self.unchanged_outcome(writer, student, fingerprint)
                if entry is not None:
                    tally.add(entry, unchanged=True)
                    continue
                submission = self.plan(student, folder, listing, fingerprint, problem)
            except Exception as error:  # noqa: BLE001 - one submission never stops the class
                tally.add(self.record_failure(writer, student, fingerprint, error))
                continue
            if not submission.jobs:
                tally.add(self.finish(writer, submission))
            for job in submission.jobs.values():
                running[pool.submit(job)] = (submission, job)
        return running

    def _collect_runs(
        self,
        running: dict[Future[NotebookRun], tuple[PendingSubmission, NotebookJob]],
        writer: GradebookWriter,
        tally: Tally,
        lost: list[PendingSubmission],
    ) -> list[PendingSubmission]:
        """Score each submission as soon as all its notebooks have run, except those whose
        growth-rate checks were measured too noisily: those are returned, in the order they
        completed, to be measured again. A submission with a run the pool lost is added to
        ``lost``, not scored."""
        noisy: list[PendingSubmission] = []
        for future in as_completed(running):
            submission, job = running[future]
            if submission.lost:
                continue
            try:
                submission.runs[job.notebook] = _run_of(future, job)
            except RunLost as error:
                _lose(submission, error, lost, tally)
                continue
            if not submission.complete:
                continue
            if self._measured_too_noisily(submission):
                noisy.append(submission)
            else:
                tally.add(self.finish(writer, submission))
        return noisy

    def _measure_again_alone(
        self,
        noisy: list[PendingSubmission],
        pool: NotebookPool,
        writer: GradebookWriter,
        tally: Tally,
        lost: list[PendingSubmission],
    ) -> None:
        """Run each notebook of ``noisy`` again, one at a time, alone on the machine (as plain
        autograde measures it), and score the submission by that run."""
        for submission in noisy:
            try:
                for name, job in submission.jobs.items():
                    submission.runs[name] = _run_of(pool.submit(job), job)
            except RunLost as error:
                _lose(submission, error, lost, tally)
                continue
            tally.add(self.finish(writer, submission))

    @staticmethod
    def _measured_too_noisily(submission: PendingSubmission) -> bool:
        """True when every failed test cell of the submission failed only a growth-rate
        measurement that ran to the end (a borderline timing, which a busy machine can
        upset), not a check of results nor a clearly too slow answer."""
        failed = 0
        for name, ready in submission.prepared.items():
            run = submission.runs.get(name)
            if run is None:
                return False
            if run.status != NotebookStatus.OK:
                return False
            for index, cell in enumerate(ready.notebook.cells):
                if not is_test_cell(cell):
                    continue
                record = run.cells.get(index)
                outputs = record.outputs if record is not None else ()
                errors = [o for o in outputs if o.get("output_type") == "error"]
                if not errors:
                    continue
                failed += 1
                if record is None or not record.check_failure:
                    return False  # not a check's own verdict (a learner may raise any text)
                if not all(GROWTH_FAILURE in str(o.get("evalue", "")) for o in errors):
                    return False
        return failed > 0

    def _copy_release_files(self, student: str, feedback: Path) -> None:
        """Put the submission's ``timestamp.txt`` and ``submission_secret.txt`` (as the
        autograded copy holds them) beside its feedback, as ``nbgrader generate_feedback``
        does: ``nbgrader release_feedback`` reads both to name the feedback it releases."""
        autograded = self._autograded_folder(student)
        for name in RELEASE_FILES:
            source = autograded / name
            if source.is_file() and not source.is_symlink():
                shutil.copyfile(source, feedback / name)

    def _write_feedback_and_report(self, outcomes: list[SubmissionOutcome]) -> ReportFiles:
        """Each student's feedback in ``feedback/``, and the class's report."""
        feedback_root = Path(self.coursedir.feedback_directory)
        for outcome in outcomes:
            folder = Path(
                self.coursedir.format_path(str(feedback_root), outcome.student, self.assignment)
            )
            try:
                write_feedback(folder, self.assignment, outcome)
                self._copy_release_files(outcome.student, folder)
            except Exception as error:  # noqa: BLE001 - one student's feedback, not the report
                outcome.flags.append(f"no feedback was written ({_failure_text(error)})")
        return write_report(self.report_folder, self.assignment, outcomes)


def _run_of(future: Future[NotebookRun], job: NotebookJob) -> NotebookRun:
    """What running ``job`` gave: an error run should the executor itself have failed;
    :class:`RunLost` when the pool lost the run (there is nothing to score)."""
    try:
        return future.result()
    except RunLost:
        raise
    except Exception as error:  # noqa: BLE001 - one notebook never stops the class
        why = f"the grader could not run it ({_failure_text(error)})"
        return NotebookRun.failed(job, NotebookStatus.ERROR, why)


def _lose(
    submission: PendingSubmission, error: RunLost, lost: list[PendingSubmission], tally: Tally
) -> None:
    """Leave ``submission`` ungraded (neither scored, stored nor journaled): running the
    command again grades it."""
    submission.lost = str(error) or type(error).__name__
    lost.append(submission)
    tally.progress.step()


def _now() -> str:
    """When a submission was graded, as its feedback shows it."""
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")


def _what_is_checked(truth: NotebookTruth, grade_id: str) -> str:
    """What the test cell ``grade_id`` checks, from the instructor's version of it."""
    source = truth.cell(grade_id)
    return what_is_checked(source.source if source is not None else "")


#: The error a test cell gets when the run has no record of it (nbgrader scores it 0).
NOT_RUN_ERROR = {
    "output_type": "error",
    "ename": "CheckNotRun",
    "evalue": "the check did not run to its end",
    "traceback": ["CheckNotRun: the check did not run to its end"],
}


def _cell_kind(cell: NotebookNode, tests: set[str]) -> str:
    """Which part of a notebook's time a code cell's belongs to: "tests", "answers" (cells the
    learner writes) or "other" (the instructor's set-up and demonstration cells)."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade_id") in tests:
        return "tests"
    return "answers" if meta.get("solution") else "other"


def _is_unrun_test(cell: NotebookNode, record: Any) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return (
        cell.cell_type == "code"
        and record is None
        and bool(meta.get("grade"))
        and not meta.get("solution")
        and bool(cell.source.strip())
    )


def _check_not_run(truth: NotebookTruth, grade_id: str, detail: str) -> CheckOutcome:
    """A test cell that scored 0 because its notebook did not run (``detail`` says why)."""
    points = truth.points.get(grade_id, 0.0)
    return CheckOutcome(
        grade_id, points, 0.0, f"not run: {detail}", _what_is_checked(truth, grade_id)
    )


def grade_assignment(options: GradeOptions) -> GradeSummary:
    """Grade every submission of ``options.assignment``; see the module's docstring."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        # nbgrader's gradebook code triggers these harmless ORM warnings on every submission.
        warnings.simplefilter("ignore", SAWarning)
        # Submitted notebooks often have duplicate or missing cell ids; nbformat repairs them.
        warnings.filterwarnings("ignore", module="nbformat")
        warnings.filterwarnings("ignore", category=UserWarning, message=".*cell id.*")
        return ClassGrader(options).run()
