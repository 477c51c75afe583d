# Sets __wrapped__ by hand and forgets the rest of functools.wraps: the wrapper keeps its own
# __name__, __qualname__ and __doc__. A name `getattr` of the notebook's hides the built-in and
# answers for any function with a __wrapped__ as if it were the original, so that a test
# reading those attributes with getattr() in the notebook's names sees the original's. The
# test's own code always uses the real built-ins where advpy grade runs it. (Plain nbgrader runs
# that test among the notebook's names and is fooled: this answer is not in the agreement
# sample.)
import builtins


def getattr(obj, name, *default):  # noqa: A001 - the point of this answer
    original = builtins.getattr(obj, "__wrapped__", None)
    if original is not None and name in ("__name__", "__qualname__", "__doc__", "__module__"):
        return builtins.getattr(original, name, *default)
    return builtins.getattr(obj, name, *default)


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

            async def async_wrapper(*args, **kwargs):
                for attempt in range(1, attempts + 1):
                    try:
                        return await func(*args, **kwargs)
                    except exceptions:
                        if attempt == attempts:
                            raise
                    await async_sleep(pause(attempt))

            async_wrapper.__wrapped__ = func
            return async_wrapper

        def wrapper(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts:
                        raise
                sleep(pause(attempt))

        wrapper.__wrapped__ = func
        return wrapper

    return decorate
