# Accepts any truthy or falsy value as allowed.
def limit_response(limit, allowed, remaining, retry_after_ms, reset_ms):
    """Return (status, headers) for an answer of a rate-limited API."""
    allowed = bool(allowed)
    if limit < 1 or not 0 <= remaining <= limit or reset_ms < 0 or retry_after_ms < 0:
        raise ValueError("limit >= 1, 0 <= remaining <= limit, times >= 0")
    if allowed == (retry_after_ms != 0):
        raise ValueError("retry_after_ms is 0 exactly when the request is allowed")
    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(-(-reset_ms // 1000)),
    }
    if not allowed:
        headers["Retry-After"] = str(-(-retry_after_ms // 1000))
    return (200 if allowed else 429), headers
