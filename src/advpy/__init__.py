"""advpy: the course's own package.

Helpers the lesson notebooks import, the checking helpers the graded test cells import
(:mod:`advpy.checks`), the build that turns text masters into notebooks, the learner's
self-check, and the instructor's grader.
"""

__version__ = "0.1.0"
