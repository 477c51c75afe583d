def strangler_route(routes, path):
    """Compare lists of segments: a prefix matches when its segments begin the path's."""
    wanted = path.partition("?")[0].split("/")[1:]
    best_length, best = -1, None
    for prefix, service in routes.items():
        parts = [] if prefix == "/" else prefix.split("/")[1:]
        if wanted[: len(parts)] == parts and len(parts) > best_length:
            best_length, best = len(parts), service
    return best
