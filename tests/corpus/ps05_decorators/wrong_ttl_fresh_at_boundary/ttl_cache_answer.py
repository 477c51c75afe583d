# Still serves an entry that is exactly `seconds` old.
def ttl_cache(seconds, clock=time.monotonic):
    if not seconds > 0:
        raise ValueError("seconds must be positive")

    def decorate(func):
        entries = {}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, frozenset(kwargs.items()))
            now = clock()
            if key in entries:
                stored_at, result = entries[key]
                if now - stored_at <= seconds:
                    return result
            result = func(*args, **kwargs)
            entries[key] = (now, result)
            return result

        return wrapper

    return decorate
