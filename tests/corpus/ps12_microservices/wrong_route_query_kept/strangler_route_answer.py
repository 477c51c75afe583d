# Forgets the query string: /orders?page=2 is not /orders or /orders/...
def strangler_route(routes, path):
    """Return the service of the longest prefix in `routes` that matches `path` by whole
    segments (the query string ignored), or None when no prefix matches."""
    path = path
    best = None
    for prefix in routes:
        if prefix == "/" or path == prefix or path.startswith(prefix + "/"):
            if best is None or len(prefix) > len(best):
                best = prefix
    return None if best is None else routes[best]
