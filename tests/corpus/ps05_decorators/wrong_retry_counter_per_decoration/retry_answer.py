# Counts the attempts once per decorated function, so later calls have fewer attempts left.
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
        state = {"failures": 0}
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args, **kwargs):
                while True:
                    try:
                        return await func(*args, **kwargs)
                    except exceptions:
                        state["failures"] += 1
                        if state["failures"] >= attempts:
                            raise
                    await async_sleep(pause(state["failures"]))

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            while True:
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    state["failures"] += 1
                    if state["failures"] >= attempts:
                        raise
                sleep(pause(state["failures"]))

        return wrapper

    return decorate
