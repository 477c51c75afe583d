"""Real ``celery worker`` processes for the lesson: started, waited for, killed.

A worker is started behind the same watchdog as the course's servers
(:class:`advpy.services.lifecycle.ServerProcess`), so that it stops when the notebook stops,
even when the notebook's kernel is killed. It runs Celery's default ``prefork`` pool with one
child process, which runs the tasks; :meth:`Worker.kill` sends SIGKILL to the worker's whole
process group (the worker and its child), which is what a crashed machine or an out-of-memory
kill does to it: nothing runs afterwards, nothing is acknowledged.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from advpy.lessons.events import celery_app
from advpy.services import lifecycle
from advpy.services.lifecycle import ServerProcess


class Worker:
    """One running ``celery worker``: its pid, its log, and the two ways it can end."""

    def __init__(self, name: str, url: str, *, timeout: float = 30.0) -> None:
        self.name = name
        store = redis.Redis.from_url(url, decode_responses=True)
        store.delete("demo:ready")
        command = [
            sys.executable,
            "-m",
            "celery",
            "--app",
            celery_app.__name__,
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--hostname",
            f"{name}@localhost",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ]
        env = {**os.environ, celery_app.URL_VARIABLE: url}
        self._process = ServerProcess(
            command,
            data_dir=lifecycle.make_data_dir("celery-worker"),
            stop_signal=signal.SIGTERM,  # Celery's warm shutdown: finish the task, then exit
            grace=10.0,
            env=env,
        )
        self.pid = self._process.server_pid
        deadline = time.monotonic() + timeout
        while str(self.pid) not in store.lrange("demo:ready", 0, -1):
            if self._process.poll() is not None or time.monotonic() > deadline:
                lines = "\n".join(self._process.read_log_lines(15))
                self.stop()
                raise RuntimeError(f"worker {name} did not start:\n{lines}")
            time.sleep(0.05)
        store.close()

    @property
    def running(self) -> bool:
        """True until the worker has exited."""
        return self._process.poll() is None

    def log_lines(self, count: int = 20) -> list[str]:
        """The last lines the worker wrote."""
        return self._process.read_log_lines(count)

    def kill(self) -> None:
        """``kill -9`` of the worker and its pool's child: no warm shutdown, no acknowledgement,
        no cleanup."""
        os.killpg(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self._process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        self.stop()

    def stop(self) -> None:
        """A warm shutdown (SIGTERM): the running task finishes, then the worker exits; its
        folder (its log) is removed."""
        self._process.stop()
        self._process.discard_data()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@dataclass(frozen=True)
class ShippingTally:
    """How often each order was shipped after a worker was killed in the middle of one."""

    acks_late: bool
    orders: int
    killed_during: str  # the order the first worker was running when it was killed
    shipped_once: int
    shipped_twice: int
    lost: int
    seconds: float  # from the first message to the last order handled


def crash_during_shipping(
    url: str, *, acks_late: bool, orders: int, pause: float, kill_at: int, after_effect: bool
) -> ShippingTally:
    """Send ``orders`` shipping tasks to a worker and ``kill -9`` it while it runs task number
    ``kill_at`` (counting from 1): before that task's effect, or after it (``after_effect``).
    A second worker then takes over; once the queue and the unacknowledged messages are empty,
    count how often each order was shipped."""
    store = redis.Redis.from_url(url, decode_responses=True)
    run = f"{'late' if acks_late else 'early'}-{time.time_ns()}"
    started_key, applied_key, shipped_key = celery_app.run_keys(run)
    task = celery_app.ship_ack_late if acks_late else celery_app.ship_ack_early
    names = [f"order-{n}" for n in range(1, orders + 1)]
    started = time.monotonic()
    with Worker("first", url) as first:
        for name in names:
            task.delay(run, name, pause)
        watched = applied_key if after_effect else started_key
        _wait(lambda: store.llen(watched) >= kill_at, 30)
        first.kill()
    killed_during = str(store.lindex(started_key, -1) or "")
    with Worker("second", url):
        _wait(lambda: _settled(store), 60)
    # leaving the block is a warm shutdown: the task running now finishes first
    elapsed = time.monotonic() - started
    shipped = {name: int(store.hget(shipped_key, name) or 0) for name in names}
    store.close()
    return ShippingTally(
        acks_late=acks_late,
        orders=orders,
        killed_during=killed_during,
        shipped_once=sum(1 for c in shipped.values() if c == 1),
        shipped_twice=sum(1 for c in shipped.values() if c >= 2),
        lost=sum(1 for c in shipped.values() if c == 0),
        seconds=elapsed,
    )


def _settled(store: redis.Redis, quiet: float = 0.5) -> bool:
    """True once the queue and the unacknowledged messages have been empty for ``quiet``
    seconds (a message restored from the unacknowledged hash passes through the queue)."""
    deadline = time.monotonic() + quiet
    while time.monotonic() < deadline:
        if store.llen("celery") or store.hlen("unacked"):
            return False
        time.sleep(0.02)
    return True


def _wait(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the workers did not get there in time")
        time.sleep(0.005)
