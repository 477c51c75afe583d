"""Writing scores into the course's nbgrader gradebook, as ``nbgrader autograde`` does.

The rules are nbgrader's own (:class:`nbgrader.preprocessors.SaveAutoGrades` and
:class:`nbgrader.preprocessors.AssignLatePenalties`, through :func:`nbgrader.utils.determine_grade`
and the course's late-submission plugin); what differs is the transactions: nbgrader commits
after every cell (each commit waits for the disk), here a submission's grades, comments and late
penalties are one transaction, so they are either all stored or not at all, and a class is
stored in a fraction of the time.
"""

from __future__ import annotations

import datetime
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties


class GradebookWriter:
    """One open gradebook for a grading run; :meth:`close` it at the end."""

    def __init__(self, db_url: str, assignment: str, config: Any) -> None:
        self.gradebook = Gradebook(db_url)
        self.assignment = assignment
        self.late = AssignLatePenalties(config=config)
        self.late.init_plugin()

    def close(self) -> None:
        """Drop what was not committed and close the gradebook."""
        self.gradebook.db.rollback()
        self.gradebook.close()

    def rollback(self) -> None:
        """Drop what was not committed (a submission that failed halfway)."""
        self.gradebook.db.rollback()

    def begin(self, student: str, timestamp: datetime.datetime | None) -> None:
        """Make sure the student and their submission exist (nothing is committed yet)."""
        self.gradebook.db.rollback()
        self.gradebook.update_or_create_student(student)
        if timestamp:
            self.gradebook.update_or_create_submission(
                self.assignment, student, timestamp=timestamp
            )
        else:
            self.gradebook.update_or_create_submission(self.assignment, student)

    def save(self, student: str, notebook_name: str, notebook: NotebookNode) -> None:
        """Store the automatic grades and comments of an executed notebook."""
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if utils.is_grade(cell):
                grade = self.gradebook.find_grade(grade_id, notebook_name, self.assignment, student)
                auto_score, _ = utils.determine_grade(cell)
                grade.auto_score = auto_score
                grade.needs_manual_grade = grade.manual_score is not None or auto_score is None
            if utils.is_solution(cell) or utils.is_task(cell):
                comment = self.gradebook.find_comment(
                    grade_id, notebook_name, self.assignment, student
                )
                unanswered = meta.get("checksum") == utils.compute_checksum(cell)
                comment.auto_comment = (
                    "No response." if unanswered and not utils.is_task(cell) else None
                )

    def zero(self, student: str, notebook_name: str) -> None:
        """Score every cell of a notebook that could not be run 0 (as nbgrader does for a
        notebook that was not submitted)."""
        notebook = self.gradebook.find_submission_notebook(notebook_name, self.assignment, student)
        for grade in notebook.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False

    def finish(self, student: str, notebook_names: list[str]) -> None:
        """Apply the course's late penalty to each notebook, then commit the submission."""
        submission = self.gradebook.find_submission(self.assignment, student)
        seconds_late = submission.total_seconds_late
        for name in notebook_names:
            notebook = self.gradebook.find_submission_notebook(name, self.assignment, student)
            notebook.late_submission_penalty = None
            if seconds_late > 0:
                penalty = self.late.plugin_inst.late_submission_penalty(
                    student, notebook.score, seconds_late
                )
                if penalty is not None:
                    notebook.late_submission_penalty = self.late._check_late_penalty(
                        notebook, penalty
                    )
        self.gradebook.db.commit()

    def stored(self, student: str) -> dict[str, float] | None:
        """The automatic score of each graded cell of ``student``'s submission, if any."""
        from nbgrader.api import MissingEntry

        try:
            submission = self.gradebook.find_submission(self.assignment, student)
        except MissingEntry:
            return None
        return {
            grade.name: float(grade.auto_score or 0.0)
            for notebook in submission.notebooks
            for grade in notebook.grades
        }
