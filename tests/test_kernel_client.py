"""The notebook runner's waits for kernel messages poll in short slices (a missed wake-up of
the socket then costs a slice, not a cell's whole timeout), and still end at their timeout."""

from __future__ import annotations

import asyncio
import time
from queue import Empty

import pytest

from advpy.course.kernel_client import SLICE, sliced


def test_a_long_wait_polls_in_slices_until_the_message_comes() -> None:
    waits: list[float | None] = []

    async def get_msg(timeout: float | None = None) -> str:
        waits.append(timeout)
        if len(waits) < 3:
            raise Empty
        return "reply"

    assert asyncio.run(sliced(get_msg)(timeout=300)) == "reply"
    assert waits == [SLICE, SLICE, SLICE]
    waits.clear()
    assert asyncio.run(sliced(get_msg)()) == "reply", "no timeout: waits for as long as it takes"
    assert waits == [SLICE, SLICE, SLICE]


def test_a_wait_with_nothing_coming_ends_at_its_timeout() -> None:
    async def nothing(timeout: float | None = None) -> str:
        assert timeout is not None and timeout <= SLICE
        await asyncio.sleep(timeout)
        raise Empty

    started = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(sliced(nothing)(timeout=1.5))
    assert time.monotonic() - started >= 1.5
