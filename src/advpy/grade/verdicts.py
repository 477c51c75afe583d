"""Where each assignment's verdicts are decided (see :mod:`advpy.grade.judge`): by the judge,
outside the answer's process, unless its tests must run beside the answer's code."""

from __future__ import annotations

#: Graded sets whose tests must run beside the learner's code, and why; every other notebook's
#: verdicts are decided by the judge.
KERNEL_VERDICTS: dict[str, str] = {
    "ps09_thread_safety": "threads interleave inside the answer's process",
}


def judged_outside(assignment: str) -> bool:
    """True when ``assignment``'s test cells are run by the judge."""
    return assignment not in KERNEL_VERDICTS
