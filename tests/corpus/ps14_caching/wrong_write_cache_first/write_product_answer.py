# Updates the cache before the database, guessing the version from the cache: when the
# database refuses the write, the cache serves a value that was never stored.
def write_product(r, db, product_id, value, ttl):
    key = f"product:{product_id}"
    current = r.get(key)
    guess = json.loads(current)["version"] + 1 if current else db.read(product_id)[0] + 1
    r.set(key, entry(guess, value), ex=ttl)
    return db.write(product_id, value)
