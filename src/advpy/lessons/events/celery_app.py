"""The lesson's Celery app and its tasks, importable by a ``celery worker`` process.

The broker and the result backend are the Redis whose URL is in ``ADVPY_CELERY_REDIS`` (the
notebook sets it before it starts a worker). The tasks record what they did in the same Redis,
under keys starting with ``demo:``, so that the notebook can count from outside what a worker
did, including a worker that was killed.

The Redis transport emulates AMQP's acknowledgements: a message a worker has taken but not yet
acknowledged waits in a hash of unacknowledged messages, and goes back to its queue when it has
been there longer than ``visibility_timeout``. That timeout is 3 s here (the default is an
hour), so that a killed worker's message comes back within the lesson; a task that runs longer
than the timeout would be given to a second worker while the first still runs it.
"""

from __future__ import annotations

import os
import time
from typing import Any

import redis
from celery import Celery
from celery.signals import worker_ready

#: Seconds a taken message may stay unacknowledged before the broker gives it out again.
VISIBILITY_TIMEOUT = 3

#: Where the broker's URL comes from in a worker process.
URL_VARIABLE = "ADVPY_CELERY_REDIS"


def broker_url() -> str:
    """The Redis URL this process uses as the broker (set by :func:`use_broker`)."""
    return os.environ.get(URL_VARIABLE, "redis://127.0.0.1:6379/0")


app = Celery("advpy_events", broker=broker_url(), backend=broker_url())
app.conf.update(
    broker_transport_options={
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 0.5,  # sweep for abandoned messages twice a second
        "unacked_restore_throttle": 1,
    },
    broker_connection_retry_on_startup=True,
    worker_prefetch_multiplier=1,  # take one message at a time: the others stay in the queue
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_expires=600,
    worker_hijack_root_logger=False,
)


def use_broker(url: str) -> None:
    """Point the app (and the workers this process starts) at the Redis at ``url``."""
    os.environ[URL_VARIABLE] = url
    app.conf.broker_url = url
    app.conf.result_backend = url


def _store() -> redis.Redis:
    return redis.Redis.from_url(broker_url(), decode_responses=True)


@worker_ready.connect
def _announce(sender: Any = None, **_: Any) -> None:
    """Tell the notebook this worker is consuming: its pid under ``demo:ready``."""
    _store().rpush("demo:ready", os.getpid())


@app.task
def add(x: int, y: int) -> int:
    """The smallest task: its result travels back through the result backend."""
    return x + y


@app.task(bind=True, max_retries=5, default_retry_delay=0.1)
def charge_card(self: Any, order_id: str, failures: int) -> str:
    """Pretend the payment provider times out on the first ``failures`` attempts; retried with
    ``self.retry`` (a new message, sent back to the queue) until it passes or runs out."""
    attempt = _store().incr(f"demo:attempts:{order_id}")
    if attempt <= failures:
        raise self.retry(exc=TimeoutError(f"provider timed out (attempt {attempt})"))
    return f"{order_id} charged on attempt {attempt}"


def run_keys(run: str) -> tuple[str, str, str]:
    """The Redis keys where a run of shipping tasks records what started, what was applied
    (both lists of order ids) and how often each order was shipped (a hash)."""
    return f"demo:{run}:started", f"demo:{run}:applied", f"demo:{run}:shipped"


def _ship(run: str, order_id: str, pause: float) -> None:
    """The body both shipping tasks share: note the start, work, apply the effect, work on."""
    store = _store()
    started, applied, shipped = run_keys(run)
    store.rpush(started, order_id)
    time.sleep(pause)  # work before the effect (reading, computing)
    store.hincrby(shipped, order_id, 1)  # the effect: not idempotent on purpose
    store.rpush(applied, order_id)
    time.sleep(pause)  # work after the effect (sending the confirmation)


@app.task(acks_late=False)
def ship_ack_early(run: str, order_id: str, pause: float) -> None:
    """Celery's default: the message is acknowledged when the task starts, before it runs."""
    _ship(run, order_id, pause)


@app.task(acks_late=True)
def ship_ack_late(run: str, order_id: str, pause: float) -> None:
    """``acks_late``: the message is acknowledged after the task returns."""
    _ship(run, order_id, pause)
