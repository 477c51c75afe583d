# Correct, with debugging prints left in: printing must not cost points.
async def with_timeout(coro, seconds, default=None):
    deadline = asyncio.timeout(seconds)
    try:
        async with deadline:
            return await coro
    except TimeoutError:
        if deadline.expired():
            return default
        raise
