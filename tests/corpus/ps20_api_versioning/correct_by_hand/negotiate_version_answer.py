def negotiate_version(path, headers, supported, default):
    """Each source read without regular expressions, then combined."""
    lower = {}
    for name in headers:
        lower[name.lower()] = headers[name]

    def ascii_number(text):
        if text and all(c in "0123456789" for c in text):
            return int(text)
        return None

    stated = []
    rest = path
    first, slash, remainder = path[1:].partition("/")
    if first.startswith("v") and ascii_number(first[1:]) is not None:
        version = ascii_number(first[1:])
        if version not in supported:
            raise VersionError(404, "unknown version")
        stated.append(version)
        rest = "/" + remainder if slash else "/"
    best = None  # (q, version)
    named = False
    for item in headers_value(lower, "accept").split(","):
        pieces = [p.strip() for p in item.split(";")]
        kind = pieces[0].lower()
        prefix, suffix = "application/vnd.shop.v", "+json"
        if not (kind.startswith(prefix) and kind.endswith(suffix)):
            continue
        version = ascii_number(kind[len(prefix) : len(kind) - len(suffix)])
        if version is None:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                q = float(value.strip())
        if q == 0:
            continue
        named = True
        if version in supported and (best is None or q > best[0]):
            best = (q, version)
    if named and best is None:
        raise VersionError(406, "not acceptable")
    if best is not None:
        stated.append(best[1])
    if "api-version" in lower:
        version = ascii_number(lower["api-version"].strip())
        if version is None or version not in supported:
            raise VersionError(400, "bad API-Version")
        stated.append(version)
    if len(set(stated)) > 1:
        raise VersionError(400, "conflicting versions")
    return (stated[0] if stated else default, rest)


def headers_value(lower, name):
    return lower.get(name, "")
