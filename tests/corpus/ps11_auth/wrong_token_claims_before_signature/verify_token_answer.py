# Checks the claims of the unverified payload first and the signature last: an edited
# payload whose claims fail is reported by its claims, not as the forgery it is.
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")
NO_CLAIMS = {f"verify_{name}": False for name in ("exp", "nbf", "iat", "aud", "iss", "sub", "jti")}


def _check_claims(claims, now, issuer, audience, leeway):
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
    if not (aud == audience if isinstance(aud, str) else isinstance(aud, list) and audience in aud):
        raise InvalidToken("audience")


def verify_token(token, keys, now, *, issuer, audience, leeway=0):
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidToken("malformed")
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        raise InvalidToken("malformed") from None
    kid = header.get("kid")
    if not isinstance(kid, str) or kid not in keys:
        raise InvalidToken("unknown key")
    alg, key = keys[kid]
    if header.get("alg") != alg:
        raise InvalidToken("algorithm")
    _check_claims(unverified, now, issuer, audience, leeway)
    try:
        jwt.decode(token, key, algorithms=[alg], options={"verify_signature": True, **NO_CLAIMS})
    except jwt.InvalidSignatureError:
        raise InvalidToken("signature") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("malformed") from None
    return unverified
