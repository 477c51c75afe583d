"""Spot learner code that reaches for the grader's machinery, to flag it for a human.

Grading already neutralises these tricks where it can (see :mod:`advpy.grade.notebook_runner`);
code that digs into the running interpreter could still forge a result in any kernel, so such
code is listed in the report with what it used. A flag never changes a score.
"""

from __future__ import annotations

import re

#: (pattern, what it means) for code in the learner's own cells.
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bctypes\b|\bcffi\b", "uses ctypes (can rewrite the interpreter's memory)"),
    (r"/proc/self/mem|/proc/\d+/mem", "writes to a process's memory through /proc"),
    (r"\bgc\.get_(objects|referrers|referents)\b", "searches the interpreter's live objects"),
    (
        r"\b_getframe\b|\bf_back\b|\bf_locals\b|\btb_frame\b|\bcurrentframe\b|inspect\.stack"
        r"|\b(cr|gi|ag)_frame\b|\bf_globals\b|\bTracebackType\b",
        "inspects the frames of the code calling it",
    ),
    (r"\bsettrace\b|\bsetprofile\b", "installs tracing or profiling hooks"),
    (
        r"input_transformers|ast_transformers|set_custom_exc|events\.register|register_magic",
        "changes how IPython runs later cells",
    ),
    (r"\bbuiltins\b|__builtins__", "changes built-in names"),
    (r"advpy\.checks|\bexpect_same\s*=|\bsame\s*=\s*lambda", "touches the checking helpers"),
    (r"\bos\.(write|dup2?|fdopen)\b", "writes to raw file descriptors"),
    (r"NBGRADER|gradebook|autograded|\bsubmitted/|\bsource/", "looks for the grader's files"),
    (r"\bsignal\.(signal|setitimer|alarm)\b", "changes signal handlers or timers"),
    (r"\bsys\.modules\b|\bimportlib\.reload\b|\bmeta_path\b", "rewires imports"),
)
_COMPILED = [(re.compile(p), why) for p, why in PATTERNS]


def suspicious_uses(sources: list[str]) -> list[str]:
    """What the given learner code cells reach for, one reason per kind, in a fixed order."""
    text = "\n".join(sources)
    return [why for pattern, why in _COMPILED if pattern.search(text)]
