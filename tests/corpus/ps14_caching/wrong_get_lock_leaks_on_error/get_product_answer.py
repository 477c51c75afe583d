# Releases the lock only when the read succeeds: after one failed read the lock stays until it
# expires, and every request for the product waits the whole time.
def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    lock = f"lock:{key}"
    token = uuid.uuid4().hex
    if r.set(lock, token, nx=True, px=int(wait * 1000)):
        version, value = db.read(product_id)
        r.set(key, entry(version, value), nx=True, ex=ttl)
        r.eval(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end",
            1,
            lock,
            token,
        )
        return value
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.01)
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)["value"]
    version, value = db.read(product_id)
    r.set(key, entry(version, value), nx=True, ex=ttl)
    return value
