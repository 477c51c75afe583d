"""JSON Web Tokens for the lesson: key pairs, what signing and verifying cost per algorithm,
and a verifier written the naive way (it believes the token's header) to show what the
attacks do to it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.types import Options


@dataclass(frozen=True)
class SigningKeys:
    """One algorithm's keys: what signs (the secret, or the private key) and what verifies
    (the same secret, or the public key as PEM text, which may be published)."""

    alg: str
    signing: Any
    verifying: Any


def _public_pem(private: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def make_keys(alg: str) -> SigningKeys:
    """New keys for ``"HS256"`` (a 32-byte secret), ``"RS256"`` (RSA 2048) or ``"EdDSA"``
    (Ed25519)."""
    if alg == "HS256":
        secret = secrets.token_bytes(32)
        return SigningKeys(alg, secret, secret)
    private: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
    if alg == "RS256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif alg == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        raise ValueError(f"no keys for {alg!r}")
    return SigningKeys(alg, private, _public_pem(private))


@dataclass(frozen=True)
class JwtCost:
    """What one algorithm costs: the token's length, and the median time to sign and verify."""

    alg: str
    token_bytes: int
    sign_seconds: float
    verify_seconds: float


def _median_per_call(func: Callable[[], object], calls: int, repeats: int) -> float:
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        for _ in range(calls):
            func()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def measure_jwt(keys: SigningKeys, claims: dict[str, Any], calls: int, repeats: int) -> JwtCost:
    """Sign ``claims`` and verify the token with PyJWT (signature only), ``calls`` times per
    repeat; the median time per call."""
    token = jwt.encode(claims, keys.signing, algorithm=keys.alg)
    options: Options = {"verify_exp": False, "verify_aud": False, "verify_iat": False}

    def sign() -> None:
        jwt.encode(claims, keys.signing, algorithm=keys.alg)

    def verify() -> None:
        jwt.decode(token, keys.verifying, algorithms=[keys.alg], options=options)

    return JwtCost(
        keys.alg,
        len(token),
        _median_per_call(sign, calls, repeats),
        _median_per_call(verify, calls, repeats),
    )


def b64url(data: bytes) -> str:
    """base64url without padding, as JWTs encode their parts."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of a base64url part (padding restored)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def forge(header: dict[str, Any], claims: dict[str, Any], hmac_secret: bytes = b"") -> str:
    """A token made by hand, as an attacker makes one: HS256 signed with ``hmac_secret``, or
    with an empty signature for any other ``alg`` (such as ``"none"``)."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = b""
    if header.get("alg") == "HS256":
        signature = hmac.new(hmac_secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def naive_verify(token: str, key: bytes | str) -> dict[str, Any]:
    """How not to verify a JWT: believe the header's ``alg``. With ``"none"`` nothing is
    checked, and with ``"HS256"`` any key, an RSA public key's PEM text included, is used as
    the HMAC secret. (RS256 and EdDSA are left out: the attacks need only these two.)"""
    header_part, claims_part, signature_part = token.split(".")
    header = json.loads(b64url_decode(header_part))
    if header["alg"] == "HS256":
        secret = key.encode() if isinstance(key, str) else key
        expected = hmac.new(secret, f"{header_part}.{claims_part}".encode(), hashlib.sha256)
        if not hmac.compare_digest(expected.digest(), b64url_decode(signature_part)):
            raise ValueError("bad signature")
    elif header["alg"].lower() != "none":
        raise ValueError(f"this sketch does not verify {header['alg']}")
    claims: dict[str, Any] = json.loads(b64url_decode(claims_part))
    return claims
