"""Finding the call that blocks the event loop, with asyncio's debug mode.

In debug mode the loop times every callback and task step it runs, and logs a warning on
the ``asyncio`` logger for each one that took longer than ``loop.slow_callback_duration``
(0.1 s by default), such as "Executing <Task ... coro=<handler() ... at FILE:LINE> ...> took
0.300 seconds". The message names the task and its coroutine, and where that coroutine is
defined (or paused): the code that kept the loop busy.

:func:`capture_slow_callbacks` switches debug mode on for the running loop, collects those
warnings while a coroutine runs, and puts everything back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

__all__ = ["capture_slow_callbacks", "blocking_handler", "polite_handler", "serve_both"]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def capture_slow_callbacks(
    run: Callable[[], Awaitable[object]], *, threshold: float = 0.05
) -> list[str]:
    """Await ``run()`` with the running loop in debug mode, and return the warnings the loop
    logged about steps slower than ``threshold`` seconds. Debug mode, the threshold and the
    ``asyncio`` logger are put back as they were afterwards."""
    loop = asyncio.get_running_loop()
    logger = logging.getLogger("asyncio")
    handler = _Collect()
    saved = (loop.get_debug(), loop.slow_callback_duration, logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False  # keep the warnings out of the notebook's error stream
    loop.set_debug(True)
    loop.slow_callback_duration = threshold
    try:
        await run()
        await asyncio.sleep(0)  # let the loop finish the step it is timing
    finally:
        loop.set_debug(saved[0])
        loop.slow_callback_duration = saved[1]
        logger.setLevel(saved[2])
        logger.propagate = saved[3]
        logger.removeHandler(handler)
    return [m for m in handler.messages if "took" in m]


async def blocking_handler(seconds: float = 0.2) -> str:
    """A request handler with a bug: it calls ``time.sleep``, which blocks the loop."""
    await asyncio.sleep(0)
    time.sleep(seconds)  # the blocking call debug mode should point at
    return "blocking handler done"


async def polite_handler(seconds: float = 0.2) -> str:
    """The same handler waiting the async way: the loop stays free meanwhile."""
    await asyncio.sleep(seconds)
    return "polite handler done"


async def serve_both(seconds: float = 0.2) -> list[str]:
    """Run both handlers as separate tasks, as a server would for two requests."""
    tasks = [
        asyncio.create_task(blocking_handler(seconds), name="blocking-request"),
        asyncio.create_task(polite_handler(seconds), name="polite-request"),
    ]
    return list(await asyncio.gather(*tasks))
