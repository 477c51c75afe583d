from fractions import Fraction


def decide(previous, current, limit, window_ms, elapsed_ms):
    """Return (allowed, remaining, retry_after_ms) for one request of a sliding window counter
    whose previous window allowed `previous` requests and current one `current`."""
    for name, value, low in [
        ("previous", previous, 0),
        ("current", current, 0),
        ("limit", limit, 1),
        ("window_ms", window_ms, 1),
    ]:
        if value < low:
            raise ValueError(f"{name} must be at least {low}")
    if elapsed_ms < 0 or elapsed_ms >= window_ms:
        raise ValueError("elapsed_ms outside the window")

    def used(prev, cur, elapsed):
        return prev * Fraction(window_ms - elapsed, window_ms) + cur

    now_used = used(previous, current, elapsed_ms)
    allowed = now_used + 1 <= limit
    left = limit - now_used - (1 if allowed else 0)
    remaining = max(0, math.floor(left))
    if allowed:
        return (True, remaining, 0)
    # The weighted count only falls with time: find the first moment in each window.
    for offset, prev, cur in [
        (0, previous, current),
        (window_ms, current, 0),
        (2 * window_ms, 0, 0),
    ]:
        if cur + 1 > limit:
            continue
        # prev * (W - e) / W + cur + 1 <= limit  <=>  e >= W - (limit - cur - 1) * W / prev
        if prev == 0:
            earliest = 0
        else:
            earliest = max(0, math.ceil(window_ms - Fraction((limit - cur - 1) * window_ms, prev)))
        if earliest < window_ms:
            wait = offset + earliest - elapsed_ms
            if wait >= 1:
                return (False, remaining, wait)
    raise AssertionError("unreachable: two windows later nothing counts")
