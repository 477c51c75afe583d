"""How long each server of ``advpy.services`` takes to start (until it answers) and to stop.

The lessons that use a server quote these numbers in their closing note; they come from here.
Each server is started and stopped ``--runs`` times in a row, in one process: the first start
of a kind in a process also imports its client library (psycopg, redis, uvicorn), which these
medians leave out. The median and the range are printed, with the machine's load, since a busy
machine stretches them.

Run by hand (``make benchmarks``), not by the test suite:

    .venv/bin/python benchmarks/services_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advpy.services import (
    Service,
    ServiceNotInstalled,
    nginx_gateway,
    postgres_server,
    redis_server,
    serve_app,
)

APP = """
async def app(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
"""


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The smallest ASGI app: what is measured is the server, not the app."""
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def measure(start: Callable[[], Service], runs: int) -> tuple[list[float], list[float]]:
    """Seconds to start (until the server answers) and to stop, for each run."""
    starts, stops = [], []
    for _ in range(runs):
        began = time.perf_counter()
        service = start()
        starts.append(time.perf_counter() - began)
        began = time.perf_counter()
        service.stop()
        stops.append(time.perf_counter() - began)
    return starts, stops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="advpy-bench-"))
    (folder / "bench_app.py").write_text(APP)  # mode="process" imports it from the folder
    os.chdir(folder)
    upstream = serve_app(bare_app)
    servers: dict[str, Callable[[], Service]] = {
        "uvicorn, thread": lambda: serve_app(bare_app),
        "uvicorn, process": lambda: serve_app("bench_app:app", mode="process"),
        "Redis": redis_server,
        "PostgreSQL (initdb + start)": postgres_server,
        "nginx gateway": lambda: nginx_gateway({"/": upstream}),
    }
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, {args.runs} runs")
    print(f"{'server':<30} {'start: median (range)':>26} {'stop: median':>13}")
    for name, start in servers.items():
        try:
            starts, stops = measure(start, args.runs)
        except ServiceNotInstalled as missing:
            print(f"{name:<30} not installed: {str(missing).splitlines()[0]}")
            continue
        spread = f"({ms(min(starts))}-{ms(max(starts))})"
        print(
            f"{name:<30} {ms(statistics.median(starts)):>9} ms {spread:>13} "
            f"{ms(statistics.median(stops)):>10} ms"
        )
    upstream.stop()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
