# Draws a token first, then tries to take the lease: refused attempts use up tokens too.
def acquire_lease(url, name, owner, ttl_ms):
    """Take the lease; return the fencing token, or None if the lease is held."""
    with redis.Redis.from_url(url) as client:
        token = client.incr(name + ":token")
        if client.set(name, owner, nx=True, px=ttl_ms):
            return token
        return None


def release_lease(url, name, owner):
    """Delete the lease if owner holds it; return whether it was deleted."""
    script = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('DEL', KEYS[1])
    end
    return 0
    """
    with redis.Redis.from_url(url) as client:
        return client.eval(script, 1, name, owner) == 1


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
