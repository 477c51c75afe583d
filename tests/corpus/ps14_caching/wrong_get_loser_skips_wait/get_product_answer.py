# Takes the lock, but a request that loses it reads the database at once instead of waiting:
# the lock protects nothing.
def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    lock = f"lock:{key}"
    token = uuid.uuid4().hex
    mine = r.set(lock, token, nx=True, px=int(wait * 1000))
    try:
        version, value = db.read(product_id)
        r.set(key, entry(version, value), nx=True, ex=ttl)
        return value
    finally:
        if mine:
            r.eval(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end",
                1,
                lock,
                token,
            )
