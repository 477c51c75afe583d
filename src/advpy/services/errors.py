"""The two errors a service raises: it did not start (with its last log lines), or it is not
installed (with what to install)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: How many of a server's last log lines an error shows.
LOG_LINES_SHOWN = 20


class ServiceError(RuntimeError):
    """A server did not start, did not become ready in time, or stopped unexpectedly.

    The message ends with the server's last log lines, so the cause (a bad setting, a port in
    use, a missing permission) is in the traceback a learner sees, not in a file they must find.
    """

    def __init__(
        self, message: str, log_lines: Sequence[str] = (), log_path: Path | None = None
    ) -> None:
        self.log_lines = list(log_lines)
        self.log_path = log_path
        text = message
        if self.log_lines:
            where = f" ({log_path})" if log_path is not None else ""
            shown = "\n".join(f"    {line}" for line in self.log_lines[-LOG_LINES_SHOWN:])
            text += f"\nThe last lines of its log{where}:\n{shown}"
        elif log_path is not None:
            text += f"\nIts log ({log_path}) is empty."
        super().__init__(text)


class ServiceNotInstalled(ServiceError):
    """The server's program was not found anywhere a user installs it; the message says how to
    install it (apt-get, Homebrew, or the pip package that ships it)."""

    def __init__(self, message: str) -> None:
        RuntimeError.__init__(self, message)
        self.log_lines = []
        self.log_path = None
