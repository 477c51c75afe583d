# Just asyncio.wait_for: raises TimeoutError instead of returning the default.
async def with_timeout(coro, seconds, default=None):
    return await asyncio.wait_for(coro, seconds)
