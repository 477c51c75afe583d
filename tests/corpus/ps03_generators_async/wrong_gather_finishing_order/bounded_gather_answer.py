# Collects the results with as_completed: in the order they finish, not the order given.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    gate = asyncio.Semaphore(limit)

    async def admitted(coro):
        async with gate:
            return await coro

    return [await done for done in asyncio.as_completed([admitted(c) for c in coros])]
