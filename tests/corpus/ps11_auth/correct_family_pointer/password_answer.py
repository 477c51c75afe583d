def _legacy_ok(stored, password):
    try:
        kind, salt, digest = stored.split("$")
    except ValueError:
        return False
    expected = hashlib.sha256(f"{salt}{password}".encode()).hexdigest()
    return hmac.compare_digest(expected, digest) if digest.isascii() else False


def verify_and_upgrade(stored, password, cost):
    if stored is None:
        return False, None
    if stored[:4] == "$2b$":
        if not bcrypt.checkpw(password.encode(), stored.encode()):
            return False, None
        current = int(stored.split("$")[2])
        if current >= cost:
            return True, None
    elif not (stored.startswith("sha256$") and _legacy_ok(stored, password)):
        return False, None
    fresh = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=cost))
    return True, fresh.decode()
