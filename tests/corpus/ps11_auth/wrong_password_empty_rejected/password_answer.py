# Treats the empty password as no password.
def verify_and_upgrade(stored, password, cost):
    """Return (password is right, a new bcrypt hash at `cost` or None): see the contract."""
    secret = password.encode("utf-8")
    if not isinstance(stored, str) or not password:
        return False, None
    if stored.startswith("$2b$"):
        if not bcrypt.checkpw(secret, stored.encode("ascii")):
            return False, None
        if int(stored[4:6]) >= cost:
            return True, None
    elif stored.startswith("sha256$"):
        parts = stored.split("$")
        if len(parts) != 3:
            return False, None
        digest = hashlib.sha256((parts[1] + password).encode("utf-8")).hexdigest()
        if not hmac.compare_digest(digest, parts[2]):
            return False, None
    else:
        return False, None
    return True, bcrypt.hashpw(secret, bcrypt.gensalt(rounds=cost)).decode("ascii")
