def limit_response(limit, allowed, remaining, retry_after_ms, reset_ms):
    """Return (status, headers) for an answer of a rate-limited API."""
    if allowed is not True and allowed is not False:
        raise TypeError("allowed must be True or False")
    if limit < 1 or remaining < 0 or remaining > limit:
        raise ValueError("limit or remaining out of range")
    if reset_ms < 0 or retry_after_ms < 0:
        raise ValueError("negative time")
    if (retry_after_ms == 0) != allowed:
        raise ValueError("retry_after_ms contradicts allowed")

    def up(ms):
        return str((ms + 999) // 1000)

    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": up(reset_ms),
    }
    if allowed:
        return (200, headers)
    return (429, {**headers, "Retry-After": up(retry_after_ms)})
