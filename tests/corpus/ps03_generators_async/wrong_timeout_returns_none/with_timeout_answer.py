# Tells its own deadline from the coroutine's TimeoutError, but forgets to re-raise the
# coroutine's: that TimeoutError turns into None, neither let out nor `default`.
async def with_timeout(coro, seconds, default=None):
    deadline = asyncio.timeout(seconds)
    try:
        async with deadline:
            return await coro
    except TimeoutError:
        if deadline.expired():
            return default
