"""A flaky service for the retry demos, and the lesson's retry decorator.

:func:`flaky_app` answers **503 Service Unavailable** to a given share of requests, chosen by
a seeded random generator in the order requests arrive, so the same seed gives the same
answers on every run. :func:`retry` is the lesson's retry decorator: exponential back-off with
a cap and (optionally) full jitter.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from advpy.lessons.decorators.server import Request, Response, fetch

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class FlakyApp:
    """An app that fails ``fail_share`` of its requests with 503, deterministically by
    ``seed``, and counts what it answered."""

    fail_share: float
    seed: int = 0
    answered: dict[int, int] = field(default_factory=dict)  # status -> count
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fail_share <= 1.0:
            raise ValueError("fail_share must be between 0 and 1")
        self._rng = random.Random(self.seed)

    def __call__(self, request: Request) -> Response:
        with self._lock:  # requests arrive on several threads: draw in arrival order
            fails = self._rng.random() < self.fail_share
            status = 503 if fails else 200
            self.answered[status] = self.answered.get(status, 0) + 1
        if fails:
            return Response(503, {"error": "try again later"}, {"Retry-After": "1"})
        return Response(200, {"price": 42})

    @property
    def requests(self) -> int:
        """How many requests the app has answered."""
        return sum(self.answered.values())


def flaky_app(fail_share: float, seed: int = 0) -> FlakyApp:
    """A :class:`FlakyApp` failing ``fail_share`` of its requests (by ``seed``)."""
    return FlakyApp(fail_share, seed)


class ServiceUnavailable(Exception):
    """The service answered 503: worth trying again later."""


class ClientError(Exception):
    """The service answered 4xx: the request itself is wrong; trying again will not help."""


def get_price(url: str) -> Any:
    """GET ``url`` and return its JSON body; raise :class:`ServiceUnavailable` on 503 and
    :class:`ClientError` on a 4xx answer."""
    status, body = fetch(url)
    if status == 503:
        raise ServiceUnavailable(url)
    if 400 <= status < 500:
        raise ClientError(f"{status} from {url}")
    return body


def full_jitter(delay: float, rng: random.Random) -> float:
    """A delay drawn uniformly between 0 and ``delay`` ("full jitter")."""
    return rng.uniform(0.0, delay)


def retry(
    on: type[BaseException] | tuple[type[BaseException], ...],
    attempts: int = 4,
    base: float = 0.05,
    cap: float = 1.0,
    jitter: bool = True,
    seed: int | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Retry a function that raises one of ``on``, at most ``attempts`` calls in all.

    Before retry number k (k = 1, 2, ...) it waits ``min(cap, base * 2 ** (k - 1))`` seconds,
    or with ``jitter`` a uniform draw between 0 and that. Other exceptions pass at once; after
    the last attempt the last exception is raised again. The wrapper records each call's
    attempts in its ``attempts_log`` list."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    rng = random.Random(seed)

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            for attempt in range(1, attempts + 1):
                try:
                    result = func(*args, **kwargs)
                except on:
                    if attempt == attempts:
                        wrapper.attempts_log.append(attempt)  # type: ignore[attr-defined]
                        raise
                    delay = min(cap, base * 2 ** (attempt - 1))
                    sleep(full_jitter(delay, rng) if jitter else delay)
                except BaseException:  # not worth retrying: let it out at once
                    wrapper.attempts_log.append(attempt)  # type: ignore[attr-defined]
                    raise
                else:
                    wrapper.attempts_log.append(attempt)  # type: ignore[attr-defined]
                    return result
            raise AssertionError("unreachable: the loop returns or raises")

        wrapper.attempts_log = []  # type: ignore[attr-defined]
        return wrapper

    return decorate
