# Correct, written differently: iter() with a sentinel, asyncio.wait(FIRST_COMPLETED) refilling the running set, and a hand-made timeout with create_task and cancel.
async def with_timeout(coro, seconds, default=None):
    task = asyncio.ensure_future(coro)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    except asyncio.CancelledError:
        task.cancel()
        await asyncio.wait({task})
        raise
    if task in done:
        return task.result()
    task.cancel()
    await asyncio.wait({task})
    return default
