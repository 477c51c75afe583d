import re

BCRYPT = re.compile(r"\$2b\$(\d\d)\$[./A-Za-z0-9]{53}")


def verify_and_upgrade(stored, password, cost):
    if type(stored) is not str:
        return (False, None)
    secret = password.encode("utf-8")
    match = BCRYPT.fullmatch(stored)
    if match:
        right = bcrypt.checkpw(secret, stored.encode())
        needs_upgrade = int(match.group(1)) < cost
    elif stored.count("$") == 2 and stored.split("$")[0] == "sha256":
        _, salt, digest = stored.split("$")
        mine = hashlib.sha256(salt.encode("utf-8") + secret).hexdigest()
        right = hmac.compare_digest(mine.encode(), digest.encode())
        needs_upgrade = True
    else:
        return (False, None)
    if not right:
        return (False, None)
    if not needs_upgrade:
        return (True, None)
    return (True, bcrypt.hashpw(secret, bcrypt.gensalt(cost)).decode())
