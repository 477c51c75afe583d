# Turns every exception of the coroutine into the default.
async def with_timeout(coro, seconds, default=None):
    try:
        return await asyncio.wait_for(coro, seconds)
    except Exception:
        return default
