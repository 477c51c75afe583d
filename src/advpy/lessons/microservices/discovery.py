"""Service discovery on what runs here: a small registry service over HTTP that checks the
health of what registers with it (as Consul's HTTP checks do), and a client that asks it for
the healthy instances of a service and balances its requests over them.

The registry::

    POST   /instances            {"service": "catalogue", "url": "http://127.0.0.1:8001"}
    DELETE /instances/{id}
    GET    /services/{service}   every instance, with "healthy"; ?passing=true: the healthy ones

Every ``interval`` seconds it sends ``GET {url}/health`` to every instance; 200 within
``timeout`` is healthy, anything else (another status, a refused connection, no answer) is not.
A new instance is not healthy until its first check passes.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, HTTPException


def make_registry(interval: float = 0.2, timeout: float = 0.5) -> FastAPI:
    """The registry app; its health checks run while it is served."""
    instances: dict[str, dict[str, Any]] = {}
    numbers = itertools.count(1)

    async def check(client: httpx.AsyncClient, instance: dict[str, Any]) -> None:
        try:
            response = await client.get(instance["url"] + "/health", timeout=timeout)
            healthy = response.status_code == 200
        except httpx.HTTPError:
            healthy = False
        instance["healthy"] = healthy
        instance["checks"] += 1

    async def check_forever() -> None:
        async with httpx.AsyncClient() as client:
            while True:
                await asyncio.gather(*(check(client, i) for i in list(instances.values())))
                app.state.rounds += 1
                await asyncio.sleep(interval)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(check_forever())
        yield
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass

    app = FastAPI(title="service registry", lifespan=lifespan)
    app.state.rounds = 0

    @app.post("/instances", status_code=201)
    def register(body: dict[str, str]) -> dict[str, Any]:
        number = f"{body['service']}-{next(numbers)}"
        instances[number] = {
            "id": number,
            "service": body["service"],
            "url": body["url"].rstrip("/"),
            "healthy": False,
            "checks": 0,
        }
        return instances[number]

    @app.delete("/instances/{number}", status_code=204)
    def deregister(number: str) -> None:
        if instances.pop(number, None) is None:
            raise HTTPException(404, "no such instance")

    @app.get("/services/{service}")
    def lookup(service: str, passing: bool = False) -> list[dict[str, Any]]:
        found = [i for i in instances.values() if i["service"] == service]
        return [i for i in found if i["healthy"] or not passing]

    return app


def wait_until(registry: httpx.Client, service: str, healthy: int, timeout: float = 10.0) -> float:
    """Wait until the registry lists exactly ``healthy`` passing instances of ``service``;
    returns the seconds it took (TimeoutError after ``timeout``)."""
    start = time.perf_counter()
    while True:
        found = registry.get(f"/services/{service}", params={"passing": True}).json()
        if len(found) == healthy:
            return time.perf_counter() - start
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{service}: {len(found)} healthy, not {healthy}")
        time.sleep(0.01)


class DiscoveryClient:
    """Calls a service by name: asks the registry for its healthy instances (on
    :meth:`refresh`), sends each request to the next one in turn, and moves on to the next
    instance when one cannot be reached."""

    def __init__(self, registry: httpx.Client, service: str) -> None:
        self.registry = registry
        self.service = service
        self.urls: list[str] = []
        self.unreachable = 0  # requests that had to move on to another instance
        self._turn = 0
        self._http = httpx.Client(timeout=2.0)

    def refresh(self) -> list[str]:
        """The healthy instances' URLs, as the registry sees them now (kept until the next
        refresh: between two, the list can be stale)."""
        found = self.registry.get(f"/services/{self.service}", params={"passing": True})
        self.urls = [instance["url"] for instance in found.json()]
        return self.urls

    def get(self, path: str) -> httpx.Response:
        """``GET path`` on the next instance; an instance that refuses the connection is
        skipped for the next one, each tried at most once."""
        if not self.urls:
            raise LookupError(f"no healthy instance of {self.service}")
        for _ in range(len(self.urls)):
            url = self.urls[self._turn % len(self.urls)]
            self._turn += 1
            try:
                return self._http.get(url + path)
            except httpx.TransportError:
                self.unreachable += 1
        raise LookupError(f"no instance of {self.service} could be reached")

    def close(self) -> None:
        self._http.close()
