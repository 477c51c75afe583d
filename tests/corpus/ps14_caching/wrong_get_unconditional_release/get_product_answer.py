# Deletes the lock without checking the token: if the read outlived the lock and another
# request took it, this deletes that request's lock and lets a third one in.
def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    lock = f"lock:{key}"
    if r.set(lock, uuid.uuid4().hex, nx=True, px=int(wait * 1000)):
        try:
            version, value = db.read(product_id)
            r.set(key, entry(version, value), nx=True, ex=ttl)
            return value
        finally:
            r.delete(lock)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.01)
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)["value"]
    version, value = db.read(product_id)
    r.set(key, entry(version, value), nx=True, ex=ttl)
    return value
