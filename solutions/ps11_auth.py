# %% [markdown]
# # ps11 · Authentication: verifying tokens, rotating refresh tokens, upgrading hashes (22 points)
#
# Three pieces of a login service that are easy to get almost right, each a direct use of
# [11 · Authentication](../11_auth.ipynb):
#
# - **Part A** · `verify_token(token, keys, now, ...)`: accept a JWT only when its header,
#   its signature and its claims all pass, with the exact rules of the lesson (9 points);
# - **Part B** · `RefreshTokens(store, lifetime)`: refresh tokens that rotate on every use,
#   and a stolen token's replay caught and its whole family revoked (7 points);
# - **Part C** · `verify_and_upgrade(stored, password, cost)`: check a password against a
#   bcrypt or legacy hash and re-hash it at a higher work factor when it is right (6 points).
#
# Everything here is pure: no server, no network, and the time is given to your functions as
# `now` (seconds since the epoch), never read from the clock.
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses and defines the errors your answers
# raise, the store of Part B, and the instruments the tests use to make tokens and hashes.
import base64
import copy
import hashlib
import hmac
import json
import secrets

import bcrypt
import jwt  # PyJWT: use it in Part A if you like, or verify by hand
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa


class InvalidToken(Exception):
    """Raised by verify_token; `reason` says why the token was refused."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class RefreshRejected(Exception):
    """Raised by RefreshTokens.rotate; `reason` says why the refresh token was refused."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Store:
    """A key-value store that stands in for Redis in this notebook (the lesson uses a real one).

    Like Redis it keeps a *copy* of what you give it: a record read with get() and changed
    afterwards is not changed in the store until you set() it again."""

    def __init__(self):
        self._data = {}

    def get(self, key, default=None):
        """The value stored under `key` (a copy), or `default`."""
        return copy.deepcopy(self._data[key]) if key in self._data else default

    def set(self, key, value):
        """Store a copy of `value` under `key`, replacing what was there."""
        self._data[key] = copy.deepcopy(value)

    def delete(self, key):
        """Remove `key` (nothing happens if it is absent)."""
        self._data.pop(key, None)

    def __contains__(self, key):
        return key in self._data

    def __len__(self):
        return len(self._data)


def b64url(data):
    """base64url without padding, as JWTs encode their three parts."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign(header, claims, key):
    """A JWT made by hand: the header and claims as JSON, signed with `key` by the algorithm
    header["alg"] names ("HS256": key is bytes or str, "RS256": an RSA private key, "EdDSA": an
    Ed25519 private key, "none" or anything else: an empty signature). Attackers make tokens
    the same way, so it signs whatever it is told to."""
    signing_input = (
        b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    ).encode("ascii")
    alg = header.get("alg")
    if alg == "HS256":
        secret = key.encode() if isinstance(key, str) else key
        signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    elif alg == "RS256":
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "EdDSA":
        signature = key.sign(signing_input)
    else:
        signature = b""
    return signing_input.decode("ascii") + "." + b64url(signature)


def public_pem(private_key):
    """The PEM text of a private key's public half, as a server publishes it."""
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


HS_SECRET = secrets.token_bytes(32)
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ED_KEY = ed25519.Ed25519PrivateKey.generate()
#: What the verifier knows: key id -> (the one algorithm allowed with it, the key to verify).
KEYS = {
    "hs-1": ("HS256", HS_SECRET),
    "rs-1": ("RS256", public_pem(RSA_KEY)),
    "ed-1": ("EdDSA", public_pem(ED_KEY)),
}
PRIVATE = {"hs-1": HS_SECRET, "rs-1": RSA_KEY, "ed-1": ED_KEY}
ISSUER = "https://auth.shop.test"
AUDIENCE = "orders-api"


def token_for(key_id, claims, **header):
    """A token signed with the private key of `key_id`, the header {"alg", "typ", "kid"}
    changed by the keywords (alg="none", kid="other"...)."""
    return sign(
        {"alg": KEYS[key_id][0], "typ": "JWT", "kid": key_id, **header}, claims, PRIVATE[key_id]
    )


def claims_at(now, **changes):
    """Claims of a token issued at `now` and valid for 5 minutes, changed by the keywords; a
    keyword set to ... removes that claim."""
    claims = {"sub": "alice", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300}
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not ...}


def refusal(call):
    """The reason of the InvalidToken or RefreshRejected that call() raises, or None when it
    returns normally."""
    try:
        call()
    except (InvalidToken, RefreshRejected) as error:
        return error.reason
    return None


def legacy_hash(password, salt):
    """A hash in the old format this service used before bcrypt: "sha256$SALT$DIGEST"."""
    return f"sha256${salt}${hashlib.sha256((salt + password).encode('utf-8')).hexdigest()}"


def bcrypt_hash(password, cost):
    """A bcrypt hash of `password` with work factor `cost`, as a str ("$2b$04$...")."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=cost)).decode("ascii")


# %% [markdown]
# ## Part A · `verify_token`: header, signature, claims
#
# An API that receives `Authorization: Bearer <token>` must decide, from the token alone,
# whether to trust it. A JWT is `HEADER.PAYLOAD.SIGNATURE`, each part base64url without
# padding; the header and the payload are JSON objects. The lesson showed the attacks: a
# header that says `"alg": "none"`, an RSA public key used as an HMAC secret ("key
# confusion"), a payload edited after signing, and tokens used outside their time window.
#
# Write `verify_token(token, keys, now, *, issuer, audience, leeway=0)`. `keys` maps a key id
# to a pair `(alg, key)`: the one algorithm allowed with that key (`"HS256"`, `"RS256"` or
# `"EdDSA"`) and the key that verifies it (bytes for HS256, PEM text of a public key for the
# others), like `KEYS` in the setup cell. `now` is the time in seconds since the epoch (an
# int or float). On success, return the claims (the payload as a dict); otherwise raise
# `InvalidToken(reason)` with exactly one of these reasons, checking in this order:
#
# 1. `"malformed"`: `token` is not a `str`, is not three parts separated by dots, or its header
#    or payload is not base64url-encoded JSON whose value is an object.
# 2. `"unknown key"`: the header has no `kid`, or its `kid` is not a key of `keys`.
# 3. `"algorithm"`: the header's `alg` is not exactly the algorithm `keys` gives for that
#    `kid`. The key decides the algorithm, never the token: so `"none"` (in any spelling) and
#    an HS256 token presented with an RSA key's `kid` are refused here.
# 4. `"signature"`: the signature does not verify with that key and algorithm. The signature is
#    checked before any claim is looked at: an edited payload is a bad signature, whatever its
#    claims say.
# 5. `"missing claim"`: one of `exp`, `iat`, `iss`, `aud`, `sub` is absent (`nbf` is optional).
# 6. `"expired"`: `now >= exp + leeway`.
# 7. `"not yet valid"`: the token has `nbf` and `now < nbf - leeway`.
# 8. `"issued in the future"`: `iat > now + leeway`.
# 9. `"issuer"`: `iss` is not equal to `issuer`.
# 10. `"audience"`: `aud` is a string not equal to `audience`, or a list that does not contain
#     `audience`, or anything else.
#
# The time claims in the tests are ints. You may use PyJWT (`jwt.get_unverified_header`, then
# `jwt.decode` with exactly one algorithm and the time checks done by you with `now`) or
# verify by hand with `hmac` and `cryptography`.
#
# ```python
# now = 1_700_000_000
# verify_token(token_for("hs-1", claims_at(now)), KEYS, now + 10, issuer=ISSUER, audience=AUDIENCE)
# # {'sub': 'alice', 'iss': 'https://auth.shop.test', 'aud': 'orders-api', 'iat': ..., 'exp': ...}
# ```

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Read the header without trusting it (`jwt.get_unverified_header`, or split and decode), pick
# the key by `kid`, and compare `alg` with the algorithm of that key before anything else.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `jwt.decode(token, key, algorithms=[alg], options={"verify_exp": False, "verify_nbf":
# False, "verify_iat": False, "verify_aud": False, "verify_iss": False})` checks only the
# signature; `jwt.InvalidSignatureError` is a bad signature, any other `jwt.InvalidTokenError`
# a malformed token. Then check the claims yourself against `now`.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# `"aud"` may be a string or a list: `audience in aud` on a string is a *substring* test,
# which lets `"orders-api-admin"` through for `"orders-api"`. Test the type first.
# </details>


# %% nbgrader="solution" grade_id="verify_token_answer"
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")


def verify_token(token, keys, now, *, issuer, audience, leeway=0):
    """Return the claims of `token` if its header, signature and claims pass; otherwise raise
    InvalidToken with the first reason that applies (see the contract)."""
    ### BEGIN SOLUTION
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
    if isinstance(aud, str):
        accepted = aud == audience
    else:
        accepted = isinstance(aud, list) and audience in aud
    if not accepted:
        raise InvalidToken("audience")
    return claims
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
now = 1_700_000_000
good = token_for("hs-1", claims_at(now))
print(verify_token(good, KEYS, now + 10, issuer=ISSUER, audience=AUDIENCE))
forged = token_for("hs-1", claims_at(now), alg="none")
print(refusal(lambda: verify_token(forged, KEYS, now, issuer=ISSUER, audience=AUDIENCE)))

# %% [markdown]
# ### Check A1 · the header and the signature decide first (3 points)
# `alg: none`, a key-confused HS256 token, an edited payload, unknown keys and malformed
# tokens are refused, each with its reason; good tokens of every algorithm give their claims.

# %% nbgrader="tests" grade_id="verify_token_tests_signature" points=3
"""verify_token returns the claims of a good token, and refuses alg none, key confusion, an
edited payload, unknown keys and malformed tokens with the contract's reasons."""
from advpy.checks import expect_same

now = 1_700_000_000


def check(token, at=now, **options):
    return verify_token(token, KEYS, at, issuer=ISSUER, audience=AUDIENCE, **options)


claims = claims_at(now, role="customer")
expect_same(check(token_for("hs-1", claims)), claims, "the claims of a good HS256 token", show=True)
expect_same(
    refusal(lambda: check(token_for("hs-1", claims, alg="none"))),
    "algorithm",
    'the reason for a token whose header says "alg": "none"',
    show=True,
)
header, payload, signature = token_for("rs-1", claims).split(".")
edited = b64url(json.dumps(claims_at(now, sub="admin")).encode())
expect_same(
    refusal(lambda: check(f"{header}.{edited}.{signature}")),
    "signature",
    "the reason for an RS256 token whose payload was edited after signing",
    show=True,
)
### BEGIN HIDDEN TESTS
for _kid in ("rs-1", "ed-1"):
    _claims = claims_at(now + 7, scope=["orders:read"])
    expect_same(
        check(token_for(_kid, _claims), now + 8),
        _claims,
        "a good RS256 or EdDSA token must give its claims",
    )
_confused = sign({"alg": "HS256", "typ": "JWT", "kid": "rs-1"}, claims, KEYS["rs-1"][1])
expect_same(
    refusal(lambda: check(_confused)),
    "algorithm",
    "an HS256 token signed with an RSA public key as its secret (key confusion) must be "
    "refused with reason 'algorithm'",
)
_wrong_algs = [token_for("hs-1", claims, alg=_alg) for _alg in ("None", "NONE", "HS512", None)]
_wrong_algs += [
    sign({"alg": "RS256", "typ": "JWT", "kid": "hs-1"}, claims, RSA_KEY),
    sign({"alg": "EdDSA", "typ": "JWT", "kid": "rs-1"}, claims, ED_KEY),
]
for _token in _wrong_algs:
    expect_same(
        refusal(lambda _token=_token: check(_token)),
        "algorithm",
        "a header alg other than the one of the key (none in any spelling, another "
        "algorithm, or no alg) must be refused with reason 'algorithm'",
    )
_no_kid = sign({"alg": "HS256", "typ": "JWT"}, claims, HS_SECRET)
expect_same(refusal(lambda: check(_no_kid)), "unknown key", "a header without kid: 'unknown key'")
expect_same(
    refusal(lambda: check(token_for("hs-1", claims, kid="hs-2"))),
    "unknown key",
    "a kid that is not in keys must be refused with reason 'unknown key'",
)
_other_secret = sign({"alg": "HS256", "typ": "JWT", "kid": "hs-1"}, claims, secrets.token_bytes(32))
expect_same(
    refusal(lambda: check(_other_secret)),
    "signature",
    "an HS256 token signed with another secret must be refused with reason 'signature'",
)
_other_ed = sign(
    {"alg": "EdDSA", "typ": "JWT", "kid": "ed-1"}, claims, ed25519.Ed25519PrivateKey.generate()
)
expect_same(
    refusal(lambda: check(_other_ed)),
    "signature",
    "an EdDSA token signed by another key must be refused with reason 'signature'",
)
_header, _payload, _ = token_for("hs-1", claims).split(".")
expect_same(
    refusal(lambda: check(f"{_header}.{_payload}.")),
    "signature",
    "a token with its signature removed must be refused with reason 'signature'",
)
_expired_claims = b64url(json.dumps(claims_at(now - 10_000)).encode())
expect_same(
    refusal(lambda: check(f"{_header}.{_expired_claims}.{signature}")),
    "signature",
    "the signature must be checked before any claim: an edited payload is 'signature', "
    "even when its claims would also be refused",
)
_not_json = b64url(b"not json")
_array = b64url(b'["alg", "HS256"]')
for _bad in (
    "abc",
    "a.b",
    f"{_header}.{_payload}.{signature}.x",
    f"{_not_json}.{_payload}.{signature}",
    f"{_array}.{_payload}.{signature}",
    "",
    None,
    token_for("hs-1", claims).encode(),
):
    expect_same(
        refusal(lambda _bad=_bad: check(_bad)),
        "malformed",
        "a token that is not a str of three base64url parts with a JSON object as header "
        "must be refused with reason 'malformed'",
    )
_signed_list = sign({"alg": "HS256", "typ": "JWT", "kid": "hs-1"}, [1, 2], HS_SECRET)
expect_same(
    refusal(lambda: check(_signed_list)),
    "malformed",
    "a signed payload that is JSON but not an object must be refused with reason 'malformed'",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · the time claims, with leeway (3 points)
# `exp`, `nbf` and `iat` against `now`, at the exact boundaries, with and without leeway.

# %% nbgrader="tests" grade_id="verify_token_tests_time" points=3
"""verify_token refuses an expired token, one not yet valid and one issued in the future, at
the contract's exact boundaries, and widens each window by leeway."""
from advpy.checks import expect_same

now = 1_700_000_000


def check(token, at, **options):
    return verify_token(token, KEYS, at, issuer=ISSUER, audience=AUDIENCE, **options)


expired = token_for("hs-1", claims_at(now - 600))  # exp = now - 300
expect_same(
    refusal(lambda: check(expired, now)), "expired", "the reason for an expired token", show=True
)
early = token_for("hs-1", claims_at(now, nbf=now + 60))
expect_same(
    refusal(lambda: check(early, now)),
    "not yet valid",
    "the reason for a token whose nbf is a minute ahead",
    show=True,
)
claims = claims_at(now)
expect_same(
    check(token_for("hs-1", claims), now + 310, leeway=30),
    claims,
    "a token 10 s past its exp, checked with leeway=30, gives",
    show=True,
)
### BEGIN HIDDEN TESTS
_claims = claims_at(now)  # iat = now, exp = now + 300
_token = token_for("ed-1", _claims)
expect_same(check(_token, now + 299), _claims, "a token one second before its exp is valid")
expect_same(refusal(lambda: check(_token, now + 300)), "expired", "now == exp is expired")
expect_same(
    check(_token, now + 319, leeway=20),
    _claims,
    "with leeway, a token is valid until exp + leeway (excluded)",
)
expect_same(
    refusal(lambda: check(_token, now + 320, leeway=20)),
    "expired",
    "with leeway, now == exp + leeway is expired",
)
_early_claims = claims_at(now, nbf=now + 100)
_early = token_for("rs-1", _early_claims)
expect_same(check(_early, now + 100), _early_claims, "now == nbf is valid")
expect_same(
    refusal(lambda: check(_early, now + 99)), "not yet valid", "now == nbf - 1 is not yet valid"
)
expect_same(
    check(_early, now + 90, leeway=10), _early_claims, "with leeway, now == nbf - leeway is valid"
)
expect_same(
    refusal(lambda: check(_early, now + 89, leeway=10)),
    "not yet valid",
    "with leeway, now == nbf - leeway - 1 is not yet valid",
)
_future_claims = claims_at(now + 50)  # iat = now + 50
_future = token_for("hs-1", _future_claims)
expect_same(check(_future, now + 50), _future_claims, "iat == now is fine")
expect_same(
    refusal(lambda: check(_future, now + 49)),
    "issued in the future",
    "iat == now + 1 must be refused with reason 'issued in the future'",
)
expect_same(
    check(_future, now + 45, leeway=5), _future_claims, "with leeway, iat == now + leeway is fine"
)
expect_same(
    refusal(lambda: check(_future, now + 44, leeway=5)),
    "issued in the future",
    "with leeway, iat == now + leeway + 1 is issued in the future",
)
_epoch_claims = claims_at(0, nbf=0)  # iat 0, nbf 0, exp 300
expect_same(
    check(token_for("hs-1", _epoch_claims), 0),
    _epoch_claims,
    "now = 0 is a time like any other (do not replace a falsy now by the clock)",
)
expect_same(
    refusal(lambda: check(token_for("hs-1", _epoch_claims), 300)),
    "expired",
    "a token with exp = 300 is expired at now = 300",
)
expect_same(check(token_for("hs-1", _claims), now + 12.5), _claims, "now may be a float (seconds)")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · issuer, audience and the required claims (3 points)

# %% nbgrader="tests" grade_id="verify_token_tests_claims" points=3
"""verify_token refuses a token from another issuer, for another audience, or without a
required claim; aud may be a string or a list."""
from advpy.checks import expect_same

now = 1_700_000_000


def check(claims):
    return verify_token(token_for("hs-1", claims), KEYS, now, issuer=ISSUER, audience=AUDIENCE)


expect_same(
    refusal(lambda: check(claims_at(now, iss="https://evil.test"))),
    "issuer",
    "the reason for a token from another issuer",
    show=True,
)
expect_same(
    refusal(lambda: check(claims_at(now, aud="billing-api"))),
    "audience",
    "the reason for a token meant for another API",
    show=True,
)
listed = claims_at(now, aud=["billing-api", AUDIENCE])
expect_same(check(listed), listed, "a token whose aud list contains the audience gives", show=True)
expect_same(
    refusal(lambda: check(claims_at(now, exp=...))),
    "missing claim",
    "the reason for a token without exp",
    show=True,
)
### BEGIN HIDDEN TESTS
for _name in ("exp", "iat", "iss", "aud", "sub"):
    expect_same(
        refusal(lambda _name=_name: check(claims_at(now, **{_name: ...}))),
        "missing claim",
        "a token without one of exp, iat, iss, aud, sub must be refused with reason "
        "'missing claim'",
    )
_plain = claims_at(now, jti="x1", scope="orders:write")
expect_same(check(_plain), _plain, "nbf is optional, and every claim is returned unchanged")
for _aud in ("orders-api-admin", "orders", ["orders-api-admin"], ["orders"], [], {}, 7, None):
    expect_same(
        refusal(lambda _aud=_aud: check(claims_at(now, aud=_aud))),
        "audience",
        "aud must equal the audience (a str) or contain it (a list): neither a substring nor "
        "an item containing it counts, and other types are refused",
    )
for _iss in ("https://AUTH.shop.test", "https://auth.shop.test/", ISSUER[:-1], None):
    expect_same(
        refusal(lambda _iss=_iss: check(claims_at(now, iss=_iss))),
        "issuer",
        "iss must be exactly equal to the issuer",
    )
_missing_and_expired = claims_at(now - 1000, sub=...)
expect_same(
    refusal(lambda: check(_missing_and_expired)),
    "missing claim",
    "the required claims are checked before the time claims",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `RefreshTokens`: rotation and reuse detection
#
# Access tokens live minutes; a **refresh token** lives hours or days and buys a new access
# token. Because it lives long, it is the token worth stealing. **Rotation** makes every
# refresh token good for one use: each use returns a new refresh token and retires the old
# one. **Reuse detection** makes a stolen token useful at most once: when a retired token is
# presented again, either the thief or the user is replaying it, and the server cannot tell
# which, so it revokes the whole **family** (the chain of tokens descending from one login).
#
# Write a class `RefreshTokens(store, lifetime)`. `store` is a `Store` (setup cell), which
# stands for Redis shared by every worker of the service: keep the records there. `lifetime`
# is in seconds. Tokens are opaque strings.
#
# - `issue(user, now)` starts a new family (a login) and returns its first refresh token: a
#   `str` of at least 32 characters, made with `secrets` and never returned before.
# - `rotate(token, now)` returns a tuple `(user, new_token)`, `new_token` being the next token
#   of the same family, and retires `token`; or raises `RefreshRejected(reason)`, checking in
#   this order:
#   1. `"unknown"`: the token was never issued by this store.
#   2. `"revoked"`: its family has been revoked.
#   3. `"reused"`: the token was already rotated. Revoke its family (every token of it, the
#      newest included, is refused with `"revoked"` from then on), then raise.
#   4. `"expired"`: `now >= t + lifetime`, where `t` is the time the token itself was issued
#      (by `issue` or by the `rotate` that returned it).
#
# Revoking a family touches no other family, not even another login of the same user. The
# tests observe only what `issue` and `rotate` return and raise.
#
# ```python
# tokens = RefreshTokens(Store(), lifetime=3600)
# first = tokens.issue("alice", now=1000)
# user, second = tokens.rotate(first, now=1100)   # ('alice', '...')
# tokens.rotate(first, now=1200)                  # RefreshRejected('reused'): family revoked
# tokens.rotate(second, now=1300)                 # RefreshRejected('revoked')
# ```

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Two kinds of record: one per token (its user, family, issue time, whether it was used) and
# one per revoked family. A family can be a random id given at `issue` and inherited by
# `rotate`.
# </details>
#
# <details><summary>Hint 2 (nearly the answer)</summary>
#
# The store hands out copies: after marking a token record as used, `store.set` it again.
# </details>


# %% nbgrader="solution" grade_id="refresh_answer"
class RefreshTokens:
    """Refresh tokens that rotate on every use; a replayed token revokes its whole family."""

    def __init__(self, store, lifetime):
        ### BEGIN SOLUTION
        self.store = store
        self.lifetime = lifetime
        ### END SOLUTION

    def issue(self, user, now):
        """Start a new family for `user` and return its first refresh token."""
        ### BEGIN SOLUTION
        token = secrets.token_urlsafe(32)
        family = secrets.token_hex(16)
        record = {"user": user, "family": family, "issued": now, "used": False}
        self.store.set(f"token:{token}", record)
        return token
        ### END SOLUTION

    def rotate(self, token, now):
        """Return (user, next token of the family), or raise RefreshRejected(reason)."""
        ### BEGIN SOLUTION
        record = self.store.get(f"token:{token}")
        if record is None:
            raise RefreshRejected("unknown")
        family = record["family"]
        if f"revoked:{family}" in self.store:
            raise RefreshRejected("revoked")
        if record["used"]:
            self.store.set(f"revoked:{family}", True)
            raise RefreshRejected("reused")
        if now >= record["issued"] + self.lifetime:
            raise RefreshRejected("expired")
        record["used"] = True
        self.store.set(f"token:{token}", record)
        new_token = secrets.token_urlsafe(32)
        following = {"user": record["user"], "family": family, "issued": now, "used": False}
        self.store.set(f"token:{new_token}", following)
        return record["user"], new_token
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
tokens = RefreshTokens(Store(), lifetime=3600)
first = tokens.issue("alice", now=1000)
user, second = tokens.rotate(first, now=1100)
print(user, refusal(lambda: tokens.rotate(first, now=1200)))

# %% [markdown]
# ### Check B1 · issue, rotate, expire (3 points)

# %% nbgrader="tests" grade_id="refresh_tests_rotation" points=3
"""issue returns a fresh token; rotate returns (user, a new token) and counts each token's
lifetime from its own issue; unknown and expired tokens are refused."""
from advpy.checks import expect, expect_same, expect_type

tokens = RefreshTokens(Store(), 100)
first = tokens.issue("alice", 1000)
expect_type(first, str, "issue must return the token as a str")
expect(len(first) >= 32, "a refresh token must have at least 32 characters")
user, second = tokens.rotate(first, 1010)
expect_same(user, "alice", "rotate returns the token's user first", show=True)
expect_type(second, str, "rotate must return the new token as a str")
expect(second != first, "rotate must return a new token, not the one it was given")
expect_same(tokens.rotate(second, 1020)[0], "alice", "the new token rotates again", show=True)
expect_same(
    refusal(lambda: tokens.rotate("no-such-token", 1020)),
    "unknown",
    "the reason for a token never issued",
    show=True,
)
late = tokens.issue("bob", 2000)
expect_same(
    refusal(lambda: tokens.rotate(late, 2100)),
    "expired",
    "the reason for a token used exactly `lifetime` seconds after it was issued",
    show=True,
)
### BEGIN HIDDEN TESTS
_tokens = RefreshTokens(Store(), 100)
_issued = [_tokens.issue(f"user{_i % 3}", 5000) for _i in range(30)]
expect(len(set(_issued)) == 30, "every token issued must be new")
expect(
    all(type(_t) is str and len(_t) >= 32 for _t in _issued),
    "every token must be a str of at least 32 characters",
)
for _i, _token in enumerate(_issued[:6]):
    _user, _next = _tokens.rotate(_token, 5099)
    expect_same(
        _user, f"user{_i % 3}", "rotate must return the user the token's family was issued to"
    )
    expect(_next not in _issued, "a rotated token must be new")
_start = _tokens.issue("carol", 0)
_user, _next = _tokens.rotate(_start, 0)
expect_same(_user, "carol", "now = 0 is a time like any other")
_user, _after = _tokens.rotate(_next, 90)
expect_same(
    _tokens.rotate(_after, 189)[0],
    "carol",
    "each token's lifetime counts from the time it was itself issued (by rotate), not from "
    "the login",
)
_sliding = _tokens.issue("dave", 1000)
_user, _sliding_next = _tokens.rotate(_sliding, 1099)
expect_same(
    refusal(lambda: _tokens.rotate(_sliding_next, 1199)),
    "expired",
    "a token returned by rotate at time t expires at t + lifetime",
)
expect_same(refusal(lambda: _tokens.rotate("", 1000)), "unknown", "'' is an unknown token")
expect_same(
    refusal(lambda: RefreshTokens(Store(), 100).rotate(_issued[10], 5001)),
    "unknown",
    "a token issued with another store is unknown",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · a replayed token revokes its family, and only it (4 points)

# %% nbgrader="tests" grade_id="refresh_tests_reuse" points=4
"""A token rotated once and presented again is refused as reused, and its whole family is
revoked; other families, even of the same user, go on."""
from advpy.checks import expect_same

tokens = RefreshTokens(Store(), 3600)
first = tokens.issue("alice", 1000)
user, second = tokens.rotate(first, 1100)
expect_same(
    refusal(lambda: tokens.rotate(first, 1200)),
    "reused",
    "the reason when a token already rotated is presented again",
    show=True,
)
expect_same(
    refusal(lambda: tokens.rotate(second, 1300)),
    "revoked",
    "after a reuse, the reason for the newest token of the same family",
    show=True,
)
### BEGIN HIDDEN TESTS
_tokens = RefreshTokens(Store(), 3600)
_chain = [_tokens.issue("alice", 0)]
for _step in range(1, 4):
    _chain.append(_tokens.rotate(_chain[-1], _step * 10)[1])
_other_login = _tokens.issue("alice", 0)
_someone_else = _tokens.issue("bob", 0)
expect_same(
    refusal(lambda: _tokens.rotate(_chain[1], 50)),
    "reused",
    "a token from the middle of a chain, presented again, is reused",
)
for _token in (_chain[3], _chain[2], _chain[1], _chain[0]):
    expect_same(
        refusal(lambda _token=_token: _tokens.rotate(_token, 60)),
        "revoked",
        "after a reuse, every token of the family must be refused as revoked, the reused one "
        "included",
    )
expect_same(
    _tokens.rotate(_other_login, 70)[0],
    "alice",
    "a reuse must revoke only its own family, not another login of the same user",
)
expect_same(_tokens.rotate(_someone_else, 70)[0], "bob", "a reuse must not touch other users")
_tokens = RefreshTokens(Store(), 100)
_old = _tokens.issue("erin", 0)
_user, _new = _tokens.rotate(_old, 10)
expect_same(
    refusal(lambda: _tokens.rotate(_old, 500)),
    "reused",
    "a token already rotated is 'reused' even when it has expired since",
)
expect_same(
    refusal(lambda: _tokens.rotate(_new, 20)),
    "revoked",
    "the reuse of an expired token must still revoke its family",
)
_tokens = RefreshTokens(Store(), 100)
_stolen = _tokens.issue("frank", 0)
_thief, _thiefs_token = _tokens.rotate(_stolen, 5)
expect_same(
    refusal(lambda: _tokens.rotate(_stolen, 6)),
    "reused",
    "the user presenting a token the thief used first is a reuse too",
)
expect_same(
    refusal(lambda: _tokens.rotate(_thiefs_token, 7)),
    "revoked",
    "the thief's token must be revoked after the reuse",
)
_tokens = RefreshTokens(Store(), 100)
_lapsed = _tokens.issue("gina", 0)
for _at in (100, 150):
    expect_same(
        refusal(lambda _at=_at: _tokens.rotate(_lapsed, _at)),
        "expired",
        "an expired token that was never rotated stays 'expired' (it is not a reuse)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `verify_and_upgrade`: check a password, raise its work factor
#
# A password hash is slow on purpose, and the right slowness grows with hardware: a bcrypt
# cost chosen in 2015 is too cheap today. The hash can only be recomputed when the user types
# the password, so the usual place to upgrade it is the login: verify, and if it is right and
# the stored hash is weaker than today's target, compute a new one and save it.
#
# This service has two kinds of stored hashes: bcrypt (`"$2b$"`, then a two-digit cost, as in
# `"$2b$04$..."`), and the **legacy** format it used before, `"sha256$SALT$DIGEST"` where
# `DIGEST` is the hex SHA-256 of `SALT + password` in UTF-8 (`legacy_hash` in the setup cell
# makes one). Write `verify_and_upgrade(stored, password, cost)`, returning a tuple:
#
# - `(False, None)` when the password is wrong, and when `stored` is `None` (a user who never
#   set a password) or a string in neither format. Never raise for these.
# - `(True, None)` when the password is right for a bcrypt hash whose cost is at least `cost`
#   (a stronger hash is never downgraded).
# - `(True, new_hash)` when the password is right and the hash is a bcrypt one with a lower
#   cost, or a legacy one: `new_hash` is a new bcrypt hash of the password with exactly `cost`
#   (a `str`, `"$2b$"` and the two-digit cost first, with a new salt).
#
# Passwords are `str`, encoded in UTF-8, at most 72 bytes; the empty password is a password
# like any other. Compare legacy digests with `hmac.compare_digest` (the tests cannot see
# timing; a reviewer can). The tests use costs 4 and 5 so that they run fast.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `bcrypt.checkpw(password_bytes, hash_bytes)` and `bcrypt.hashpw(password_bytes,
# bcrypt.gensalt(rounds=cost))` work on bytes; the cost of `"$2b$04$..."` is `int(stored[4:6])`.
# </details>


# %% nbgrader="solution" grade_id="password_answer"
def verify_and_upgrade(stored, password, cost):
    """Return (password is right, a new bcrypt hash at `cost` or None): see the contract."""
    ### BEGIN SOLUTION
    secret = password.encode("utf-8")
    if not isinstance(stored, str):
        return False, None
    if stored.startswith("$2b$"):
        if not bcrypt.checkpw(secret, stored.encode("ascii")):
            return False, None
        if int(stored[4:6]) >= cost:
            return True, None
    elif stored.startswith("sha256$"):
        parts = stored.split("$")
        if len(parts) != 3:
            return False, None
        digest = hashlib.sha256((parts[1] + password).encode("utf-8")).hexdigest()
        if not hmac.compare_digest(digest, parts[2]):
            return False, None
    else:
        return False, None
    return True, bcrypt.hashpw(secret, bcrypt.gensalt(rounds=cost)).decode("ascii")
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
old = bcrypt_hash("correct horse", 4)
print(verify_and_upgrade(old, "correct horse", 5))
print(verify_and_upgrade(legacy_hash("hunter2", "a1b2"), "hunter2", 4))

# %% [markdown]
# ### Check C1 · right and wrong passwords, both formats (3 points)

# %% nbgrader="tests" grade_id="password_tests_verify" points=3
"""verify_and_upgrade tells right from wrong passwords on bcrypt and legacy hashes, and answers
(False, None) for a missing or unknown hash without raising."""
from advpy.checks import expect, expect_same

stored = bcrypt_hash("correct horse", 4)
expect_same(
    verify_and_upgrade(stored, "correct horse", 4),
    (True, None),
    "the right password, hash already at the target cost",
    show=True,
)
expect_same(
    verify_and_upgrade(stored, "correct hors", 4), (False, None), "a wrong password", show=True
)
expect_same(verify_and_upgrade(None, "anything", 4), (False, None), "no stored hash", show=True)
ok, new = verify_and_upgrade(legacy_hash("hunter2", "a1b2"), "hunter2", 4)
expect(ok is True, "the right password for a legacy hash must be accepted")
### BEGIN HIDDEN TESTS
_unicode = "pässwörd ☕ 密码"
expect_same(
    verify_and_upgrade(bcrypt_hash(_unicode, 4), _unicode, 4),
    (True, None),
    "a non-ASCII password must be encoded in UTF-8",
)
expect_same(
    verify_and_upgrade(legacy_hash(_unicode, "5a17"), _unicode, 4)[0],
    True,
    "a non-ASCII password must be encoded in UTF-8 for legacy hashes too",
)
expect_same(
    verify_and_upgrade(bcrypt_hash("", 4), "", 4),
    (True, None),
    "the empty password is a password like any other",
)
expect_same(
    verify_and_upgrade(bcrypt_hash("", 4), "x", 4), (False, None), "a wrong password is wrong"
)
expect_same(
    verify_and_upgrade(legacy_hash("hunter2", "a1b2"), "hunter3", 4),
    (False, None),
    "a wrong password against a legacy hash must give (False, None)",
)
expect_same(
    verify_and_upgrade(legacy_hash("hunter2", "a1b2"), "a1b2hunter2", 4),
    (False, None),
    "the legacy digest is of SALT + password, so the password alone must match",
)
_extra_part = legacy_hash("plain text", "a1b2") + "$0"
for _stored in ("", "md5$ab$cd", "plain text", "sha1$a1b2$0000", "sha256$a1b2", _extra_part):
    expect_same(
        verify_and_upgrade(_stored, "plain text", 4),
        (False, None),
        "a stored value in neither format must give (False, None), without raising",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · upgrade the work factor, never downgrade (3 points)

# %% nbgrader="tests" grade_id="password_tests_upgrade" points=3
"""A right password on a weaker or legacy hash gives a new bcrypt hash at exactly the target
cost; a wrong one, or a hash at least as strong, gives none."""
from advpy.checks import expect, expect_same, expect_type

stored = bcrypt_hash("correct horse", 4)
ok, new = verify_and_upgrade(stored, "correct horse", 5)
expect(ok is True, "the right password must be accepted")
expect_type(new, str, "the upgraded hash must be a str")
expect(new.startswith("$2b$05$"), "the upgraded hash must have the target cost, 05")
expect(bcrypt.checkpw(b"correct horse", new.encode()), "the upgraded hash must verify the password")
expect_same(
    verify_and_upgrade(stored, "wrong horse", 5),
    (False, None),
    "a wrong password never upgrades",
    show=True,
)
### BEGIN HIDDEN TESTS
_strong = bcrypt_hash("battery staple", 5)
expect_same(
    verify_and_upgrade(_strong, "battery staple", 4),
    (True, None),
    "a hash stronger than the target must not be downgraded",
)
expect_same(
    verify_and_upgrade(bcrypt_hash("battery staple", 10), "battery staple", 5),
    (True, None),
    "the cost is both digits after $2b$: a cost-10 hash is stronger than a target of 5",
)
_ok, _new = verify_and_upgrade(legacy_hash("hunter2", "a1b2"), "hunter2", 5)
expect(
    _ok is True and type(_new) is str and _new.startswith("$2b$05$"),
    "a right password on a legacy hash must be upgraded to bcrypt at the target cost",
)
expect(bcrypt.checkpw(b"hunter2", _new.encode()), "the upgraded legacy hash must verify")
_ok, _again = verify_and_upgrade(stored, "correct horse", 5)
expect(_again != new and _again[7:29] != new[7:29], "every upgraded hash must have a new salt")
expect_same(
    verify_and_upgrade(_new, "hunter2", 5),
    (True, None),
    "once upgraded, the new hash needs no further upgrade",
)
expect_same(
    verify_and_upgrade(legacy_hash("hunter2", "a1b2"), "hunter", 5),
    (False, None),
    "a wrong password on a legacy hash never upgrades",
)
_result = verify_and_upgrade(bcrypt_hash("x", 4), "x", 5)
expect(type(_result) is tuple and len(_result) == 2, "the result must be a tuple of two")
### END HIDDEN TESTS
