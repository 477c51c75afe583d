# The reference answer: this answer's mistake is in another cell.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    gate = asyncio.Semaphore(limit)

    async def admitted(coro):
        async with gate:
            return await coro

    return list(await asyncio.gather(*(admitted(coro) for coro in coros)))
