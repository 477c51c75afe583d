# gather(..., return_exceptions=True): a failure comes back as a list item instead of raising.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    gate = asyncio.Semaphore(limit)

    async def admitted(coro):
        async with gate:
            return await coro

    return list(await asyncio.gather(*(admitted(coro) for coro in coros), return_exceptions=True))
