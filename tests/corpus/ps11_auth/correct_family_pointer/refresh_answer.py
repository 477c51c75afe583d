class RefreshTokens:
    """Each family remembers its one current token; any other token of it is a replay."""

    def __init__(self, store, lifetime):
        self.store = store
        self.lifetime = lifetime

    def _next(self, family_id, user, now):
        token = secrets.token_urlsafe(40)
        self.store.set(
            "family/" + family_id,
            {"user": user, "current": token, "since": now, "revoked": False},
        )
        self.store.set("token/" + token, family_id)
        return token

    def issue(self, user, now):
        return self._next(secrets.token_urlsafe(12), user, now)

    def rotate(self, token, now):
        family_id = self.store.get("token/" + token)
        if family_id is None:
            raise RefreshRejected("unknown")
        family = self.store.get("family/" + family_id)
        if family["revoked"]:
            raise RefreshRejected("revoked")
        if family["current"] != token:
            family["revoked"] = True
            self.store.set("family/" + family_id, family)
            raise RefreshRejected("reused")
        if now - family["since"] >= self.lifetime:
            raise RefreshRejected("expired")
        return family["user"], self._next(family_id, family["user"], now)
