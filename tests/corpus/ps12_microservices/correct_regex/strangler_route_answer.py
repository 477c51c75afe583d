import re


def strangler_route(routes, path):
    """A regular expression per prefix; the longest that matches wins."""
    target = re.match(r"[^?]*", path).group(0)
    found = [
        prefix
        for prefix in routes
        if prefix == "/" or re.match(re.escape(prefix) + r"(/|$)", target)
    ]
    if not found:
        return None
    return routes[max(found, key=len)]
