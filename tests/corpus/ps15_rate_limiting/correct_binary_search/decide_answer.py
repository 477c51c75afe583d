def decide(previous, current, limit, window_ms, elapsed_ms):
    """Return (allowed, remaining, retry_after_ms) for one request of a sliding window counter
    whose previous window allowed `previous` requests and current one `current`."""
    if min(previous, current) < 0 or min(limit, window_ms) < 1:
        raise ValueError("bad counts or limits")
    if not (0 <= elapsed_ms and elapsed_ms < window_ms):
        raise ValueError("bad elapsed_ms")
    w = window_ms

    def fits(moment):
        # would one request fit `moment` ms after the current window began?
        windows_later, e = divmod(moment, w)
        prev, cur = (
            [(previous, current), (current, 0)][windows_later] if windows_later < 2 else (0, 0)
        )
        return prev * (w - e) + (cur + 1) * w <= limit * w

    ok = fits(elapsed_ms)
    budget = limit * w - previous * (w - elapsed_ms) - current * w - (w if ok else 0)
    remaining = budget // w if budget > 0 else 0
    if ok:
        return True, remaining, 0
    low, high = elapsed_ms, 2 * w  # fits(low) is False, fits(high) is True
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return False, remaining, high - elapsed_ms
