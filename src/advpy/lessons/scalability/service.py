"""The service the lesson scales: a bare ASGI app that uvicorn serves in processes of their own
(``serve_app("advpy.lessons.scalability.service:app", mode="process")``).

Each process is **one worker**: it serves one request at a time and queues the others in
arrival order (an ``asyncio.Lock``, which is fair), so a process behaves like one server of the
lesson's queueing model. The service time is chosen by the caller, so the load generator can
draw it from the model's distribution:

- ``GET /work?ms=12.5`` holds the worker for 12.5 ms without using the CPU (as a handler
  waiting on a database or another service does);
- ``GET /cpu?ms=12.5`` holds it for 12.5 ms of busy computation (the event loop is blocked, and
  the process needs a core for it);
- ``GET /visits`` counts the calls of one client (its ``session`` cookie) in this process's
  memory: the state that makes scaling out hard;
- ``GET /`` answers at once (readiness and health checks).

``bounded_app`` is the same service with a bounded queue: when ``QUEUE_LIMIT`` requests are
already waiting, a new one is refused at once with ``503`` and ``Retry-After``, instead of
waiting its turn (load shedding).

Every response says which process answered (``X-Instance``: its pid).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

#: Requests that may wait in ``bounded_app``'s queue before new ones are shed.
QUEUE_LIMIT = 8
#: The longest service time a request may ask for, in milliseconds.
MAX_MS = 2000.0

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def _burn(seconds: float) -> None:
    """Keep this process's CPU busy for ``seconds`` of wall time."""
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(range(200))


def _cookie(scope: dict[str, Any], name: str) -> str:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name:
                    return v
    return ""


class Service:
    """One worker and its queue; ``limit`` bounds the queue (None: unbounded)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.worker = asyncio.Lock()
        self.waiting = 0
        self.visits: dict[str, int] = {}

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        path = scope["path"]
        query = parse_qs(scope.get("query_string", b"").decode())
        if path in ("/work", "/cpu"):
            try:
                ms = min(max(float(query.get("ms", ["0"])[0]), 0.0), MAX_MS)
            except ValueError:
                await self._answer(send, 400, {"error": "ms must be a number"})
                return
            await self._serve(send, ms / 1000, cpu=path == "/cpu")
        elif path == "/visits":
            session = _cookie(scope, "session") or "anonymous"
            self.visits[session] = self.visits.get(session, 0) + 1
            await self._answer(send, 200, {"session": session, "visits": self.visits[session]})
        elif path == "/":
            await self._answer(send, 200, {"status": "ok"})
        else:
            await self._answer(send, 404, {"error": "not found"})

    async def _serve(self, send: Send, seconds: float, *, cpu: bool) -> None:
        if self.limit is not None and self.waiting >= self.limit:
            await self._answer(send, 503, {"error": "busy"}, retry_after=True)
            return
        arrived = time.perf_counter()
        self.waiting += 1
        try:
            await self.worker.acquire()
        finally:
            self.waiting -= 1
        try:
            queued = time.perf_counter() - arrived
            if cpu:
                _burn(seconds)
            else:
                await asyncio.sleep(seconds)
        finally:
            self.worker.release()
        await self._answer(send, 200, {"queued_ms": round(queued * 1000, 3)})

    @staticmethod
    async def _answer(
        send: Send, status: int, body: dict[str, Any], retry_after: bool = False
    ) -> None:
        data = json.dumps(body).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
            (b"x-instance", str(os.getpid()).encode()),
        ]
        if retry_after:
            headers.append((b"retry-after", b"1"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": data})


#: The service with an unbounded queue.
app = Service(limit=None)
#: The service that sheds load beyond QUEUE_LIMIT waiting requests.
bounded_app = Service(limit=QUEUE_LIMIT)
