# Keeps the keyword arguments in the order given, so f(a=1, b=2) and f(b=2, a=1) differ.
def ttl_cache(seconds, clock=time.monotonic):
    if not seconds > 0:
        raise ValueError("seconds must be positive")

    def decorate(func):
        entries = {}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, tuple(kwargs.items()))
            now = clock()
            if key in entries:
                stored_at, result = entries[key]
                if now - stored_at < seconds:
                    return result
            result = func(*args, **kwargs)
            entries[key] = (now, result)
            return result

        return wrapper

    return decorate
