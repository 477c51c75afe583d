"""The load process of :mod:`advpy.lessons.rate_limiting.load`, in a module of its own that imports
only Redis and the limiters, so that each spawned process starts quickly."""

from __future__ import annotations

from typing import Any

from advpy.lessons.rate_limiting.shared import SHARED_LIMITERS


def load_worker(
    url: str,
    names: list[str],
    limit: int,
    requests_each: int,
    barrier: Any,
    results: Any,
    index: int,
) -> None:
    """One load process: for each limiter, wait for the others, then fire ``requests_each``
    requests and report how many were allowed."""
    import redis

    client = redis.Redis.from_url(url)
    client.ping()  # connect before the race starts
    for trial, name in enumerate(names):
        limiter = SHARED_LIMITERS[name]
        key = f"accuracy:{trial}:{name}"
        barrier.wait(timeout=60)
        allowed = sum(
            limiter(client, key, limit, 60_000, 1_000).allowed for _ in range(requests_each)
        )
        results.put((name, index, allowed))
    client.close()
