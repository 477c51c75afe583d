# Catches CancelledError with the TimeoutError: cancelling the caller returns the default.
async def with_timeout(coro, seconds, default=None):
    try:
        return await asyncio.wait_for(coro, seconds)
    except (TimeoutError, asyncio.CancelledError):
        return default
