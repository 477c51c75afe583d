# One module-level cache for every decorated function, keyed by the arguments only.
_CACHE = {}


def ttl_cache(seconds, clock=time.monotonic):
    if not seconds > 0:
        raise ValueError("seconds must be positive")

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, frozenset(kwargs.items()))
            now = clock()
            if key in _CACHE and now - _CACHE[key][0] < seconds:
                return _CACHE[key][1]
            result = func(*args, **kwargs)
            _CACHE[key] = (now, result)
            return result

        return wrapper

    return decorate
