"""A request whose state forms a reference cycle, and the same request without the cycle.

Each request makes a ``Session`` holding a large buffer and a handler that needs to reach the
session. With a strong back-link (``Handler``) session and handler refer to each other: a cycle,
which reference counting never frees, so the buffer stays allocated until the cyclic collector
runs. With a weak back-link (``WeakHandler``) there is no cycle: the buffer is freed the moment
the request is done.
"""

from __future__ import annotations

import weakref

__all__ = ["Session", "Handler", "WeakHandler", "serve_with_cycle", "serve_with_weak_link"]


class Session:
    """A request's state: a buffer of ``size`` bytes, and the handler working on it."""

    def __init__(self, size: int) -> None:
        self.buffer = bytearray(size)
        self.handler: Handler | WeakHandler | None = None


class Handler:
    """Reaches its session through an ordinary attribute: session <-> handler is a cycle."""

    def __init__(self, session: Session) -> None:
        self.session = session


class WeakHandler:
    """Reaches its session through a weak reference: no cycle, nothing kept alive."""

    def __init__(self, session: Session) -> None:
        self._session = weakref.ref(session)

    @property
    def session(self) -> Session | None:
        """The session, or ``None`` once it has been freed."""
        return self._session()


def serve_with_cycle(size: int) -> int:
    """Serve one request whose session and handler refer to each other; returns bytes used."""
    session = Session(size)
    session.handler = Handler(session)
    return len(session.buffer)


def serve_with_weak_link(size: int) -> int:
    """Serve one request whose handler refers to its session weakly; returns bytes used."""
    session = Session(size)
    session.handler = WeakHandler(session)
    return len(session.buffer)
