"""nbclient's notebook runner, waiting for the kernel's messages in short slices.

To wait for a reply, jupyter_client polls the ZeroMQ socket once for the whole time allowed (a
cell's timeout). ZeroMQ tells asyncio that a message is there through an edge-triggered file
descriptor, and on a busy machine that wake-up is sometimes missed for a message that has
already arrived: the poll then lasts until its own timeout, when the socket is read again and
the message found. Measured here with lesson 01 on 2 cores kept busy by three other processes:
its widget cell's reply came 300 s late (the cell timeout) in about one run of four. Waiting in
slices of at most :data:`SLICE` seconds bounds that delay to a slice and changes nothing else:
the time allowed in total is the same.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from queue import Empty
from typing import Any

from nbclient import NotebookClient

#: Longest single wait for a message from the kernel, in seconds.
SLICE = 1.0


def sliced(get_msg: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``get_msg(timeout=...)`` of an asyncio kernel channel, polling at most :data:`SLICE`
    seconds at a time until ``timeout`` (None: for ever) has passed."""

    async def get_msg_in_slices(timeout: float | None = None) -> Any:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=min(SLICE, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get_msg_in_slices


class SteadyNotebookClient(NotebookClient):
    """A :class:`nbclient.NotebookClient` whose shell and IOPub waits poll in slices."""

    async def async_start_new_kernel_client(self) -> Any:
        client = await super().async_start_new_kernel_client()
        for channel in (client.shell_channel, client.iopub_channel):
            channel.get_msg = sliced(channel.get_msg)
        return client
