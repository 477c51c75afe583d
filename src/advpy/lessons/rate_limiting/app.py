"""A FastAPI app with a rate limit on every request (middleware) and a stricter one on one
expensive route (a decorator), both answering ``429 Too Many Requests`` with ``Retry-After``
and ``RateLimit-*`` headers.

The counters are fixed windows, kept either in Redis (one Lua script per request, shared by
every process of the app) or in a dict of the process (``store="memory"``: each process counts
on its own). The limit applies per user (the ``X-User`` header, else the client's address) or
to all requests together (``scope="global"``).

Run in several processes, the app is configured through the environment (see
:func:`app_from_env`), since a new interpreter cannot receive an object.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from advpy.lessons.rate_limiting.shared import FIXED_WINDOW_LUA, Decision, window_key


def ceil_seconds(ms: int) -> int:
    """Milliseconds rounded up to whole seconds: a client told to wait 0 s when 300 ms are left
    would come back too early."""
    return -(-ms // 1000)


def limit_headers(limit: int, decision: Decision) -> dict[str, str]:
    """The headers every answer carries; ``Retry-After`` only on a rejection."""
    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(ceil_seconds(decision.reset_ms)),
    }
    if not decision.allowed:
        headers["Retry-After"] = str(ceil_seconds(decision.reset_ms))
    return headers


def too_many(limit: int, decision: Decision) -> JSONResponse:
    """The 429 answer."""
    return JSONResponse(
        {"detail": "rate limit exceeded"}, status_code=429, headers=limit_headers(limit, decision)
    )


@dataclass
class FixedWindowLimiter:
    """Counts requests per key and fixed window, in Redis (``url``) or in this process."""

    limit: int
    window_ms: int
    url: str | None = None
    clock: Callable[[], float] = time.time
    _counts: dict[str, int] = field(default_factory=dict)
    _redis: Any = None

    async def hit(self, key: str) -> Decision:
        """Count one request for ``key`` now and decide it."""
        counter, reset_ms = window_key(key, int(self.clock() * 1000), self.window_ms)
        if self.url is None:
            count = self._counts.get(counter, 0)
            if count >= self.limit:
                return Decision(False, 0, reset_ms)
            self._counts[counter] = count + 1
            return Decision(True, self.limit - count - 1, reset_ms)
        if self._redis is None:
            self._redis = redis.asyncio.Redis.from_url(self.url)
        allowed, remaining = await self._redis.eval(
            FIXED_WINDOW_LUA, 1, counter, self.limit, self.window_ms
        )
        return Decision(bool(allowed), int(remaining), reset_ms)

    async def close(self) -> None:
        """Close the Redis connections (the app does so when it shuts down)."""
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None


def client_key(request: Request, scope: str) -> str:
    """Whose quota a request uses: everyone's, or its user's (the ``X-User`` header, else the
    client's IP address)."""
    if scope == "global":
        return "global"
    user = request.headers.get("x-user")
    if user:
        return f"user:{user}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


def rate_limited(limiter: FixedWindowLimiter, name: str) -> Callable[[Any], Any]:
    """A decorator for one route: a stricter limit of its own, per user, counted under
    ``name``. The route gains a ``request`` parameter if it has none."""

    def decorate(endpoint: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
        signature = inspect.signature(endpoint)
        wants_request = "request" in signature.parameters

        @functools.wraps(endpoint)
        async def route(*args: Any, **kwargs: Any) -> Any:
            request = kwargs["request"] if wants_request else kwargs.pop("request")
            decision = await limiter.hit(f"{name}:{client_key(request, 'user')}")
            if not decision.allowed:
                return too_many(limiter.limit, decision)
            result = endpoint(*args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        if not wants_request:
            extra = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
            route.__signature__ = signature.replace(  # type: ignore[attr-defined]
                parameters=[*signature.parameters.values(), extra]
            )
        return route

    return decorate


def make_app(
    *,
    limit: int,
    window_s: int,
    url: str | None,
    scope: str = "user",
    search_limit: int = 2,
) -> FastAPI:
    """The app: ``GET /hello`` under the app-wide limit, ``GET /search`` also under its own
    stricter one (``search_limit`` per window, per user), ``GET /ready`` under none."""
    limiter = FixedWindowLimiter(limit, window_s * 1000, url)
    search_limiter = FixedWindowLimiter(search_limit, window_s * 1000, url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await limiter.close()
        await search_limiter.close()

    app = FastAPI(lifespan=lifespan)
    app.state.limiter = limiter

    @app.middleware("http")
    async def limit_every_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path == "/ready":
            return await call_next(request)
        limiter = request.app.state.limiter
        decision = await limiter.hit(client_key(request, scope))
        if not decision.allowed:
            return too_many(limiter.limit, decision)
        response = await call_next(request)
        for name, value in limit_headers(limiter.limit, decision).items():
            response.headers.setdefault(name, value)  # a route's own stricter limit wins
        return response

    @app.get("/ready")
    def ready() -> dict[str, bool]:
        return {"ready": True}

    @app.get("/hello")
    def hello() -> dict[str, int]:
        return {"pid": os.getpid()}

    @app.get("/search")
    @rate_limited(search_limiter, "search")
    def search(q: str = "") -> dict[str, str]:
        return {"results": f"nothing found for {q!r}"}

    return app


def app_from_env() -> FastAPI:
    """The app configured by ``RATE_LIMIT_URL`` (a Redis URL, or ``memory``),
    ``RATE_LIMIT_LIMIT``, ``RATE_LIMIT_WINDOW`` (seconds) and ``RATE_LIMIT_SCOPE``; for
    ``serve_app("advpy.lessons.rate_limiting.app:app_from_env", mode="process", factory=True)``."""
    url = os.environ.get("RATE_LIMIT_URL", "memory")
    return make_app(
        limit=int(os.environ.get("RATE_LIMIT_LIMIT", "5")),
        window_s=int(os.environ.get("RATE_LIMIT_WINDOW", "3600")),
        url=None if url == "memory" else url,
        scope=os.environ.get("RATE_LIMIT_SCOPE", "user"),
    )
