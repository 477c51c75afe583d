# Checks each claim only when it is present: a token without exp never expires.
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
    if "exp" in claims and now >= claims["exp"] + leeway:
        raise InvalidToken("expired")
    if "nbf" in claims and now < claims["nbf"] - leeway:
        raise InvalidToken("not yet valid")
    if claims.get("iat", now) > now + leeway:
        raise InvalidToken("issued in the future")
    if claims.get("iss", issuer) != issuer:
        raise InvalidToken("issuer")
    aud = claims.get("aud", audience)
    if isinstance(aud, str):
        accepted = aud == audience
    else:
        accepted = isinstance(aud, list) and audience in aud
    if not accepted:
        raise InvalidToken("audience")
    return claims
