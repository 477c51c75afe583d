# Lets the token's header choose the algorithm, as the first JWT libraries did: "none" skips
# the signature, and HS256 with an RSA key's kid uses the public PEM text as the HMAC secret.
from cryptography.exceptions import InvalidSignature

REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")


def _decode_part(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


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
        secret = key.encode() if isinstance(key, str) else key
        return hmac.compare_digest(hmac.new(secret, signed, hashlib.sha256).digest(), signature)
    if alg in ("RS256", "EdDSA"):
        try:
            public = serialization.load_pem_public_key(key.encode())
            if alg == "RS256":
                public.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
            else:
                public.verify(signature, signed)
        except (InvalidSignature, TypeError, ValueError, AttributeError):
            return False
        return True
    return True  # "none": an unsigned token


def verify_token(token, keys, now, *, issuer, audience, leeway=0):
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidToken("malformed")
    head, body, tail = token.split(".")
    header, claims = _json_object(head), _json_object(body)
    try:
        signature = _decode_part(tail)
    except ValueError:
        raise InvalidToken("malformed") from None
    kid = header.get("kid")
    if not isinstance(kid, str) or kid not in keys:
        raise InvalidToken("unknown key")
    if not _signature_ok(header.get("alg"), keys[kid][1], f"{head}.{body}".encode(), signature):
        raise InvalidToken("signature")
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
    return claims
