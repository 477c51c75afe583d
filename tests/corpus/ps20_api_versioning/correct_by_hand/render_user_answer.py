import calendar
import time as _time


def render_user(user, version, policy, now):
    """Dates as Unix seconds throughout; the HTTP date written with strftime in UTC."""
    if version not in policy:
        raise VersionError(404, "not served")

    def seconds(text):
        return int(datetime.fromisoformat(text).timestamp())

    rules = policy[version]
    headers = {"Content-Type": "application/vnd.shop.v%d+json" % version}
    if rules["deprecated"] is not None:
        headers["Deprecation"] = "@%d" % seconds(rules["deprecated"])
    if rules["sunset"] is not None:
        parts = _time.gmtime(seconds(rules["sunset"]))
        days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        headers["Sunset"] = "%s, %02d %s %04d %02d:%02d:%02d GMT" % (
            days[parts.tm_wday], parts.tm_mday, months[parts.tm_mon - 1], parts.tm_year,
            parts.tm_hour, parts.tm_min, parts.tm_sec,
        )
        if seconds(now) >= seconds(rules["sunset"]):
            if rules["successor"] is not None:
                headers["Link"] = '</v%d/users/%d>; rel="successor-version"' % (
                    rules["successor"], user["id"])
            return 410, headers, {"detail": "version %d is retired" % version}
    if rules["successor"] is not None:
        headers["Link"] = '</v%d/users/%d>; rel="successor-version"' % (
            rules["successor"], user["id"])
    assert calendar  # imported for readers who prefer calendar.timegm
    if version == 2:
        return 200, headers, {
            "id": user["id"],
            "given_name": user["given_name"],
            "family_name": user["family_name"],
            "email": user["email"],
        }
    names = [n for n in (user["given_name"], user["family_name"]) if n != ""]
    return 200, headers, {
        "id": user["id"],
        "name": " ".join(names),
        "email": "" if user["email"] is None else user["email"],
    }
