# Matches prefixes character by character, as nginx does: /orders catches /orders-archive.
def strangler_route(routes, path):
    """Return the service of the longest prefix in `routes` that matches `path` by whole
    segments (the query string ignored), or None when no prefix matches."""
    path = path.split("?", 1)[0]
    best = None
    for prefix in routes:
        if path.startswith(prefix):
            if best is None or len(prefix) > len(best):
                best = prefix
    return None if best is None else routes[best]
