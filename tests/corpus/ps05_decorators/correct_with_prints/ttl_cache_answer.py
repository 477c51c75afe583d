# Prints every hit and miss.
def ttl_cache(seconds, clock=time.monotonic):
    if seconds <= 0:
        raise ValueError("seconds must be positive")

    def decorate(func):
        store = {}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            now = clock()
            if key in store and now - store[key][0] < seconds:
                print("hit", key)
                return store[key][1]
            print("miss", key)
            result = func(*args, **kwargs)
            store[key] = (now, result)
            return result

        return wrapper

    return decorate
