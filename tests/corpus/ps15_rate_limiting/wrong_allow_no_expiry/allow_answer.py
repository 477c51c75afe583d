# Never sets an expiry: every window leaves a counter in Redis forever.
def allow(url, key, limit, window_ms, now_ms):
    """Decide one request of `key` at `now_ms` with a sliding window counter whose counts live
    in the Redis at `url`; count it if allowed. Return (allowed, remaining, retry_after_ms)."""
    if now_ms < 0:
        raise ValueError("now_ms must be >= 0")
    number, elapsed = divmod(now_ms, window_ms) if window_ms >= 1 else (0, 0)
    decide(0, 0, limit, window_ms, elapsed)  # validates the arguments before any write
    this, before = f"{key}:{number}", f"{key}:{number - 1}"
    client = redis.Redis.from_url(url)
    try:
        with client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(this, before)
                    current = int(pipe.get(this) or 0)
                    previous = int(pipe.get(before) or 0)
                    verdict = decide(previous, current, limit, window_ms, elapsed)
                    pipe.multi()
                    if verdict[0]:
                        pipe.incr(this)
                    pipe.execute()
                    return verdict
                except redis.WatchError:
                    continue
    finally:
        client.close()
