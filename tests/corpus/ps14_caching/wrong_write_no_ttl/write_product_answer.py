# Stores the entry without a time to live: the entry never expires, and the cache grows
# until Redis evicts (or refuses) writes.
def write_product(r, db, product_id, value, ttl):
    version = db.write(product_id, value)
    script = """
    local current = redis.call('GET', KEYS[1])
    if current and cjson.decode(current)['version'] >= tonumber(ARGV[1]) then return 0 end
    redis.call('SET', KEYS[1], ARGV[2])
    return 1
    """
    r.eval(script, 1, f"product:{product_id}", version, entry(version, value))
    return version
