"""A set's audit file, ``solutions/audit/psNN_slug.toml``: the surviving mutants its author
has judged equivalent to the reference, each with the reason, and the digest of the set's
source notebook as it was when the full audit last passed.

    [audited]
    source = "5d41402abc4b2a76b9719d911017c592..."

    [equivalent]
    "merge_answer/comparison@12:3f9a0c1d2e4b" = "< and <= agree here: equal starts merge"

A key is ``answer cell/operator@line:digest`` (:attr:`advpy.audit.mutants.Mutant.key`); the
digest changes with the mutated code, so an entry stops applying when the reference changes
and the mutant must be judged again. ``advpy audit`` rewrites the file after a full audit
passes; the test suite fails for a set whose source changed since (``make audit`` again).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from advpy.course.paths import CoursePaths


class AuditFileError(ValueError):
    """An audit file that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class AuditFile:
    """The equivalent mutants of one set, by key, with their reasons."""

    path: Path
    equivalent: dict[str, str] = field(default_factory=dict)
    audited_source: str = ""  # digest of the source notebook the full audit passed on


def audit_file_path(paths: CoursePaths, assignment: str) -> Path:
    return paths.solutions / "audit" / f"{assignment}.toml"


def read_audit_file(paths: CoursePaths, assignment: str) -> AuditFile:
    """The set's audit file; an empty one when the set has none yet."""
    path = audit_file_path(paths, assignment)
    if not path.exists():
        return AuditFile(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise AuditFileError(f"{path}: not valid TOML ({error})") from error
    unknown = set(data) - {"equivalent", "audited"}
    if unknown:
        raise AuditFileError(
            f"{path}: unknown tables {sorted(unknown)}; only [audited] and [equivalent]"
        )
    audited = data.get("audited", {})
    if not isinstance(audited, dict) or not isinstance(audited.get("source", ""), str):
        raise AuditFileError(f'{path}: [audited] holds source = "<digest>"')
    table = data.get("equivalent", {})
    if not isinstance(table, dict):
        raise AuditFileError(f"{path}: [equivalent] must be a table of key = reason")
    for key, reason in table.items():
        if not isinstance(reason, str) or not reason.strip():
            raise AuditFileError(f"{path}: {key!r} needs a reason, one line saying why")
    return AuditFile(path, dict(table), audited.get("source", ""))


def source_digest(paths: CoursePaths, assignment: str) -> str:
    """The digest of the set's source notebook (reference, visible and hidden tests)."""
    notebook = paths.source / assignment / f"{assignment}.ipynb"
    return hashlib.sha256(notebook.read_bytes()).hexdigest()


def write_audit_file(
    paths: CoursePaths, assignment: str, equivalent: dict[str, tuple[str, str]]
) -> Path:
    """Record a passing full audit: the source's digest, and each equivalent mutant (key ->
    (change, reason)) with its change as a comment."""
    path = audit_file_path(paths, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# advpy audit of {assignment}: rewritten by `advpy audit` when the full audit passes.",
        "",
        "[audited]",
        f"source = {_quoted(source_digest(paths, assignment))}",
        "",
        "[equivalent]",
    ]
    for key, (change, reason) in sorted(equivalent.items()):
        lines += [f"# {' '.join(change.split())}", f"{_quoted(key)} = {_quoted(reason)}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def entry(key: str, change: str) -> str:
    """A line to paste into ``[equivalent]``, with the change as a comment above it."""
    flat = " ".join(change.split())
    return f'# {flat}\n{_quoted(key)} = "WHY this mutant behaves like the reference"'


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
