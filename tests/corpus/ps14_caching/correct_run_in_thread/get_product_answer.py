# Polls with a deadline computed once; the lock value is a token from secrets;
# missing products cached through the same path as the others.
import secrets


def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    lock = f"lock:product:{product_id}"
    raw = r.get(key)
    if raw is not None:
        return json.loads(raw)["value"]
    mine = secrets.token_hex(16)
    got_lock = r.set(lock, mine, nx=True, px=int(wait * 1000))
    if got_lock:
        try:
            version, value = db.read(product_id)
        except BaseException:
            r.eval(
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
                1,
                lock,
                mine,
            )
            raise
        r.set(key, entry(version, value), ex=ttl, nx=True)
        r.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
            1,
            lock,
            mine,
        )
        return value
    give_up = time.monotonic() + wait
    while True:
        raw = r.get(key)
        if raw is not None:
            return json.loads(raw)["value"]
        if time.monotonic() >= give_up:
            break
        time.sleep(0.01)
    version, value = db.read(product_id)
    r.set(key, entry(version, value), ex=ttl, nx=True)
    return value
