# Correct, with debugging prints left in: printing must not cost points.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    gate = asyncio.Semaphore(limit)
    print("running with limit", limit)

    async def admitted(coro):
        async with gate:
            return await coro

    return list(await asyncio.gather(*(admitted(coro) for coro in coros)))
