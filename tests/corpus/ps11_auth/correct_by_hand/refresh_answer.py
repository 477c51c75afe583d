class RefreshTokens:
    """Records are kept under the SHA-256 of each token, so a leaked store leaks no token."""

    def __init__(self, store, lifetime):
        self.store = store
        self.lifetime = lifetime

    @staticmethod
    def _key(token):
        return "rt:" + hashlib.sha256(str(token).encode()).hexdigest()

    def _mint(self, family, now):
        token = secrets.token_hex(32)
        self.store.set(self._key(token), {"family": family, "expires": now + self.lifetime})
        return token

    def issue(self, user, now):
        family = secrets.token_hex(8)
        self.store.set(f"family:{family}", {"user": user, "revoked": False})
        return self._mint(family, now)

    def rotate(self, token, now):
        record = self.store.get(self._key(token))
        if record is None:
            raise RefreshRejected("unknown")
        family = self.store.get(f"family:{record['family']}")
        if family["revoked"]:
            raise RefreshRejected("revoked")
        if record.get("rotated"):
            family["revoked"] = True
            self.store.set(f"family:{record['family']}", family)
            raise RefreshRejected("reused")
        if now >= record["expires"]:
            raise RefreshRejected("expired")
        record["rotated"] = True
        self.store.set(self._key(token), record)
        return family["user"], self._mint(record["family"], now)
