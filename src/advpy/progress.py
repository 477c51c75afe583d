"""Your self-check results, kept on your own machine: record each check, read the last ones.

Every ``advpy check`` (and every Validate in the course's JupyterLab) adds one row to a small
SQLite database: which graded set, the points earned and possible, how many checks passed, when,
and which notebook file. ``advpy progress`` and the start-here notebook read the last row of
each set. Nothing is ever sent anywhere; delete the file to forget everything.

**Where it lives.** In your home, not in the course folder:
``$XDG_DATA_HOME/advpy/progress.sqlite3`` (by default ``~/.local/share/advpy/progress.sqlite3``).
Your results belong to you, not to one copy of the course: they survive a fresh clone or a new
release of the course, never show up in ``git status``, and on a shared machine or a JupyterHub
each learner's home keeps each learner's results apart, even when the course folder itself is
shared or read-only. ``ADVPY_PROGRESS_DB`` names another file (the tests use a temporary one).

**The schema is versioned** with SQLite's ``user_version``: a store written by a newer course
is refused with a clear message instead of being misread, and an older one would be upgraded in
place by :data:`_MIGRATIONS`.

**Safe with several writers.** Each record is one short ``BEGIN IMMEDIATE`` transaction and
SQLite waits (up to ``timeout`` seconds) for another writer to finish, so two checks recording at
once both land. A damaged or locked store raises :class:`ProgressError` saying what to do; the
caller has already shown the check's own result.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

#: The environment variable that names the store's file instead of the default one.
STORE_ENV = "ADVPY_PROGRESS_DB"
#: How a result was produced.
VIA_CHECK = "advpy check"
VIA_VALIDATE = "Validate"
#: Seconds to wait for another program's write to finish before giving up.
DEFAULT_TIMEOUT = 10.0

_SET_ID = re.compile(r"ps\d\d_[a-z0-9_]*[a-z0-9]")

#: The statements that bring a store from ``user_version`` N - 1 to N, at index N - 1.
_MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE checks (
            id          INTEGER PRIMARY KEY,
            assignment  TEXT    NOT NULL,
            earned      REAL    NOT NULL,
            possible    REAL    NOT NULL,
            passed      INTEGER NOT NULL,
            total       INTEGER NOT NULL,
            checked_at  TEXT    NOT NULL,   -- ISO 8601, UTC
            notebook    TEXT    NOT NULL,
            via         TEXT    NOT NULL    -- 'advpy check' or 'Validate'
        )""",
        "CREATE INDEX checks_by_assignment ON checks (assignment, id)",
    ),
]
#: The schema this module writes, stored in ``PRAGMA user_version``: one per migration.
SCHEMA_VERSION = len(_MIGRATIONS)


class ProgressError(Exception):
    """The progress store cannot be read or written; the message says why and what to do."""


@dataclass(frozen=True)
class CheckRecord:
    """One self-check of one notebook: what it scored, when, and how."""

    assignment: str
    earned: float
    possible: float
    passed: int
    total: int
    checked_at: datetime
    notebook: str
    via: str = VIA_CHECK

    def __post_init__(self) -> None:
        if not self.assignment:
            raise ValueError("a check record needs the assignment it belongs to")
        if not 0 <= self.earned <= self.possible:
            raise ValueError(f"earned {self.earned:g} is not between 0 and {self.possible:g}")
        if not 0 <= self.passed <= self.total:
            raise ValueError(f"{self.passed} checks passed is not between 0 and {self.total}")
        if self.checked_at.tzinfo is None:
            raise ValueError("checked_at needs a time zone")


def default_store() -> Path:
    """The store's file: ``$ADVPY_PROGRESS_DB``, else ``advpy/progress.sqlite3`` in your home's
    data folder (``$XDG_DATA_HOME``, by default ``~/.local/share``)."""
    override = os.environ.get(STORE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(data_home) if data_home else Path.home() / ".local" / "share"
    return base / "advpy" / "progress.sqlite3"


def assignment_id(notebook: Path) -> str:
    """The graded set a notebook file belongs to: ``ps31_two_sum`` for ``ps31_two_sum.ipynb``,
    ``ps31_two_sum-Copy1.ipynb`` or ``ps31_two_sum/answer.ipynb``; otherwise the file's stem."""
    for name in (notebook.stem, notebook.parent.name):
        found = _SET_ID.match(name)
        if found:
            return found.group(0)
    return notebook.stem


def now() -> datetime:
    """The current time in UTC, to the second (what a record stores)."""
    return datetime.now(UTC).replace(microsecond=0)


def record(
    result: CheckRecord, store: Path | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Path:
    """Add ``result`` to the store (created on first use) and return the store's path."""
    path = store if store is not None else default_store()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ProgressError(f"cannot create the folder of {path}: {error.strerror}") from error
    with _connection(path, timeout) as db, _explained(path):
        db.execute("BEGIN IMMEDIATE")
        try:
            _upgrade(db, path)
            db.execute(
                "INSERT INTO checks (assignment, earned, possible, passed, total, checked_at,"
                " notebook, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.assignment,
                    result.earned,
                    result.possible,
                    result.passed,
                    result.total,
                    result.checked_at.astimezone(UTC).isoformat(),
                    result.notebook,
                    result.via,
                ),
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return path


def latest(store: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> dict[str, CheckRecord]:
    """The last recorded result of each assignment. A store that does not exist yet is empty
    (reading never creates it)."""
    return {r.assignment: r for r in _read(store, timeout, last_only=True)}


def history(store: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> list[CheckRecord]:
    """Every recorded result, oldest first."""
    return _read(store, timeout, last_only=False)


def _read(store: Path | None, timeout: float, last_only: bool) -> list[CheckRecord]:
    path = store if store is not None else default_store()
    if not path.exists():
        return []
    if path.is_dir():
        raise ProgressError(f"{path} is a folder, not a progress store; set {STORE_ENV} to a file")
    with _connection(path, timeout, read_only=True) as db, _explained(path):
        version = _version(db, path)
        if version == 0:
            return []  # an empty file: nothing recorded yet
        where = "WHERE id IN (SELECT MAX(id) FROM checks GROUP BY assignment)" if last_only else ""
        rows = db.execute(
            "SELECT assignment, earned, possible, passed, total, checked_at, notebook, via"
            f" FROM checks {where} ORDER BY id"
        ).fetchall()
    try:
        return [
            CheckRecord(a, e, p, ok, n, datetime.fromisoformat(at), nb, via)
            for a, e, p, ok, n, at, nb, via in rows
        ]
    except (TypeError, ValueError) as error:
        raise ProgressError(f"{path} holds a damaged record ({error}); {_REMEDY}") from error


_REMEDY = "move the file aside (a new store starts with your next check) or delete it"


@contextmanager
def _connection(
    path: Path, timeout: float, read_only: bool = False
) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode (transactions are explicit), always closed after."""
    try:
        if read_only:
            db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=timeout,
                isolation_level=None,
            )
        else:
            db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as error:
        raise ProgressError(f"cannot open the progress store {path}: {error}") from error
    try:
        yield db
    finally:
        db.close()


@contextmanager
def _explained(path: Path) -> Iterator[None]:
    """Turn SQLite's errors into a :class:`ProgressError` that says what to do."""
    try:
        yield
    except sqlite3.OperationalError as error:
        text = str(error)
        if "locked" in text or "busy" in text:
            raise ProgressError(
                f"the progress store {path} is locked by another program (another check "
                "recording, or a tool holding it open); close that program and try again"
            ) from error
        if "readonly" in text or "unable to open" in text:
            raise ProgressError(f"cannot write the progress store {path}: {text}") from error
        raise ProgressError(f"{path} is not a usable progress store ({text}); {_REMEDY}") from error
    except sqlite3.DatabaseError as error:  # "file is not a database", "malformed", ...
        raise ProgressError(
            f"{path} is damaged or is not a progress store ({error}); {_REMEDY}"
        ) from error


def _version(db: sqlite3.Connection, path: Path) -> int:
    """The store's schema version; refuse one written by a newer course."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise ProgressError(
            f"{path} was written by a newer version of the course (schema {version}; this one "
            f"reads up to {SCHEMA_VERSION}): update the course, or point {STORE_ENV} elsewhere"
        )
    if version == 0 and db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
        raise ProgressError(f"{path} is an SQLite database but not a progress store; {_REMEDY}")
    return version


def _upgrade(db: sqlite3.Connection, path: Path) -> None:
    """Bring the store to :data:`SCHEMA_VERSION` (inside the caller's write transaction)."""
    version = _version(db, path)
    for number in range(version + 1, SCHEMA_VERSION + 1):
        for statement in _MIGRATIONS[number - 1]:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number}")
