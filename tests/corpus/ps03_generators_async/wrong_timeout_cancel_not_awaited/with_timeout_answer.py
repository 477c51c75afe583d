# Cancels but returns at once: the cancelled call's cleanup has not run yet.
async def with_timeout(coro, seconds, default=None):
    task = asyncio.ensure_future(coro)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    return default
