ACQUIRE = """
local free = redis.call('EXISTS', KEYS[1]) == 0
if not free then return nil end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('INCR', KEYS[2])
"""
RELEASE = """
local holder = redis.call('GET', KEYS[1])
if holder ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
"""
WRITE = """
local highest = tonumber(redis.call('HGET', KEYS[1], 'token'))
local mine = tonumber(ARGV[2])
if highest ~= nil and mine < highest then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[1])
redis.call('HSET', KEYS[1], 'token', mine)
return 1
"""


def _run(url, script, keys, args):
    client = redis.Redis.from_url(url)
    try:
        return client.register_script(script)(keys=keys, args=args)
    finally:
        client.close()


def acquire_lease(url, name, owner, ttl_ms):
    """Take the lease `name` for `owner` for `ttl_ms` milliseconds; return the fencing token
    (an int), or None if the lease is held."""
    token = _run(url, ACQUIRE, [name, f"{name}:token"], [owner, ttl_ms])
    if token is None:
        return None
    return int(token)


def release_lease(url, name, owner):
    """Delete the lease `name` if `owner` holds it; return whether it was deleted."""
    return bool(_run(url, RELEASE, [name], [owner]))


def fenced_write(url, key, value, token):
    """Store value and token in the hash `key` unless it holds a larger token; return whether
    the write was accepted."""
    return _run(url, WRITE, [key], [value, token]) == 1
