# Decodes the JSON in the script with string matching on the version field instead of cjson.
SCRIPT = """
local old = redis.call('GET', KEYS[1])
if old then
  local v = tonumber(string.match(old, '"version": *(%-?%d+)'))
  if v and v >= tonumber(ARGV[1]) then return 0 end
end
return redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3])) and 1
"""


def write_product(r, db, product_id, value, ttl):
    new_version = db.write(product_id, value)
    r.eval(
        SCRIPT,
        1,
        "product:" + str(product_id),
        str(new_version),
        entry(new_version, value),
        str(ttl),
    )
    return new_version
