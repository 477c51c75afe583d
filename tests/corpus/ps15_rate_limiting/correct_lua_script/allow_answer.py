SCRIPT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit, window, elapsed = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local used = previous * (window - elapsed) + current * window
if used + window <= limit * window then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], 2 * window)
  return {1, previous, current}
end
return {0, previous, current}
"""


def allow(url, key, limit, window_ms, now_ms):
    """Decide one request of `key` at `now_ms` with a sliding window counter whose counts live
    in the Redis at `url`; count it if allowed. Return (allowed, remaining, retry_after_ms)."""
    if now_ms < 0:
        raise ValueError("now_ms must not be negative")
    if limit < 1 or window_ms < 1:
        raise ValueError("limit and window_ms must be positive")
    number, elapsed = divmod(now_ms, window_ms)
    with redis.Redis.from_url(url) as client:
        counted, previous, current = client.eval(
            SCRIPT, 2, f"{key}:{number}", f"{key}:{number - 1}", limit, window_ms, elapsed
        )
    # the script saw the counts before this request: decide again from them for the numbers
    return decide(previous, current, limit, window_ms, elapsed)
