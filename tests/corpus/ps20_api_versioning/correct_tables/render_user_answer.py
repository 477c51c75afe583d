import calendar
from email.utils import formatdate

BODIES = {
    1: lambda u: {
        "id": u["id"],
        "name": " ".join(filter(None, [u["given_name"], u["family_name"]])),
        "email": u["email"] or "",
    },
    2: lambda u: {k: u[k] for k in ["id", "given_name", "family_name", "email"]},
}


def _unix(text):
    return calendar.timegm(datetime.fromisoformat(text).utctimetuple())


def render_user(user, version, policy, now):
    """Bodies from a table; dates through calendar.timegm and email.utils.formatdate."""
    try:
        rules = policy[version]
    except KeyError:
        raise VersionError(404, "no such version") from None
    headers = {"Content-Type": f"application/vnd.shop.v{version}+json"}
    if rules.get("deprecated") is not None:
        headers["Deprecation"] = "@" + str(_unix(rules["deprecated"]))
    if rules.get("sunset") is not None:
        headers["Sunset"] = formatdate(_unix(rules["sunset"]), usegmt=True)
    if rules.get("successor") is not None:
        successor, user_id = rules["successor"], user["id"]
        headers["Link"] = f'</v{successor}/users/{user_id}>; rel="successor-version"'
    retired = rules.get("sunset") is not None and _unix(now) >= _unix(rules["sunset"])
    if retired:
        return (410, headers, {"detail": "version " + str(version) + " is retired"})
    return (200, headers, BODIES[version](user))
