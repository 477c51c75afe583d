"""Where each assignment's verdicts are decided (see :mod:`advpy.grade.judge`): by the judge,
outside the answer's process, unless its tests must run beside the answer's code."""

from __future__ import annotations

#: Graded sets whose tests must run beside the learner's code, and why; every other notebook's
#: verdicts are decided by the judge. Every graded set is judged now: work a test must do next to
#: the answer (threads, event loops, a learner's metaclass, memory) runs there in a test's own
#: function (``advpy.checks.Beside``) that brings back what it saw. A set added here runs its
#: test cells in the kernel, as ``advpy grade --verdicts-in-kernel`` does for any assignment.
KERNEL_VERDICTS: dict[str, str] = {}


def judged_outside(assignment: str) -> bool:
    """True when ``assignment``'s test cells are run by the judge."""
    return assignment not in KERNEL_VERDICTS
