"""Where a learner stands: the last self-check of every graded set, in course order.

:func:`standing` joins the course's graded sets with the progress store; :func:`standing_text`
is what ``advpy progress`` prints and what the start-here dashboard shows under its picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advpy.course.paths import CoursePaths
from advpy.progress import CheckRecord, latest
from advpy.start_here.course_map import graded_sets


@dataclass(frozen=True)
class SetStanding:
    """One graded set and its last recorded self-check (``None``: not checked yet)."""

    name: str
    points: int | None  # what the set is worth, read from the course's files
    last: CheckRecord | None
    in_course: bool = True  # False for a notebook recorded under a name the course lacks

    @property
    def possible(self) -> float | None:
        """The points to earn: the last check's, else the set's own."""
        return self.last.possible if self.last else self.points


def standing(paths: CoursePaths, store: Path | None = None) -> list[SetStanding]:
    """Every graded set in course order with its last result, then any other notebook that
    was recorded under a name that is not a set of this course (a renamed copy, say)."""
    last = latest(store)
    rows = [SetStanding(s.name, s.points, last.pop(s.name, None)) for s in graded_sets(paths)]
    rows += [SetStanding(name, None, record, in_course=False) for name, record in last.items()]
    return rows


def when(record: CheckRecord) -> str:
    """When a check ran, in local time, to the minute."""
    return record.checked_at.astimezone().strftime("%Y-%m-%d %H:%M")


def result_text(row: SetStanding) -> str:
    """``7/10 points, 3 of 4 checks`` or ``not checked yet``."""
    if row.last is None:
        return "not checked yet"
    r = row.last
    return f"{r.earned:g}/{r.possible:g} points, {r.passed} of {r.total} checks"


def totals_text(rows: list[SetStanding]) -> str:
    """One line: sets checked, points and checks in them, and the course's points in all."""
    course = [r for r in rows if r.in_course]
    checked = [r.last for r in course if r.last is not None]
    earned = sum(r.earned for r in checked)
    possible = sum(r.possible for r in checked)
    passed = sum(r.passed for r in checked)
    total = sum(r.total for r in checked)
    worth = sum(r.possible or 0 for r in course)
    return (
        f"Total: {len(checked)} of {len(course)} sets checked; {earned:g}/{possible:g} points "
        f"and {passed} of {total} checks passed in them; {earned:g} of {worth:g} points in "
        "the course."
    )


def standing_text(rows: list[SetStanding], store: Path | None = None) -> str:
    """The table ``advpy progress`` prints: one line per set, then the totals."""
    width = max([len(r.name) for r in rows] + [len("set")])
    header = f"{'set':<{width}}  {'last self-check':<32}  when"
    lines = []
    if store is not None:
        lines += [f"Your self-check results, from {store}", ""]
    lines += [header, "-" * len(header)]
    for row in (r for r in rows if r.in_course):
        stamp = f"{when(row.last)} ({row.last.via})" if row.last else ""
        lines.append(f"{row.name:<{width}}  {result_text(row):<32}  {stamp}".rstrip())
    lines += ["", totals_text(rows)]
    others = [r for r in rows if not r.in_course and r.last is not None]
    if others:
        lines += ["", "Also checked, under names that are not sets of this course:"]
        for row in others:
            assert row.last is not None
            lines.append(
                f"  {row.name}: {result_text(row)}, {when(row.last)} ({row.last.notebook})"
            )
    if not any(r.last for r in rows):
        lines += ["", "Nothing checked yet: run `advpy check notebooks/exercises/<set>.ipynb`."]
    return "\n".join(lines)
