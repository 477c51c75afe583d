"""Showing text that a student controls: student ids (folder names), tags, file names, error
messages. Each place it is shown has its own dangers, handled here once:

- everywhere: one line, no control or format characters (a newline forges a new line, an escape
  sequence rewrites a terminal, a bidirectional override reorders what is read), and nothing
  that cannot be written as UTF-8 (a lone surrogate from a JSON escape or an undecodable file
  name would make the write fail);
- Markdown: no character that starts markup, so a tag cannot become a heading, a link or HTML;
- CSV opened in a spreadsheet: no cell that starts like a formula.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest text shown for one student-controlled value (an id, a tag list, an error message).
MAX_SHOWN = 300
#: The Markdown characters escaped wherever they are (CommonMark lets any of them be escaped).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]{}<>#|~&!])")
#: What starts a block at the beginning of a line: a list item or rule (``-``, ``+``), a
#: heading's underline (``=``), a numbered item (``1.``, ``1)``); the marker gets the escape.
_MARKDOWN_LINE_START = re.compile(r"^(\d*)([-+=.)])")
#: How a spreadsheet recognises a formula: the first character of the cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def one_line(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as one printable line of at most ``limit`` characters: control and format
    characters become spaces, what UTF-8 cannot hold is written as an escape."""
    value = text if isinstance(text, str) else str(text)
    if not value.isprintable() or not _encodable(value):
        value = value.encode("utf-8", "backslashreplace").decode("utf-8")
        value = "".join(
            " " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in value
        )
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def markdown_text(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as literal Markdown inline text on one line: every character that could start
    emphasis, code, a link, HTML or a heading is escaped, as is a leading list or rule marker."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", one_line(text, limit).strip())
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)


def markdown_code(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as a Markdown code span on one line: its fence is longer than any run of
    backticks inside, and nothing inside a code span is markup or HTML."""
    value = one_line(text, limit)
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {value} " if value[:1] in ("`", " ") or value[-1:] in ("`", " ") else value
    return f"{fence}{padded}{fence}"


def code_fence(lines: list[str]) -> str:
    """A backtick fence longer than any run of backticks in ``lines``, so none can close it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def csv_cell(text: object, limit: int = 10 * MAX_SHOWN) -> str:
    """``text`` for a CSV cell: one line, and a leading apostrophe when a spreadsheet would read
    it as a formula."""
    value = one_line(text, limit)
    return "'" + value if value.startswith(_FORMULA_START) else value


def terminal_text(text: object) -> str:
    """``text`` safe to print on a terminal: one line per line, no control characters."""
    return "\n".join(one_line(line, 10_000) for line in str(text).split("\n"))
