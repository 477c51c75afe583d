_clients = {}


def allow(url, key, limit, window_ms, now_ms):
    """Decide one request of `key` at `now_ms` with a sliding window counter whose counts live
    in the Redis at `url`; count it if allowed. Return (allowed, remaining, retry_after_ms)."""
    if limit < 1 or window_ms < 1 or now_ms < 0:
        raise ValueError("limit and window_ms must be >= 1, now_ms >= 0")
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, decode_responses=True)
    client = _clients[url]
    n = now_ms // window_ms
    keys = [f"{key}:{n}", f"{key}:{n - 1}"]

    def attempt(pipe):
        current, previous = (int(v) if v else 0 for v in pipe.mget(keys))
        result = decide(previous, current, limit, window_ms, now_ms - n * window_ms)
        pipe.multi()
        if result[0]:
            pipe.incr(keys[0])
            pipe.pexpire(keys[0], 2 * window_ms)
        attempt.result = result

    client.transaction(attempt, *keys)
    return attempt.result
