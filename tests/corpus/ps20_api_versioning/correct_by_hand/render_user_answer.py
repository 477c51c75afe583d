import time as _time

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def render_user(user, version, policy, now):
    """Dates as Unix seconds throughout; the HTTP date written by hand from time.gmtime."""
    if version not in policy:
        raise VersionError(404, "not served")

    def seconds(text):
        return int(datetime.fromisoformat(text).timestamp())

    rules = policy[version]
    headers = {"Content-Type": f"application/vnd.shop.v{version}+json"}
    if rules["deprecated"] is not None:
        headers["Deprecation"] = f"@{seconds(rules['deprecated'])}"
    if rules["successor"] is not None:
        headers["Link"] = f'</v{rules["successor"]}/users/{user["id"]}>; rel="successor-version"'
    if rules["sunset"] is not None:
        t = _time.gmtime(seconds(rules["sunset"]))
        headers["Sunset"] = (
            f"{DAYS[t.tm_wday]}, {t.tm_mday:02d} {MONTHS[t.tm_mon - 1]} {t.tm_year:04d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
        )
        if seconds(now) >= seconds(rules["sunset"]):
            return 410, headers, {"detail": f"version {version} is retired"}
    if version == 2:
        return (
            200,
            headers,
            {
                "id": user["id"],
                "given_name": user["given_name"],
                "family_name": user["family_name"],
                "email": user["email"],
            },
        )
    names = [n for n in (user["given_name"], user["family_name"]) if n != ""]
    return (
        200,
        headers,
        {
            "id": user["id"],
            "name": " ".join(names),
            "email": "" if user["email"] is None else user["email"],
        },
    )
