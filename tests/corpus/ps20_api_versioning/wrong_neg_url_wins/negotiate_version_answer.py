def negotiate_version(path, headers, supported, default):
    """Return (version, rest): the API version the request names by its URL prefix, Accept
    media type or API-Version header (default when none), and the path without its prefix.
    Raise VersionError(404 / 406 / 400) as the contract says."""
    headers = {name.lower(): value for name, value in headers.items()}
    rest = path
    from_url = None
    segment = path[1:].split("/", 1)[0]
    match = re.fullmatch(r"v([0-9]+)", segment)
    if match:
        from_url = int(match.group(1))
        rest = path[1 + len(segment) :] or "/"
        if from_url not in supported:
            raise VersionError(404, f"there is no version {from_url} of this API")
    from_accept = None
    offers = []
    for position, item in enumerate(headers.get("accept", "").split(",")):
        media_type, *parameters = (piece.strip() for piece in item.split(";"))
        match = re.fullmatch(r"application/vnd\.shop\.v([0-9]+)\+json", media_type, re.I)
        if not match:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                quality = float(value)
        if quality > 0:
            offers.append((quality, -position, int(match.group(1))))
    if offers:
        servable = [offer for offer in offers if offer[2] in supported]
        if not servable:
            raise VersionError(406, "none of the versions in Accept is served")
        from_accept = max(servable)[2]
    from_header = None
    if "api-version" in headers:
        value = headers["api-version"].strip()
        if not re.fullmatch(r"[0-9]+", value) or int(value) not in supported:
            raise VersionError(400, "API-Version must name a supported version")
        from_header = int(value)
    for version in (from_url, from_accept, from_header):  # the first source wins
        if version is not None:
            return version, rest
    return default, rest
