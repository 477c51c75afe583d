# Runs fixed batches of `limit`: waits for a whole batch before starting the next coroutine.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    coros = list(coros)
    results = []
    for start in range(0, len(coros), limit):
        results.extend(await asyncio.gather(*coros[start : start + limit]))
    return results
