"""Running the app's image: a memory limit enforced by the kernel, and a rolling restart
behind nginx with requests counted.

A rolling restart replaces the replicas one at a time. For each one, as Kubernetes does it:
start the new replica and wait until it answers its health check, then send the old one
SIGTERM and take it out of the load balancer. Kubernetes does both at once, and the removal
reaches the load balancers a moment later (``lag``, half a second by default here): until
nginx has reloaded its routes, requests still go to the replica that is shutting down.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from advpy.services import nginx_gateway
from advpy.services.containers import ContainerEngine
from advpy.services.lifecycle import LOOPBACK, free_port

#: A program that allocates memory in steps of 4 MB, says how much it holds after each step,
#: and touches every page so that the memory is really used.
MEMORY_HOG = """
import sys
held = []
for step in range(1, 1000):
    held.append(bytearray(4 * 1024 * 1024))
    print(step * 4, flush=True)
"""

#: How the app meets SIGTERM, for each way of running it.
SHUTDOWN_MODES = {
    "abrupt": "no handler, not process 1: SIGTERM's default action ends it at once",
    "ignored": "no handler, process 1: the kernel drops SIGTERM; SIGKILL after the timeout",
    "graceful": "a handler: stop accepting, finish the requests in progress, exit 0",
}


@dataclass(frozen=True)
class MemoryRecord:
    """A container that allocated memory until its limit: what it reached and how it ended."""

    limit_mb: int
    last_reported_mb: int
    returncode: int
    oom_killed: bool
    kernel_says: str


def kernel_oom_line(since_lines: int) -> str:
    """The kernel's last "Memory cgroup out of memory" line after ``since_lines`` lines of its
    log, or "" when the log cannot be read (it needs root)."""
    done = subprocess.run(["dmesg"], capture_output=True, text=True, check=False)
    lines = done.stdout.splitlines()[since_lines:]
    found = [line for line in lines if "Memory cgroup out of memory" in line]
    return found[-1].split("] ", 1)[-1] if found else ""


def kernel_log_length() -> int:
    """How many lines the kernel's log holds now (0 when it cannot be read)."""
    done = subprocess.run(["dmesg"], capture_output=True, text=True, check=False)
    return len(done.stdout.splitlines())


def run_over_memory_limit(engine: ContainerEngine, image: str, limit_mb: int) -> MemoryRecord:
    """Run :data:`MEMORY_HOG` in ``image`` with ``limit_mb`` of memory (and no swap)."""
    before = kernel_log_length()
    result = engine.run(
        image, ["/usr/bin/python3", "-c", MEMORY_HOG], memory=f"{limit_mb}m", timeout=120
    )
    reported = [int(line) for line in result.stdout.split() if line.isdigit()]
    return MemoryRecord(
        limit_mb=limit_mb,
        last_reported_mb=reported[-1] if reported else 0,
        returncode=result.returncode,
        oom_killed=result.oom_killed,
        kernel_says=kernel_oom_line(before),
    )


@dataclass
class LoadCounter:
    """Requests sent through the gateway by a few client threads, counted by outcome."""

    outcomes: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def count(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1


def _client(url: str, counter: LoadCounter) -> None:
    with httpx.Client(timeout=10) as client:
        while not counter.stop.is_set():
            try:
                status = client.post(url, content=b"job").status_code
                counter.count("ok" if status == 200 else f"HTTP {status}")
            except httpx.HTTPError as error:
                counter.count(type(error).__name__)


@dataclass(frozen=True)
class RolloutRecord:
    """One rolling restart: requests by outcome, and how each old replica stopped."""

    mode: str
    outcomes: dict[str, int]
    stop_seconds: list[float]
    exit_codes: list[int]

    @property
    def sent(self) -> int:
        return sum(self.outcomes.values())

    @property
    def dropped(self) -> int:
        return self.sent - self.outcomes.get("ok", 0)


def _wait_healthy(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"http://{LOOPBACK}:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the replica on port {port} did not answer in {timeout} s")
        time.sleep(0.05)


def _start_replica(
    engine: ContainerEngine, image: str, mode: str, number: int, stop_timeout: int
) -> tuple[str, int]:
    port = free_port()
    name = f"replica-{number}-{port}"
    engine.start(
        image,
        [str(port), "naive" if mode != "graceful" else "graceful"],
        name=name,
        network="host",
        env={"WORK_SECONDS": "0.2", "REPLICA": name},
        stop_timeout=stop_timeout,
        init=mode == "abrupt",
    )
    _wait_healthy(port)
    return name, port


def _stop(
    engine: ContainerEngine, name: str, timeout: int, codes: list[int], seconds: list[float]
) -> None:
    start = time.perf_counter()
    codes.append(engine.stop(name, timeout=timeout))
    seconds.append(time.perf_counter() - start)


def rolling_restart(
    engine: ContainerEngine,
    image: str,
    mode: str,
    *,
    replicas: int = 2,
    clients: int = 4,
    stop_timeout: int = 2,
    settle: float = 0.5,
    lag: float = 0.5,
) -> RolloutRecord:
    """Serve ``image`` with ``replicas`` replicas behind nginx, send requests from ``clients``
    threads, replace every replica once (SIGTERM first, the gateway's new routes ``lag``
    seconds later), and count what the clients got."""
    if mode not in SHUTDOWN_MODES:
        raise ValueError(f"mode is one of {sorted(SHUTDOWN_MODES)}, not {mode!r}")
    running = [_start_replica(engine, image, mode, n, stop_timeout) for n in range(replicas)]
    stop_seconds: list[float] = []
    exit_codes: list[int] = []
    counter = LoadCounter()
    try:
        with nginx_gateway({"/": [f"{LOOPBACK}:{port}" for _, port in running]}) as gateway:
            threads = [
                threading.Thread(target=_client, args=(f"{gateway.url}/work", counter))
                for _ in range(clients)
            ]
            for thread in threads:
                thread.start()
            try:
                time.sleep(settle)
                for number in range(replicas):
                    old_name, _ = running[0]
                    new = _start_replica(engine, image, mode, replicas + number, stop_timeout)
                    running = [*running[1:], new]
                    routes = {"/": [f"{LOOPBACK}:{port}" for _, port in running]}
                    stopping = threading.Thread(
                        target=_stop,
                        args=(engine, old_name, stop_timeout, exit_codes, stop_seconds),
                    )
                    stopping.start()  # SIGTERM now; the load balancer learns `lag` s later
                    time.sleep(lag)
                    gateway.reload(routes)
                    stopping.join()
                    time.sleep(settle)
            finally:
                counter.stop.set()
                for thread in threads:
                    thread.join()
    finally:
        for name, _ in running:  # the load has stopped: nothing left to drop
            engine.stop(name, timeout=0)
    return RolloutRecord(mode, dict(counter.outcomes), stop_seconds, exit_codes)
