# Awaits the coroutine to the end and only then compares the time taken.
async def with_timeout(coro, seconds, default=None):
    loop = asyncio.get_running_loop()
    start = loop.time()
    result = await coro
    if loop.time() - start > seconds:
        return default
    return result
