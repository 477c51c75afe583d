from cryptography.exceptions import InvalidSignature

REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")


def _decode_part(text):
    padded = text + "=" * (-len(text) % 4)
    return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)


def _json_object(text):
    try:
        value = json.loads(_decode_part(text))
    except ValueError:
        raise InvalidToken("malformed") from None
    if not isinstance(value, dict):
        raise InvalidToken("malformed")
    return value


def _signature_ok(alg, key, signed, signature):
    if alg == "HS256":
        expected = hmac.new(key, signed, hashlib.sha256).digest()
        return hmac.compare_digest(expected, signature)
    public = serialization.load_pem_public_key(key.encode("ascii"))
    try:
        if alg == "RS256":
            public.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            public.verify(signature, signed)
    except InvalidSignature:
        return False
    return True


def verify_token(token, keys, now, *, issuer, audience, leeway=0):
    if not isinstance(token, str):
        raise InvalidToken("malformed")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("malformed")
    header = _json_object(parts[0])
    claims = _json_object(parts[1])
    try:
        signature = _decode_part(parts[2])
    except ValueError:
        raise InvalidToken("malformed") from None
    kid = header.get("kid")
    if not isinstance(kid, str) or kid not in keys:
        raise InvalidToken("unknown key")
    alg, key = keys[kid]
    if header.get("alg") != alg:
        raise InvalidToken("algorithm")
    if not _signature_ok(alg, key, f"{parts[0]}.{parts[1]}".encode("ascii"), signature):
        raise InvalidToken("signature")
    for name in REQUIRED_CLAIMS:
        if name not in claims:
            raise InvalidToken("missing claim")
    if not now < claims["exp"] + leeway:
        raise InvalidToken("expired")
    if "nbf" in claims and not now >= claims["nbf"] - leeway:
        raise InvalidToken("not yet valid")
    if not claims["iat"] <= now + leeway:
        raise InvalidToken("issued in the future")
    if claims["iss"] != issuer:
        raise InvalidToken("issuer")
    aud = claims["aud"]
    if type(aud) is str:
        aud = [aud]
    if type(aud) is not list or audience not in aud:
        raise InvalidToken("audience")
    return claims
