REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
TIME_CHECKS_OFF = {
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


def verify_token(token, keys, now, *, issuer, audience, leeway=0):
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidToken("malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise InvalidToken("malformed") from error
    entry = keys.get(header["kid"]) if isinstance(header.get("kid"), str) else None
    if entry is None:
        raise InvalidToken("unknown key")
    if header.get("alg") != entry[0]:
        raise InvalidToken("algorithm")
    try:
        claims = jwt.decode(token, entry[1], algorithms=[entry[0]], options=TIME_CHECKS_OFF)
    except jwt.InvalidSignatureError as error:
        raise InvalidToken("signature") from error
    except jwt.InvalidTokenError as error:
        raise InvalidToken("malformed") from error
    if [name for name in REQUIRED_CLAIMS if name not in claims]:
        raise InvalidToken("missing claim")
    exp, iat, nbf = claims["exp"], claims["iat"], claims.get("nbf")
    if exp + leeway <= now:
        raise InvalidToken("expired")
    if nbf is not None and nbf - leeway > now:
        raise InvalidToken("not yet valid")
    if iat > now + leeway:
        raise InvalidToken("issued in the future")
    if claims["iss"] != issuer:
        raise InvalidToken("issuer")
    audiences = claims["aud"]
    if isinstance(audiences, str):
        audiences = [audiences]
    if not isinstance(audiences, list) or audience not in audiences:
        raise InvalidToken("audience")
    return claims
