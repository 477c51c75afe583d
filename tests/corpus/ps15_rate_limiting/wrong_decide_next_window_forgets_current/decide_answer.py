# Thinks a new window starts empty: after a full window it retries at its end, forgetting that the full window becomes the weighted previous one.
def decide(previous, current, limit, window_ms, elapsed_ms):
    """Return (allowed, remaining, retry_after_ms) for one request of a sliding window counter
    whose previous window allowed `previous` requests and current one `current`."""
    if previous < 0 or current < 0 or limit < 1 or window_ms < 1:
        raise ValueError("counts must be >= 0, limit and window_ms >= 1")
    if not 0 <= elapsed_ms < window_ms:
        raise ValueError("elapsed_ms must be in [0, window_ms)")
    used = previous * (window_ms - elapsed_ms) + current * window_ms
    capacity = limit * window_ms
    allowed = used + window_ms <= capacity
    taken = used + window_ms if allowed else used
    remaining = max(0, (capacity - taken) // window_ms)
    if allowed:
        return True, remaining, 0
    room = limit - current - 1
    if room >= 0:
        moment = window_ms - (room * window_ms) // previous
        if moment < window_ms:
            return False, remaining, moment - elapsed_ms
    later = 0
    return False, remaining, window_ms - elapsed_ms + later
