# Compares versions in Python between a GET and a SET: the check and the store are two steps,
# and another writer can store a newer entry in between, which this SET then overwrites.
def write_product(r, db, product_id, value, ttl):
    version = db.write(product_id, value)
    key = f"product:{product_id}"
    current = r.get(key)
    newer = current is not None and json.loads(current)["version"] >= version
    if not newer:
        r.set(key, entry(version, value), ex=ttl)
    return version
