# Makes a new semaphore inside each wrapper: every coroutine gets its own, nothing is limited.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")

    async def admitted(coro):
        async with asyncio.Semaphore(limit):
            return await coro

    return list(await asyncio.gather(*(admitted(coro) for coro in coros)))
