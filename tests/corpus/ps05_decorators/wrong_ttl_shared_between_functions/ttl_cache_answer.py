# Creates the cache once per ttl_cache(...) call, so functions it decorates share it.
def ttl_cache(seconds, clock=time.monotonic):
    if not seconds > 0:
        raise ValueError("seconds must be positive")
    entries = {}

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, frozenset(kwargs.items()))
            now = clock()
            if key in entries and now - entries[key][0] < seconds:
                return entries[key][1]
            result = func(*args, **kwargs)
            entries[key] = (now, result)
            return result

        return wrapper

    return decorate
