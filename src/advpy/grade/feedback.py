"""Feedback for each graded student, in nbgrader's place (``feedback/STUDENT/ASSIGNMENT/``).

For each notebook: the score, then every check passed or failed and why, in exactly the words
``advpy check`` prints for the same failure (the report lines come from
:func:`advpy.course.scoring.report_lines`), then what each check tests (the visible first line of
its docstring) and anything the grader had to put right. No test code, no hidden input, nothing
the notebook printed.
"""

from __future__ import annotations

import html
from pathlib import Path

from advpy.course.scoring import report_lines
from advpy.grade.protocol import NotebookStatus
from advpy.grade.results import NotebookOutcome, SubmissionOutcome

_STATUS_TEXT = {
    NotebookStatus.MISSING: "This notebook was not submitted.",
    NotebookStatus.INVALID: "This notebook could not be read, so none of its checks could run.",
    NotebookStatus.TIMEOUT: (
        "This notebook ran past its time limit and was stopped; its checks score 0."
    ),
    NotebookStatus.DIED: "This notebook's process stopped before the end; its checks score 0.",
    NotebookStatus.OUTPUT: (
        "This notebook printed far too much and was stopped; its checks score 0."
    ),
    NotebookStatus.ERROR: "This notebook could not be run by the grader; its checks score 0.",
}


def check_lines(notebook: NotebookOutcome) -> list[str]:
    """The per-check lines and the summary line, as ``advpy check`` words them."""
    return report_lines([c.as_cell_result() for c in notebook.checks])


def feedback_text(assignment: str, outcome: SubmissionOutcome, notebook: NotebookOutcome) -> str:
    """The feedback for one notebook, as Markdown."""
    earned = sum(c.earned for c in notebook.checks)
    total = sum(c.points for c in notebook.checks)
    title = assignment if notebook.name == assignment else f"{assignment} · {notebook.name}"
    lines = [
        f"# {title}: feedback for {outcome.student}",
        "",
        f"**Score: {earned:g} / {total:g} points** (graded {outcome.graded_at}).",
        "",
    ]
    if not notebook.ran:
        lines += [_STATUS_TEXT.get(notebook.status, "This notebook could not be graded."), ""]
        if notebook.detail:
            lines += [f"Reason: {notebook.detail}.", ""]
    lines += ["## Checks", "", "```", *check_lines(notebook), "```", ""]
    described = [c for c in notebook.checks if c.what]
    if described:
        lines += ["## What each check tests", ""]
        lines += [f"- `{c.grade_id}` ({c.points:g} points): {c.what}" for c in described]
        lines.append("")
    if notebook.notes:
        lines += ["## Put right by the grader", ""]
        lines += [f"- {note}" for note in notebook.notes]
        lines.append("")
    lines += [
        "Hidden tests ran too; their messages say what property failed without showing their "
        "inputs. Fix the answer, then run `advpy check` on your notebook before resubmitting.",
        "",
    ]
    return "\n".join(lines)


def _markdown_to_html(title: str, text: str) -> str:
    body: list[str] = []
    in_code = False
    in_list = False
    for line in text.splitlines():
        if line.startswith("```"):
            body.append("</pre>" if in_code else "<pre>")
            in_code = not in_code
            continue
        if in_code:
            body.append(html.escape(line))
            continue
        if line.startswith("- ") != in_list:
            body.append("<ul>" if not in_list else "</ul>")
            in_list = not in_list
        escaped = html.escape(line)
        escaped = _inline(escaped)
        if line.startswith("# "):
            body.append(f"<h1>{_inline(html.escape(line[2:]))}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{_inline(html.escape(line[3:]))}</h2>")
        elif line.startswith("- "):
            body.append(f"<li>{_inline(html.escape(line[2:]))}</li>")
        elif line:
            body.append(f"<p>{escaped}</p>")
    if in_list:
        body.append("</ul>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}pre{background:#f5f5f5;padding:.8rem;overflow-x:auto}"
        "code{background:#f5f5f5;padding:0 .2rem}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _inline(escaped: str) -> str:
    parts = escaped.split("**")
    escaped = "".join(p if i % 2 == 0 else f"<strong>{p}</strong>" for i, p in enumerate(parts))
    parts = escaped.split("`")
    return "".join(p if i % 2 == 0 else f"<code>{p}</code>" for i, p in enumerate(parts))


def write_feedback(folder: Path, assignment: str, outcome: SubmissionOutcome) -> list[Path]:
    """Write ``NOTEBOOK.html`` and ``NOTEBOOK.md`` for each notebook into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for notebook in outcome.notebooks:
        text = feedback_text(assignment, outcome, notebook)
        markdown = folder / f"{notebook.name}.md"
        markdown.write_text(text, encoding="utf-8")
        page = folder / f"{notebook.name}.html"
        page.write_text(
            _markdown_to_html(f"{assignment} feedback: {outcome.student}", text),
            encoding="utf-8",
        )
        written += [page, markdown]
    return written
