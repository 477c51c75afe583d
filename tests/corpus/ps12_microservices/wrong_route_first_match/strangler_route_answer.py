# Returns the first prefix that matches in the table's order, not the longest.
def strangler_route(routes, path):
    path = path.split("?", 1)[0]
    for prefix, service in routes.items():
        if prefix == "/" or path == prefix or path.startswith(prefix + "/"):
            return service
    return None
