"""Back-pressure with a bounded ``asyncio.Queue``: a fast producer, a slow consumer.

With ``maxsize`` set, ``await queue.put(item)`` waits while the queue is full, so the producer
is held to the consumer's pace and the queue never holds more than ``maxsize`` items. Without
a bound, ``put`` never waits: the producer races ahead and the queue (memory) grows with
everything not yet consumed.

:func:`measure_queue` records the queue's length after every ``put`` and every ``get``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

__all__ = ["QueueRun", "measure_queue"]


@dataclass(frozen=True)
class QueueRun:
    """One producer putting ``items`` items, one consumer taking ``consume_seconds`` each."""

    maxsize: int  # 0 means unbounded
    items: int
    consume_seconds: float
    times: tuple[float, ...]  # when the queue length was read, seconds since the start
    lengths: tuple[int, ...]  # the length then
    producer_done: float  # when the producer had put its last item (seconds)
    consumer_done: float  # when the consumer had taken and handled the last one

    @property
    def longest(self) -> int:
        """The most items the queue held at once."""
        return max(self.lengths, default=0)


async def measure_queue(maxsize: int, items: int, consume_seconds: float) -> QueueRun:
    """Run a producer that puts ``items`` numbers as fast as it can and a consumer that
    takes ``consume_seconds`` for each, through a queue of ``maxsize`` (0: unbounded)."""
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize)
    start = time.perf_counter()
    times: list[float] = []
    lengths: list[int] = []
    done = {"producer": 0.0, "consumer": 0.0}

    def note() -> None:
        times.append(time.perf_counter() - start)
        lengths.append(queue.qsize())

    async def producer() -> None:
        for item in range(items):
            await queue.put(item)  # waits here while a bounded queue is full
            note()
        done["producer"] = time.perf_counter() - start

    async def consumer() -> None:
        for _ in range(items):
            await queue.get()
            note()
            await asyncio.sleep(consume_seconds)  # the slow part: handling the item
            queue.task_done()
        done["consumer"] = time.perf_counter() - start

    await asyncio.gather(producer(), consumer())
    return QueueRun(
        maxsize,
        items,
        consume_seconds,
        tuple(times),
        tuple(lengths),
        done["producer"],
        done["consumer"],
    )
