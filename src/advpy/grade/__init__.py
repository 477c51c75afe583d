"""The instructor's class grader, ``advpy grade``: sandboxed, parallel, resumable grading of
every submission into nbgrader's gradebook (start at :mod:`advpy.grade.runner`)."""
