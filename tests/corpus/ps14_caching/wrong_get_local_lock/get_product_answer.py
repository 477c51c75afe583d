# Protects against the stampede with a threading.Lock per key: it works inside one process,
# but other processes (other app servers) never see it, and the Redis lock of the contract
# is neither taken nor respected.
_locks = {}
_locks_guard = threading.Lock()


def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)["value"]
        version, value = db.read(product_id)
        r.set(key, entry(version, value), nx=True, ex=ttl)
        return value
