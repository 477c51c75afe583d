# Releases with a plain DEL: anybody, including a holder whose lease already expired, deletes
# the current holder's lease.
def acquire_lease(url, name, owner, ttl_ms):
    """Take the lease; return the fencing token, or None if the lease is held."""
    script = """
    if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
      return redis.call('INCR', KEYS[2])
    end
    return false
    """
    with redis.Redis.from_url(url) as client:
        token = client.eval(script, 2, name, name + ":token", owner, ttl_ms)
    return None if token is None else int(token)


def release_lease(url, name, owner):
    """Delete the lease; return whether it was deleted."""
    with redis.Redis.from_url(url) as client:
        return client.delete(name) == 1


def fenced_write(url, key, value, token):
    """Store value and token unless the record holds a larger token."""
    script = """
    local seen = redis.call('HGET', KEYS[1], 'token')
    if seen and tonumber(ARGV[2]) < tonumber(seen) then
      return 0
    end
    redis.call('HSET', KEYS[1], 'value', ARGV[1], 'token', ARGV[2])
    return 1
    """
    with redis.Redis.from_url(url) as client:
        return client.eval(script, 1, key, value, token) == 1
