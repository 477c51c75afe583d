# Correct, written differently: a list buffer, a pool of `limit` workers sharing one iterator, and asyncio.wait_for.
async def with_timeout(coro, seconds, default=None):
    try:
        return await asyncio.wait_for(coro, seconds)
    except asyncio.TimeoutError:
        return default
