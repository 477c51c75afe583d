"""Where each assignment's verdicts are decided (see :mod:`advpy.grade.judge`): by the judge,
outside the answer's process, unless its tests must run beside the answer's code."""

from __future__ import annotations

#: Graded sets whose tests must run beside the learner's code, and why; every other notebook's
#: verdicts are decided by the judge.
KERNEL_VERDICTS: dict[str, str] = {
    "ps01_gil": "threads, processes and asyncio run beside the answer",
    "ps02_memory": "memory is measured inside the answer's process",
    "ps03_generators_async": "async answers run on the test's event loop",
    "ps04_metaclasses": "classes are built by the answer's metaclass",
    "ps08_comprehensions": "memory peaks are traced inside the answer's process",
    "ps14_caching": "the test's threads call the answer at once (a stampede, racing writers)",
    "ps36_token_bucket": "threads interleave inside the answer's process",
    "ps15_rate_limiting": "many threads call the answer at once against one Redis",
}


def judged_outside(assignment: str) -> bool:
    """True when ``assignment``'s test cells are run by the judge."""
    return assignment not in KERNEL_VERDICTS
