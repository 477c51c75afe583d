def render_user(user, version, policy, now):
    """Return (status, headers, body): the stored user rendered for the API version, with the
    Deprecation, Sunset and Link headers its policy calls for, and 410 after the sunset."""
    if version not in policy:
        raise VersionError(404, f"version {version} is not served")
    rules = policy[version]
    headers = {"Content-Type": f"application/vnd.shop.v{version}+json"}
    if rules["deprecated"] is not None:
        deprecated = datetime.fromisoformat(rules["deprecated"])
        headers["Deprecation"] = f"@{int(deprecated.timestamp())}"
    sunset = None
    if rules["sunset"] is not None:
        sunset = datetime.fromisoformat(rules["sunset"])
        headers["Sunset"] = format_datetime(sunset.astimezone(UTC), usegmt=True)
    if rules["successor"] is not None:
        headers["Link"] = f'</v{rules["successor"]}/users/{user["id"]}>; rel="successor-version"'
    if sunset is not None and datetime.fromisoformat(now) >= sunset:
        return 410, headers, {"detail": f"version {version} is retired"}
    if version == 1:
        name = " ".join(part for part in (user["given_name"], user["family_name"]) if part)
        email = user["email"] if user["email"] is not None else ""
        body = {"id": user["id"], "name": name, "email": email}
    else:
        body = {key: value for key, value in user.items() if key != "password_hash"}
    return 200, headers, body
