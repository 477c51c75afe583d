# Correct, written differently: a list buffer, a pool of `limit` workers sharing one iterator, and asyncio.wait_for.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be >= 1")
    numbered = list(enumerate(coros))
    results = [None] * len(numbered)
    queue = iter(numbered)

    async def worker():
        for index, coro in queue:
            results[index] = await coro

    await asyncio.gather(*(worker() for _ in range(min(limit, len(numbered)))))
    return results
