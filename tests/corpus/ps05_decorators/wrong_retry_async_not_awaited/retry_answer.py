# One plain wrapper for everything: on an async def it returns the coroutine unawaited, so
# nothing inside is ever retried.
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

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts:
                        raise
                delay = min(cap, base * 2 ** (attempt - 1))
                sleep(delay if jitter is None else jitter(delay))

        return wrapper

    return decorate
