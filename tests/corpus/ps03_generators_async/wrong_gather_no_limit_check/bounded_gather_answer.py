# Never checks the limit: Semaphore(0) with no coroutines just returns [].
async def bounded_gather(coros, limit):
    gate = asyncio.Semaphore(limit)

    async def admitted(coro):
        async with gate:
            return await coro

    return list(await asyncio.gather(*(admitted(coro) for coro in coros)))
