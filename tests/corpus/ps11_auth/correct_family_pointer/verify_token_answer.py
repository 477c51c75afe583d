REQUIRED_CLAIMS = {"exp", "iat", "iss", "aud", "sub"}


def _refuse(reason):
    raise InvalidToken(reason)


def verify_token(token, keys, now, *, issuer, audience, leeway=0):
    if type(token) is not str or len(token.split(".")) != 3:
        _refuse("malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        _refuse("malformed")
    if header.get("kid") not in keys or not isinstance(header.get("kid"), str):
        _refuse("unknown key")
    allowed, key = keys[header["kid"]]
    if header.get("alg") != allowed:
        _refuse("algorithm")
    try:
        decoded = jwt.api_jwt.decode_complete(
            token,
            key,
            algorithms=[allowed],
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
                "verify_sub": False,
                "verify_jti": False,
            },
        )
    except jwt.InvalidSignatureError:
        _refuse("signature")
    except jwt.PyJWTError:
        _refuse("malformed")
    claims = decoded["payload"]
    if not REQUIRED_CLAIMS <= claims.keys():
        _refuse("missing claim")
    checks = [
        ("expired", now >= claims["exp"] + leeway),
        ("not yet valid", "nbf" in claims and now < claims["nbf"] - leeway),
        ("issued in the future", claims["iat"] - leeway > now),
        ("issuer", claims["iss"] != issuer),
    ]
    for reason, failed in checks:
        if failed:
            _refuse(reason)
    aud = claims["aud"]
    if not (aud == audience if isinstance(aud, str) else isinstance(aud, list) and audience in aud):
        _refuse("audience")
    return claims
