# Treats a cached value that is falsy (0, "", [], False) as a miss: `if value:` instead of
# asking whether the key was there, so a product priced 0 goes to the database every time.
def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    value = json.loads(cached)["value"] if cached else None
    if value:
        return value
    lock = f"lock:{key}"
    token = uuid.uuid4().hex
    if r.set(lock, token, nx=True, px=int(wait * 1000)):
        try:
            version, value = db.read(product_id)
            r.set(key, entry(version, value), nx=True, ex=ttl)
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
        if cached is not None and json.loads(cached)["value"]:
            return json.loads(cached)["value"]
    version, value = db.read(product_id)
    r.set(key, entry(version, value), nx=True, ex=ttl)
    return value
