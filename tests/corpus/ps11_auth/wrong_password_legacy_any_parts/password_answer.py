# Takes the salt and digest from the second and third parts of the legacy hash, however
# many parts it has: "sha256$SALT$DIGEST$junk" is accepted, and "sha256$SALT" raises.
def verify_and_upgrade(stored, password, cost):
    """Return (password is right, a new bcrypt hash at `cost` or None): see the contract."""
    secret = password.encode("utf-8")
    if not isinstance(stored, str):
        return False, None
    if stored.startswith("$2b$"):
        if not bcrypt.checkpw(secret, stored.encode("ascii")):
            return False, None
        if int(stored[4:6]) >= cost:
            return True, None
    elif stored.startswith("sha256$"):
        parts = stored.split("$")
        digest = hashlib.sha256((parts[1] + password).encode("utf-8")).hexdigest()
        if not hmac.compare_digest(digest, parts[2]):
            return False, None
    else:
        return False, None
    return True, bcrypt.hashpw(secret, bcrypt.gensalt(rounds=cost)).decode("ascii")
