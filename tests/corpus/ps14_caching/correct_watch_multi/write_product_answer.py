# Compares versions in Python inside a WATCH/MULTI transaction, retried when the key changes.
def write_product(r, db, product_id, value, ttl):
    """Write-through; the cache never goes back to an older version."""
    version = db.write(product_id, value)
    key = f"product:{product_id}"
    with r.pipeline() as pipe:
        while True:
            try:
                pipe.watch(key)
                current = pipe.get(key)
                if current is not None and json.loads(current)["version"] >= version:
                    pipe.unwatch()
                    break
                pipe.multi()
                pipe.set(key, entry(version, value), ex=ttl)
                pipe.execute()
                break
            except redis.WatchError:
                continue
    return version
