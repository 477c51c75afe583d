"""The nbgrader settings every part of the course shares.

``grading/nbgrader_config.py`` (instructors), the learners' Jupyter configuration (the Validate
button) and ``advpy`` itself all call :func:`apply_course_settings`, so a notebook is run and
scored the same way everywhere.
"""

from __future__ import annotations

from typing import Any

COURSE_ID = "advpy"
#: Seconds one cell may run. Complexity checks stop a too-slow answer well before this.
CELL_TIMEOUT = 120
#: Kernel arguments: no history file, and tracebacks cut to ``Name: message`` so a failing
#: hidden assert does not quote its own line.
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:", "--InteractiveShell.xmode=Minimal"]
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
#: How ``nbgrader zip_collect`` reads a downloaded file's name: ``STUDENT__ps31_two_sum.ipynb``
#: (a student id, two underscores, the notebook's name), alone or inside zip archives.
ZIP_NAME_PATTERN = r".*?(?P<student_id>[A-Za-z0-9][A-Za-z0-9_.@-]*?)__(?P<file_id>[^/]+)$"


def apply_course_settings(c: Any) -> None:
    """Fill the traitlets config ``c`` with the course's nbgrader settings."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        ClearHiddenTests,
        Execute,
        GetGrades,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from advpy.course.preprocessors import HideHiddenTestOutputs, StripCellTags

    c.CourseDirectory.course_id = COURSE_ID
    c.ClearSolutions.code_stub = {"python": STUB}
    c.FileNameCollectorPlugin.named_regexp = ZIP_NAME_PATTERN
    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.extra_arguments = list(KERNEL_ARGUMENTS)
    # A deleted test cell is put back (and run) instead of leaving the grade to a human.
    c.OverwriteCells.add_missing_cells = True
    # Tags are stripped before the notebook runs, so tagged test cells cannot be skipped.
    c.Autograde.autograde_preprocessors = [
        StripCellTags,
        Execute,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    # Feedback keeps hidden tests out: their code, and whatever their cells printed.
    c.GenerateFeedback.preprocessors = [
        GetGrades,
        HideHiddenTestOutputs,
        ClearHiddenTests,
        CSSHTMLHeaderPreprocessor,
    ]
