# Tests the stored service for truth: a service named 0 or False comes back as None.
def strangler_route(routes, path):
    """Return the service of the longest prefix in `routes` that matches `path` by whole
    segments (the query string ignored), or None when no prefix matches."""
    path = path.split("?", 1)[0]
    best = None
    for prefix in routes:
        if prefix == "/" or path == prefix or path.startswith(prefix + "/"):
            if best is None or len(prefix) > len(best):
                best = prefix
    return routes.get(best) or None
