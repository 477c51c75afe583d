"""The instructor's report of a graded class, in ``reports/ASSIGNMENT/``.

- ``grades.csv``: one row per student: total, maximum, each check's points, status, flags;
- ``score_histogram.png``: how total scores are spread;
- ``check_pass_rates.png``: the share of students passing each check (what the class found
  hard);
- ``flagged.md``: the submissions a human should look at, each with its reasons.

Student ids and flags carry text a student controls; each is escaped for where it goes
(:mod:`advpy.grade.text`): Markdown for ``flagged.md``, formula-proof cells for ``grades.csv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from advpy.grade.results import SubmissionOutcome
from advpy.grade.text import csv_cell, markdown_code, markdown_text


@dataclass(frozen=True)
class ReportFiles:
    """Where the report's files were written."""

    grades: Path
    histogram: Path
    pass_rates: Path
    flagged: Path


def _check_ids(outcomes: list[SubmissionOutcome]) -> list[str]:
    ids: list[str] = []
    for outcome in outcomes:
        for notebook in outcome.notebooks:
            for check in notebook.checks:
                if check.grade_id not in ids:
                    ids.append(check.grade_id)
    return ids


def _statuses(outcome: SubmissionOutcome) -> str:
    return "; ".join(f"{n.name}: {n.status}" for n in outcome.notebooks)


def write_grades_csv(path: Path, outcomes: list[SubmissionOutcome]) -> None:
    """One row per student, one column per check."""
    ids = _check_ids(outcomes)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "score", "max_score", *ids, "status", "flags"])
        for outcome in outcomes:
            earned = {c.grade_id: c.earned for n in outcome.notebooks for c in n.checks}
            writer.writerow(
                [
                    csv_cell(outcome.student),
                    f"{outcome.score:g}",
                    f"{outcome.max_score:g}",
                    *[f"{earned[i]:g}" if i in earned else "" for i in ids],
                    csv_cell(_statuses(outcome)),
                    csv_cell(" | ".join(outcome.flags)),
                ]
            )


def plot_histogram(path: Path, assignment: str, outcomes: list[SubmissionOutcome]) -> None:
    """A histogram of total scores, one bar per possible point value."""
    from matplotlib.figure import Figure

    scores = [o.score for o in outcomes]
    top = max([o.max_score for o in outcomes] + [1.0])
    fig = Figure(figsize=(7, 4), dpi=110)
    ax = fig.subplots()
    edges = [x - 0.5 for x in range(int(top) + 2)]
    ax.hist(scores, bins=edges, color="#3b6ea8", edgecolor="white")
    ax.set_xlim(-0.5, top + 0.5)
    ax.set_title(f"{assignment}: total scores of {len(outcomes)} submissions")
    ax.set_xlabel(f"points (out of {top:g})")
    ax.set_ylabel("students")
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if scores:
        mean = sum(scores) / len(scores)
        ax.axvline(mean, color="#c0504d", linestyle="--", label=f"mean {mean:.1f}")
        ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path)


def plot_pass_rates(path: Path, assignment: str, outcomes: list[SubmissionOutcome]) -> None:
    """A horizontal bar per check: the share of submissions that passed it."""
    from matplotlib.figure import Figure

    ids = _check_ids(outcomes)
    rates = []
    for grade_id in ids:
        results = [
            c.earned >= c.points
            for o in outcomes
            for n in o.notebooks
            for c in n.checks
            if c.grade_id == grade_id
        ]
        rates.append(100.0 * sum(results) / len(results) if results else 0.0)
    fig = Figure(figsize=(7, 1.2 + 0.45 * max(len(ids), 1)), dpi=110)
    ax = fig.subplots()
    positions = list(range(len(ids)))
    ax.barh(positions, rates, color="#3b6ea8")
    ax.set_yticks(positions, ids)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    for y, rate in zip(positions, rates, strict=True):
        ax.text(min(rate + 1, 92), y, f"{rate:.0f}%", va="center")
    ax.set_title(f"{assignment}: submissions passing each check (of {len(outcomes)})")
    ax.set_xlabel("submissions passing (%)")
    fig.tight_layout()
    fig.savefig(path)


def write_flagged(path: Path, assignment: str, outcomes: list[SubmissionOutcome]) -> int:
    """The submissions to look at by hand, with the reasons; returns how many."""
    flagged = [o for o in outcomes if o.flags]
    lines = [f"# {assignment}: submissions to look at", ""]
    if not flagged:
        lines.append("None: every submission ran normally and nothing looked unusual.")
    for outcome in flagged:
        score = f"{outcome.score:g}/{outcome.max_score:g}"
        lines.append(f"## {markdown_code(outcome.student)} ({score})")
        lines += [f"- {markdown_text(flag)}" for flag in outcome.flags]
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(flagged)


def write_report(folder: Path, assignment: str, outcomes: list[SubmissionOutcome]) -> ReportFiles:
    """Write every file of the report into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = sorted(outcomes, key=lambda o: o.student)
    files = ReportFiles(
        folder / "grades.csv",
        folder / "score_histogram.png",
        folder / "check_pass_rates.png",
        folder / "flagged.md",
    )
    write_grades_csv(files.grades, outcomes)
    plot_histogram(files.histogram, assignment, outcomes)
    plot_pass_rates(files.pass_rates, assignment, outcomes)
    write_flagged(files.flagged, assignment, outcomes)
    return files
