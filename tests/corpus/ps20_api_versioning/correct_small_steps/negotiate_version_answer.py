VENDOR = re.compile(r"\s*application/vnd\.shop\.v([0-9]+)\+json\s*", re.IGNORECASE)
PREFIX = re.compile(r"/v([0-9]+)(/.*)?", re.DOTALL)


def _from_url(path, supported):
    match = PREFIX.fullmatch(path)
    if match is None:
        return None, path
    version = int(match.group(1))
    if version not in supported:
        raise VersionError(404, "no such version")
    return version, match.group(2) or "/"


def _quality(parameters):
    q = 1.0
    for parameter in parameters:
        if "=" in parameter:
            key, value = parameter.split("=", 1)
            if key.strip() in ("q", "Q"):
                q = float(value)
    return q


def _from_accept(value, supported):
    offers = []
    for position, media_range in enumerate(value.split(",")):
        media_type, *parameters = media_range.split(";")
        match = VENDOR.fullmatch(media_type)
        q = _quality(parameters)
        if match and q > 0:
            offers.append((int(match.group(1)), q, position))
    if not offers:
        return None
    servable = [o for o in offers if o[0] in supported]
    if not servable:
        raise VersionError(406, "nothing acceptable")
    servable.sort(key=lambda o: (-o[1], o[2]))
    return servable[0][0]


def _from_header(value, supported):
    value = value.strip()
    if not value.isascii() or not value.isdigit() or int(value) not in supported:
        raise VersionError(400, "bad API-Version header")
    return int(value)


def negotiate_version(path, headers, supported, default):
    """One small function per source; the sources must agree."""
    by_name = {k.lower(): v for k, v in headers.items()}
    url_version, rest = _from_url(path, supported)
    found = [url_version, _from_accept(by_name.get("accept", ""), supported)]
    if "api-version" in by_name:
        found.append(_from_header(by_name["api-version"], supported))
    named = {v for v in found if v is not None}
    if len(named) > 1:
        raise VersionError(400, "the request names two versions")
    return (named.pop() if named else default, rest)
