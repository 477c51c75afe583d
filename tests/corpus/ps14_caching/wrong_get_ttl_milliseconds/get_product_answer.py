# Gives the entry's time to live in milliseconds (PX ttl), as the lock's is: the entry expires
# a thousand times too early and the cache barely helps.
def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    lock = f"lock:{key}"
    token = uuid.uuid4().hex
    if r.set(lock, token, nx=True, px=int(wait * 1000)):
        try:
            version, value = db.read(product_id)
            r.set(key, entry(version, value), nx=True, px=ttl)
            return value
        finally:
            r.eval(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end",
                1,
                lock,
                token,
            )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.01)
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)["value"]
    version, value = db.read(product_id)
    r.set(key, entry(version, value), nx=True, px=ttl)
    return value
