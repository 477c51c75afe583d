# The async wrapper pauses with the blocking sleep, not with async_sleep.
def retry(
    exceptions,
    *,
    attempts=3,
    base=0.1,
    cap=1.0,
    jitter=None,
    sleep=time.sleep,
    async_sleep=asyncio.sleep,
):
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def pause(k):
        delay = min(cap, base * 2 ** (k - 1))
        return delay if jitter is None else jitter(delay)

    def decorate(func):
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args, **kwargs):
                for attempt in range(1, attempts + 1):
                    try:
                        return await func(*args, **kwargs)
                    except exceptions:
                        if attempt == attempts:
                            raise
                    sleep(pause(attempt))

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts:
                        raise
                sleep(pause(attempt))

        return wrapper

    return decorate
