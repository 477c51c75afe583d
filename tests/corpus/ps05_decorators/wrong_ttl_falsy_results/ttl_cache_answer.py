# Treats a falsy cached result as "not cached".
def ttl_cache(seconds, clock=time.monotonic):
    if seconds <= 0:
        raise ValueError("seconds must be positive")

    def decorate(func):
        values, times = {}, {}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, frozenset(kwargs.items()))
            now = clock()
            if values.get(key) and now - times[key] < seconds:
                return values[key]
            values[key] = func(*args, **kwargs)
            times[key] = now
            return values[key]

        return wrapper

    return decorate
