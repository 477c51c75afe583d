# Plain cache-aside with no lock: right for one request at a time, and every concurrent miss
# reads the database (the stampede).
def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    version, value = db.read(product_id)
    r.set(key, entry(version, value), nx=True, ex=ttl)
    return value
