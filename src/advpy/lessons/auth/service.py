"""The lesson's login service: a FastAPI app that a real uvicorn serves on loopback.

- ``POST /login`` checks a username and password against bcrypt hashes and answers an access
  token (a short-lived JWT) and a refresh token (an opaque random string);
- ``GET /me`` accepts a valid access token that has not been revoked (one Redis ``EXISTS`` per
  request), ``GET /me/stateless`` checks the signature and claims only;
- ``POST /refresh`` rotates a refresh token: one use each, and a replay revokes its family;
- ``POST /logout`` revokes the access token (its ``jti`` in Redis, with a TTL equal to the
  token's remaining lifetime) and the refresh token's family.

Every piece of state lives in Redis, so that any number of workers of the service agree.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import bcrypt
import httpx
import jwt
import redis
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel

from advpy.lessons.auth.tokens import SigningKeys


def cost_of(stored: str) -> int:
    """The work factor of a bcrypt hash: the two digits after ``$2b$``."""
    return int(stored.split("$")[2])


def dummy_hash(cost: int) -> bytes:
    """A bcrypt hash of no one's password. The service checks it for unknown users, so that a
    wrong username costs as much time as a wrong password: it must have the users' cost, or
    the time of the answer tells the two apart."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=cost))


@dataclass(frozen=True)
class AuthSettings:
    """What the service puts in its tokens and accepts from them."""

    issuer: str = "https://auth.shop.test"
    audience: str = "shop-api"
    access_lifetime: int = 300  # seconds
    refresh_lifetime: int = 14 * 24 * 3600
    leeway: int = 10


class Credentials(BaseModel):
    username: str
    password: str


class RefreshRequest(BaseModel):
    refresh_token: str


def hash_password(password: str, cost: int) -> str:
    """A bcrypt hash of ``password`` (UTF-8) with work factor ``cost``."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=cost)).decode()


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def _digest(token: str) -> str:
    """Refresh tokens are stored by their SHA-256: a copy of Redis gives no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshFamilies:
    """Refresh tokens in Redis, rotated on every use, with reuse detection.

    ``refresh:<sha256>`` holds ``family|user`` for the token's lifetime; ``used:<sha256>`` is
    set with ``SET NX`` when the token is rotated, so that of two requests racing with the same
    token only one wins; ``revoked-family:<family>`` marks a family revoked."""

    def __init__(self, client: redis.Redis, lifetime: int) -> None:
        self.client = client
        self.lifetime = lifetime

    def issue(self, user: str, family: str | None = None) -> str:
        """A new refresh token for ``user``, in ``family`` (a new one when None)."""
        token = secrets.token_urlsafe(32)
        family = family or uuid.uuid4().hex
        self.client.set(f"refresh:{_digest(token)}", f"{family}|{user}", ex=self.lifetime)
        return token

    def rotate(self, token: str) -> tuple[str, str]:
        """``(user, next token)``, or an HTTP 401 saying why (unknown or expired, revoked,
        reused: the family is revoked then)."""
        digest = _digest(token)
        record = self.client.get(f"refresh:{digest}")
        if record is None:
            raise _unauthorized("refresh token unknown or expired")
        family, user = str(record).split("|", 1)
        if self.client.exists(f"revoked-family:{family}"):
            raise _unauthorized("refresh token revoked")
        if not self.client.set(f"used:{digest}", 1, nx=True, ex=self.lifetime):
            self.revoke(family)
            raise _unauthorized("refresh token reused: its family is revoked")
        return user, self.issue(user, family)

    def revoke(self, family: str) -> None:
        self.client.set(f"revoked-family:{family}", 1, ex=self.lifetime)

    def family_of(self, token: str) -> str | None:
        record = self.client.get(f"refresh:{_digest(token)}")
        return None if record is None else str(record).split("|", 1)[0]


def make_app(
    users: Mapping[str, str],
    keys: SigningKeys,
    client: redis.Redis,
    settings: AuthSettings | None = None,
    clock: Callable[[], float] = time.time,
    dummy_cost: int | None = None,
) -> FastAPI:
    """The login service for ``users`` (username -> bcrypt hash), signing with ``keys`` and
    keeping refresh tokens and revocations in Redis through ``client`` (which must decode
    responses to str). Unknown users are checked against a dummy hash of ``dummy_cost``: by
    default the highest cost among the users' hashes (the lesson passes a lower one to show
    what that gives away)."""
    config = settings or AuthSettings()
    cost = dummy_cost if dummy_cost is not None else max(map(cost_of, users.values()), default=12)
    unknown_user_hash = dummy_hash(cost)
    families = RefreshFamilies(client, config.refresh_lifetime)
    app = FastAPI(title="advpy lesson 11: login")

    def access_token(user: str) -> str:
        now = int(clock())
        claims = {
            "sub": user,
            "iss": config.issuer,
            "aud": config.audience,
            "iat": now,
            "nbf": now,
            "exp": now + config.access_lifetime,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, keys.signing, algorithm=keys.alg)

    def tokens_for(user: str, refresh: str) -> dict[str, Any]:
        return {
            "access_token": access_token(user),
            "refresh_token": refresh,
            "token_type": "bearer",
            "expires_in": config.access_lifetime,
        }

    def verified(authorization: str | None) -> dict[str, Any]:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise _unauthorized("missing bearer token")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                keys.verifying,
                algorithms=[keys.alg],  # the server's algorithm, never the token's
                audience=config.audience,
                issuer=config.issuer,
                leeway=config.leeway,
                options={"require": ["exp", "iat", "nbf", "sub", "jti"]},
            )
        except jwt.InvalidTokenError as error:
            raise _unauthorized(f"invalid token: {error}") from None
        return claims

    @app.get("/")
    def root() -> dict[str, str]:
        return {"service": "login", "alg": keys.alg}

    @app.post("/login")
    def login(credentials: Credentials) -> dict[str, Any]:
        stored = users.get(credentials.username)
        password = credentials.password.encode()
        # An unknown user costs one bcrypt check too, and gets the very same answer.
        right = bcrypt.checkpw(password, stored.encode() if stored else unknown_user_hash)
        if stored is None or not right:
            raise _unauthorized("wrong username or password")
        return tokens_for(credentials.username, families.issue(credentials.username))

    @app.get("/me/stateless")
    def me_stateless(authorization: str | None = Header(None)) -> dict[str, Any]:
        claims = verified(authorization)
        return {"user": claims["sub"], "jti": claims["jti"]}

    @app.get("/me")
    def me(authorization: str | None = Header(None)) -> dict[str, Any]:
        claims = verified(authorization)
        if client.exists(f"revoked:{claims['jti']}"):
            raise _unauthorized("token revoked")
        return {"user": claims["sub"], "jti": claims["jti"]}

    @app.post("/refresh")
    def refresh(body: RefreshRequest) -> dict[str, Any]:
        user, token = families.rotate(body.refresh_token)
        return tokens_for(user, token)

    @app.post("/logout", status_code=204)
    def logout(body: RefreshRequest, authorization: str | None = Header(None)) -> None:
        claims = verified(authorization)
        remaining = int(claims["exp"] - clock()) + config.leeway
        if remaining > 0:  # an expired token needs no entry: it is refused anyway
            client.set(f"revoked:{claims['jti']}", 1, ex=remaining)
        family = families.family_of(body.refresh_token)
        if family is not None:
            families.revoke(family)

    return app


def request_latencies(
    client: httpx.Client, path: str, headers: Mapping[str, str], requests: int
) -> list[float]:
    """The wall time, in seconds, of each of ``requests`` successful ``GET path`` requests
    made one after another on ``client`` (after one warm-up request that is not counted)."""
    client.get(path, headers=headers).raise_for_status()
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path, headers=headers).raise_for_status()
        times.append(time.perf_counter() - start)
    return times


def call_latencies(call: Callable[[], object], calls: int) -> list[float]:
    """The wall time, in seconds, of each of ``calls`` calls of ``call`` (one warm-up call
    first), such as a Redis round trip."""
    call()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times
