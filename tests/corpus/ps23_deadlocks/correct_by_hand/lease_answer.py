def acquire_lease(url, name, owner, ttl_ms):
    """Take the lease `name` for `owner` for `ttl_ms` milliseconds; return the fencing token
    (an int), or None if the lease is held."""
    client = redis.Redis.from_url(url)
    try:
        with client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(name)
                    if pipe.exists(name):
                        pipe.unwatch()
                        return None
                    pipe.multi()
                    pipe.set(name, owner, px=ttl_ms)
                    pipe.incr(name + ":token")
                    _, token = pipe.execute()
                    return int(token)
                except redis.WatchError:
                    continue
    finally:
        client.close()


def release_lease(url, name, owner):
    """Delete the lease `name` if `owner` holds it; return whether it was deleted."""
    client = redis.Redis.from_url(url, decode_responses=True)
    try:
        with client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(name)
                    if pipe.get(name) != owner:
                        pipe.unwatch()
                        return False
                    pipe.multi()
                    pipe.delete(name)
                    (deleted,) = pipe.execute()
                    return deleted == 1
                except redis.WatchError:
                    continue
    finally:
        client.close()


def fenced_write(url, key, value, token):
    """Store value and token in the hash `key` unless it holds a larger token; return whether
    the write was accepted."""
    client = redis.Redis.from_url(url, decode_responses=True)
    try:
        with client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    seen = pipe.hget(key, "token")
                    if seen is not None and token < int(seen):
                        pipe.unwatch()
                        return False
                    pipe.multi()
                    pipe.hset(key, mapping={"value": value, "token": token})
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue
    finally:
        client.close()
