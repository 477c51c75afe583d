from fractions import Fraction


def limit_response(limit, allowed, remaining, retry_after_ms, reset_ms):
    """Return (status, headers) for an answer of a rate-limited API."""
    if not isinstance(allowed, bool):
        raise TypeError("allowed is a bool")
    problems = [
        limit < 1,
        remaining < 0,
        remaining > limit,
        reset_ms < 0,
        retry_after_ms < 0,
        allowed and retry_after_ms != 0,
        not allowed and retry_after_ms == 0,
    ]
    if any(problems):
        raise ValueError("arguments out of range")

    def seconds(ms):
        return str(math.ceil(Fraction(ms, 1000)))

    headers = {}
    headers["RateLimit-Limit"] = f"{limit}"
    headers["RateLimit-Remaining"] = f"{remaining}"
    headers["RateLimit-Reset"] = seconds(reset_ms)
    if allowed:
        return 200, headers
    headers["Retry-After"] = seconds(retry_after_ms)
    return 429, headers
