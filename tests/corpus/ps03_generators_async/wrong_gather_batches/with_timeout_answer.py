# The reference answer: this answer's mistake is in another cell.
async def with_timeout(coro, seconds, default=None):
    deadline = asyncio.timeout(seconds)
    try:
        async with deadline:
            return await coro
    except TimeoutError:
        if deadline.expired():
            return default
        raise
