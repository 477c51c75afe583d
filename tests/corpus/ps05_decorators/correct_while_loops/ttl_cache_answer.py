# Stores the expiry time (stored time + seconds) and sorts keyword arguments into the key.
def ttl_cache(seconds, clock=time.monotonic):
    if seconds <= 0:
        raise ValueError("seconds must be > 0")

    def decorate(func):
        expires = {}
        values = {}

        @functools.wraps(func)
        def cached(*args, **kwargs):
            key = args + (object,) + tuple(sorted(kwargs.items()))
            now = clock()
            if key in expires and now < expires[key]:
                return values[key]
            value = func(*args, **kwargs)
            values[key] = value
            expires[key] = now + seconds
            return value

        return cached

    return decorate
