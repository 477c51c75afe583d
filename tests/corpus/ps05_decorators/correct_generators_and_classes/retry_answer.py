# The pauses come from a generator; the cache-like state lives in a small class per call.
def _pauses(base, cap, jitter):
    delay = base
    while True:
        yield jitter(min(cap, delay)) if jitter else min(cap, delay)
        delay = delay * 2


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
    if attempts <= 0:
        raise ValueError(attempts)

    def decorate(func):
        @functools.wraps(func)
        async def async_version(*args, **kwargs):
            pauses = _pauses(base, cap, jitter)
            for number in range(attempts):
                try:
                    result = await func(*args, **kwargs)
                except exceptions:
                    if number + 1 >= attempts:
                        raise
                    await async_sleep(next(pauses))
                    continue
                return result

        @functools.wraps(func)
        def sync_version(*args, **kwargs):
            pauses = _pauses(base, cap, jitter)
            for number in range(attempts):
                try:
                    result = func(*args, **kwargs)
                except exceptions:
                    if number + 1 >= attempts:
                        raise
                    sleep(next(pauses))
                    continue
                return result

        return async_version if inspect.iscoroutinefunction(func) else sync_version

    return decorate
