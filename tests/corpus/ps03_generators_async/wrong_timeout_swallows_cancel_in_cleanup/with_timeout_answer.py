# Waits for the cancelled coroutine with `await task` and swallows the CancelledError that
# comes out: if the caller is cancelled during that cleanup, the caller's cancellation is
# swallowed too, and with_timeout answers `default` instead of stopping.
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
    try:
        await task
    except asyncio.CancelledError:
        pass
    return default
