# Returns the default when time is up but never cancels: the slow call runs on in the background.
async def with_timeout(coro, seconds, default=None):
    task = asyncio.ensure_future(coro)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    return default
