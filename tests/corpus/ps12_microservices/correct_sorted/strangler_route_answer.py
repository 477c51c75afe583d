def strangler_route(routes, path):
    """Try the prefixes from the longest down; the first that matches is the best."""
    path, _, _ = path.partition("?")
    for prefix in sorted(routes, key=len, reverse=True):
        if prefix == "/" or (path + "/").startswith(prefix + "/"):
            return routes[prefix]
    return None
