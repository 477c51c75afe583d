# Stores the new entry with a plain SET: right one writer at a time, but an older write that
# reaches the cache last wins, and the stale value stays until it expires.
def write_product(r, db, product_id, value, ttl):
    version = db.write(product_id, value)
    r.set(f"product:{product_id}", entry(version, value), ex=ttl)
    return version
