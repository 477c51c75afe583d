"""Feedback for each graded student, in nbgrader's place (``feedback/STUDENT/ASSIGNMENT/``).

For each notebook: the score, then every check passed or failed and why, in exactly the words
``advpy check`` prints for the same failure (the report lines come from
:func:`advpy.course.scoring.report_lines`), then what each check tests (the visible first line of
its docstring) and anything the grader had to put right. No test code, no hidden input, nothing
the notebook printed.

Much of it is text a student controls (their id is a folder name; notes quote tags; a reason
may quote a broken file). The feedback is therefore built as a few blocks of plain text first,
then written as Markdown and as HTML, each escaping every piece of text for its own format
(:mod:`advpy.grade.text`), so no student text can become a heading, a link or markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from advpy.course.scoring import report_lines
from advpy.grade.protocol import NotebookStatus
from advpy.grade.results import NotebookOutcome, SubmissionOutcome
from advpy.grade.text import code_fence, markdown_code, markdown_text, one_line

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


#: Longest line of a feedback paragraph (the grader's own sentences are well below it).
_MAX_LINE = 10_000


@dataclass(frozen=True)
class Span:
    """A piece of text in a line: plain, strong or code; always shown literally."""

    text: str
    style: str = ""  # "", "strong" or "code"


@dataclass(frozen=True)
class Block:
    """A heading (``h1``, ``h2``), a paragraph (``p``), a list (``ul``: one item per line) or
    preformatted lines (``pre``: each line one span)."""

    kind: str
    lines: tuple[tuple[Span, ...], ...]


def _line(*spans: Span | str) -> tuple[Span, ...]:
    return tuple(s if isinstance(s, Span) else Span(s) for s in spans)


def _block(kind: str, *lines: tuple[Span, ...]) -> Block:
    return Block(kind, tuple(lines))


def check_lines(notebook: NotebookOutcome) -> list[str]:
    """The per-check lines and the summary line, as ``advpy check`` words them."""
    return report_lines([c.as_cell_result() for c in notebook.checks])


def feedback_blocks(
    assignment: str, outcome: SubmissionOutcome, notebook: NotebookOutcome
) -> list[Block]:
    """The feedback for one notebook, as blocks of text."""
    earned = sum(c.earned for c in notebook.checks)
    total = sum(c.points for c in notebook.checks)
    title = assignment if notebook.name == assignment else f"{assignment} · {notebook.name}"
    blocks = [
        _block("h1", _line(f"{title}: feedback for {outcome.student}")),
        _block(
            "p",
            _line(
                Span(f"Score: {earned:g} / {total:g} points", "strong"),
                f" (graded {outcome.graded_at}).",
            ),
        ),
    ]
    if not notebook.ran:
        blocks.append(
            _block(
                "p", _line(_STATUS_TEXT.get(notebook.status, "This notebook could not be graded."))
            )
        )
        if notebook.detail:
            blocks.append(_block("p", _line(f"Reason: {notebook.detail}.")))
    blocks.append(_block("h2", _line("Checks")))
    blocks.append(_block("pre", *(_line(line) for line in check_lines(notebook))))
    described = [c for c in notebook.checks if c.what]
    if described:
        blocks.append(_block("h2", _line("What each check tests")))
        items = [
            _line(Span(c.grade_id, "code"), f" ({c.points:g} points): {c.what}") for c in described
        ]
        blocks.append(_block("ul", *items))
    if notebook.notes:
        blocks.append(_block("h2", _line("Put right by the grader")))
        blocks.append(_block("ul", *(_line(note) for note in notebook.notes)))
    blocks.append(
        _block(
            "p",
            _line(
                "Hidden tests ran too; their messages say what property failed without showing "
                "their inputs. Fix the answer, then run ",
                Span("advpy check", "code"),
                " on your notebook before resubmitting.",
            ),
        )
    )
    return blocks


def _markdown_span(span: Span) -> str:
    if span.style == "code":
        return markdown_code(span.text, _MAX_LINE)
    text = markdown_text(span.text, _MAX_LINE)
    return f"**{text}**" if span.style == "strong" and text else text


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown, every piece of text escaped."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "pre":
            lines = [one_line("".join(s.text for s in line), _MAX_LINE) for line in block.lines]
            fence = code_fence(lines)
            out += [fence, *lines, fence, ""]
            continue
        rendered = ["".join(_markdown_span(s) for s in line) for line in block.lines]
        prefix = {"h1": "# ", "h2": "## ", "ul": "- "}.get(block.kind, "")
        out += [prefix + line for line in rendered]
        out.append("")
    return "\n".join(out)


def _html_span(span: Span) -> str:
    text = html.escape(one_line(span.text, _MAX_LINE))
    return f"<{span.style}>{text}</{span.style}>" if span.style else text


def to_html(title: str, blocks: list[Block]) -> str:
    """The blocks as a standalone HTML page, every piece of text escaped."""
    body: list[str] = []
    for block in blocks:
        if block.kind == "pre":
            lines = [
                html.escape(one_line("".join(s.text for s in line), _MAX_LINE))
                for line in block.lines
            ]
            body.append("<pre>" + "\n".join(lines) + "</pre>")
            continue
        rendered = ["".join(_html_span(s) for s in line) for line in block.lines]
        if block.kind == "ul":
            body.append("<ul>" + "".join(f"<li>{item}</li>" for item in rendered) + "</ul>")
        else:
            body += [f"<{block.kind}>{line}</{block.kind}>" for line in rendered]
    style = (
        "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}pre{background:#f5f5f5;padding:.8rem;overflow-x:auto}"
        "code{background:#f5f5f5;padding:0 .2rem}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(one_line(title))}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def feedback_text(assignment: str, outcome: SubmissionOutcome, notebook: NotebookOutcome) -> str:
    """The feedback for one notebook, as Markdown."""
    return to_markdown(feedback_blocks(assignment, outcome, notebook))


def write_feedback(folder: Path, assignment: str, outcome: SubmissionOutcome) -> list[Path]:
    """Write ``NOTEBOOK.html`` and ``NOTEBOOK.md`` for each notebook into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for notebook in outcome.notebooks:
        blocks = feedback_blocks(assignment, outcome, notebook)
        markdown = folder / f"{notebook.name}.md"
        markdown.write_text(to_markdown(blocks), encoding="utf-8")
        page = folder / f"{notebook.name}.html"
        page.write_text(
            to_html(f"{assignment} feedback: {outcome.student}", blocks), encoding="utf-8"
        )
        written += [page, markdown]
    return written
