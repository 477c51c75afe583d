# Checks expiry before reuse: a replayed token that has expired since is only 'expired',
# and its family is not revoked.
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
        if now >= record["issued"] + self.lifetime:
            raise RefreshRejected("expired")
        if record["used"]:
            self.store.set(f"revoked:{family}", True)
            raise RefreshRejected("reused")
        record["used"] = True
        self.store.set(f"token:{token}", record)
        return record["user"], self._new_token(record["user"], family, now)

    def _new_token(self, user, family, now):
        token = secrets.token_urlsafe(32)
        record = {"user": user, "family": family, "issued": now, "used": False}
        self.store.set(f"token:{token}", record)
        return token
