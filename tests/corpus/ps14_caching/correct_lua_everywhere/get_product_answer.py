# The whole miss path in one function per step; the fill and release are one Lua script each.
FILL = "return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])"
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def _value_of(text):
    return json.loads(text)["value"]


def _load(r, db, product_id, ttl):
    version, value = db.read(product_id)
    r.eval(FILL, 1, f"product:{product_id}", entry(version, value), ttl)
    return value


def get_product(r, db, product_id, ttl, wait=2.0):
    text = r.get(f"product:{product_id}")
    if text is not None:
        return _value_of(text)
    token = uuid.uuid4().hex
    lock = f"lock:product:{product_id}"
    if r.set(lock, token, nx=True, px=int(wait * 1000)):
        try:
            return _load(r, db, product_id, ttl)
        finally:
            r.eval(RELEASE, 1, lock, token)
    end = time.monotonic() + wait
    while time.monotonic() < end:
        text = r.get(f"product:{product_id}")
        if text is not None:
            return _value_of(text)
        time.sleep(0.01)
    return _load(r, db, product_id, ttl)
