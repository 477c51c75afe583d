# Awaits the coroutines one after another: safe, but never concurrent.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return [await coro for coro in coros]
