# Releases the lock with WATCH/MULTI instead of a Lua script, and waits with a counted loop.
def get_product(r, db, product_id, ttl, wait=2.0):
    """Cache-aside read with a Redis lock against stampedes."""
    key = "product:" + str(product_id)
    lock_key = "lock:" + key

    def cached():
        text = r.get(key)
        return (False, None) if text is None else (True, json.loads(text)["value"])

    def fill():
        version, value = db.read(product_id)
        r.set(key, json.dumps({"version": version, "value": value}), ex=ttl, nx=True)
        return value

    found, value = cached()
    if found:
        return value
    token = str(uuid.uuid4())
    if not r.set(lock_key, token, px=int(round(wait * 1000)) or 1, nx=True):
        started = time.monotonic()
        while time.monotonic() - started < wait:
            found, value = cached()
            if found:
                return value
            time.sleep(0.005)
        return fill()
    try:
        return fill()
    finally:
        with r.pipeline() as pipe:
            try:
                pipe.watch(lock_key)
                if pipe.get(lock_key) == token:
                    pipe.multi()
                    pipe.delete(lock_key)
                    pipe.execute()
            except redis.WatchError:
                pass  # it changed hands meanwhile: it is not ours to delete
