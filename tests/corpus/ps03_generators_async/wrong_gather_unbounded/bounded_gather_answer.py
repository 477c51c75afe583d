# Plain asyncio.gather: every coroutine runs at once, the limit is ignored.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return list(await asyncio.gather(*coros))
