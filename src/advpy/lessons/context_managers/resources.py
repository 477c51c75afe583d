"""A pretend resource that says what happens to it, for the protocol and ExitStack demos."""

from __future__ import annotations

from types import TracebackType
from typing import Literal


class LoggedResource:
    """A resource (think: a file, a socket, a lock) that appends what happens to it to ``log``.

    Entering appends ``"acquire NAME"`` and returns the name; exiting appends
    ``"release NAME"``, followed by ``" (after ERROR)"`` when ``__exit__`` was given an
    exception. With ``fail_on_enter=True`` entering raises ``OSError`` instead.
    """

    def __init__(self, name: str, log: list[str], *, fail_on_enter: bool = False) -> None:
        self.name = name
        self.log = log
        self.fail_on_enter = fail_on_enter

    def __enter__(self) -> str:
        if self.fail_on_enter:
            self.log.append(f"acquire {self.name} FAILED")
            raise OSError(f"cannot acquire {self.name}")
        self.log.append(f"acquire {self.name}")
        return self.name

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        after = "" if exc_type is None else f" (after {exc_type.__name__})"
        self.log.append(f"release {self.name}{after}")
        return False
