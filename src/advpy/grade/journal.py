"""The grading journal: one line per graded submission, appended once its grades are safely in
the gradebook, so a run stopped at any point (even by SIGKILL) is finished by running it again.

A submission is skipped on a later run only when its journal line matches what would be graded
now (same files, same instructor version, same limits) and the gradebook still holds the same
scores; anything else is graded again, and grading again overwrites (never adds to) its grades.
A line cut short by a crash is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from advpy.grade.files import open_regular
from advpy.grade.results import SubmissionOutcome

#: Bump when grading itself changes, so that every submission is graded again.
GRADER_VERSION = "3"


class Journal:
    """The journal file of one assignment."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, SubmissionOutcome] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    outcome = SubmissionOutcome.from_json(json.loads(line))
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a line cut short by a crash, or not one of the journal's
                self.entries[outcome.student] = outcome

    def get(self, student: str) -> SubmissionOutcome | None:
        return self.entries.get(student)

    def record(self, outcome: SubmissionOutcome) -> None:
        """Append ``outcome`` and make sure it is on disk before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(outcome.to_json(), sort_keys=True) + "\n"
        with open(self.path, "a", encoding="utf-8") as handle:
            if handle.tell() > 0 and not self._ends_with_newline():
                handle.write("\n")
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self.entries[outcome.student] = outcome

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"


def submission_fingerprint(files: list[tuple[str, Path]], context: Any) -> str:
    """A digest of a submission's regular files (relative name and bytes) and of ``context``
    (the instructor's version, the limits, what was refused)."""
    digest = hashlib.sha256()
    digest.update(GRADER_VERSION.encode())
    digest.update(json.dumps(context, sort_keys=True, default=str).encode())
    for relative, path in sorted(files):
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        with open(open_regular(path), "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()
