# A while loop that doubles the delay as it goes, and keeps the last error to raise it.
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
    if not isinstance(exceptions, tuple):
        exceptions = (exceptions,)
    if attempts < 1:
        raise ValueError("need at least one attempt")

    def next_delay(delay):
        capped = delay if delay < cap else cap
        return capped if jitter is None else jitter(capped)

    def decorate(func):
        if asyncio.iscoroutinefunction(func):

            async def run_async(*args, **kwargs):
                left, delay = attempts, base
                while True:
                    try:
                        return await func(*args, **kwargs)
                    except exceptions as error:
                        left -= 1
                        if left == 0:
                            raise error
                    await async_sleep(next_delay(delay))
                    delay *= 2

            return functools.update_wrapper(run_async, func)

        def run(*args, **kwargs):
            left, delay = attempts, base
            while True:
                try:
                    return func(*args, **kwargs)
                except exceptions as error:
                    left -= 1
                    if left == 0:
                        raise error
                sleep(next_delay(delay))
                delay *= 2

        return functools.update_wrapper(run, func)

    return decorate
