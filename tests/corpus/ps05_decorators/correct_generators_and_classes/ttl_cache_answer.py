# A class whose instances are the decorated functions.
class _Cached:
    def __init__(self, func, seconds, clock):
        functools.update_wrapper(self, func)
        self._func, self._seconds, self._clock = func, seconds, clock
        self._entries = {}

    def __call__(self, *args, **kwargs):
        key = (args, frozenset(kwargs.items()))
        started = self._clock()
        found = self._entries.get(key)
        if found is not None and started - found[0] < self._seconds:
            return found[1]
        result = self._func(*args, **kwargs)
        self._entries[key] = (started, result)
        return result


def ttl_cache(seconds, clock=time.monotonic):
    if not seconds > 0:
        raise ValueError("seconds")
    return lambda func: _Cached(func, seconds, clock)
