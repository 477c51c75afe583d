# %% [markdown]
# # 11 · Authentication: passwords, tokens, revocation, HTTPS
#
# Almost every backend starts with `POST /login`, and almost every way to get it wrong is
# silent: a fast password hash that an attacker cracks offline, a token check that believes
# the token's own header, a logout that does not log anyone out, a password sent in clear
# text. This lesson builds a login service and runs it for real: a FastAPI app served by
# uvicorn on loopback, tokens signed with PyJWT, refresh tokens and revocations kept in a
# real Redis, and HTTPS with a certificate made in the notebook. Each claim about cost or
# safety is measured or shown failing here.
#
# **Learning objectives.** By the end you can:
# - **store** passwords with bcrypt or Argon2id and **pick** a work factor from a measured
#   time per hash;
# - **explain** a timing attack and **measure** why secrets are compared with
#   `hmac.compare_digest`;
# - **issue and verify** JWTs with PyJWT, **choose** between HS256, RS256 and EdDSA, **check**
#   `exp`, `nbf`, `iat`, `iss` and `aud` with a leeway, and **reject** `alg: none`, key
#   confusion and edited payloads;
# - **rotate** refresh tokens with reuse detection, and **revoke** access tokens in Redis with
#   a TTL equal to their remaining lifetime, knowing what the check costs per request;
# - **serve** HTTPS with your own certificate authority and **say** what HTTPS protects and
#   what it does not.
#
# **Prerequisites:** HTTP requests and JSON; decorators (FastAPI's routes are decorators,
# [05 · Decorators](05_decorators.ipynb)); context managers
# ([10 · Context managers](10_context_managers.ipynb)): the servers here are started by
# `with`-able handles from `advpy.services`.

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import itertools
import json
import socket
import statistics
import threading
import time

import bcrypt
import httpx
import jwt
from argon2 import PasswordHasher

from advpy.lessons.auth import passwords, service, timing_attack, tokens
from advpy.lessons.auth.relay import RecordingRelay
from advpy.lessons.context import machine_summary, pick
from advpy.services import local_certificates, redis_server, serve_app

print(machine_summary())
print(f"PyJWT {jwt.__version__}, bcrypt {bcrypt.__version__}")

# %% [markdown]
# ## 1. `POST /login` on a real server
#
# The service of this lesson lives in `advpy/lessons/auth/service.py` (read it next to this
# notebook). It knows its users by a **password hash**, never by the password; it answers a
# right password with two tokens, a short-lived **access token** that the other endpoints
# accept, and a long-lived **refresh token** that buys new ones; and it keeps everything it
# must remember in Redis. We start a real `redis-server` and serve the app with uvicorn, both
# on 127.0.0.1 and on ports the system picks:

# %%
PASSWORD = "correct horse battery staple"
redis = redis_server()
users = {"alice": service.hash_password(PASSWORD, cost=pick(10, 8))}
keys = tokens.make_keys("EdDSA")  # the service signs its tokens with an Ed25519 private key
api = serve_app(service.make_app(users, keys, redis.client))
print("Redis at", redis.url, "| login service at", api.url)

# %% [markdown]
# Three logins over HTTP: the right password, a wrong one, and a user who does not exist.

# %%
right = api.client.post("/login", json={"username": "alice", "password": PASSWORD})
wrong = api.client.post("/login", json={"username": "alice", "password": "Tr0ub4dor&3"})
nobody = api.client.post("/login", json={"username": "mallory", "password": PASSWORD})
print("right password:", right.status_code, sorted(right.json()))
print("wrong password:", wrong.status_code, wrong.json())
print("unknown user:  ", nobody.status_code, nobody.json())

# %% [markdown]
# The two failures get the same status and the same words, on purpose: an answer that says
# "no such user" lets anyone list the accounts (**user enumeration**). The *time* of the
# answer must not give it away either. A wrong password costs one bcrypt check, so the
# service checks a dummy hash for unknown users too, and that hash must have the same work
# factor as the users' hashes. Timed here, a few logins of each, then the same against a copy
# of the service whose dummy hash is cheap (cost 4):


# %%
def login_times(server, username, count):
    body = {"username": username, "password": "not the password"}
    times = service.call_latencies(lambda: server.client.post("/login", json=body), count)
    return statistics.median(times) * 1e3


with serve_app(service.make_app(users, keys, redis.client, dummy_cost=4)) as leaky:
    for name, server in (("same-cost dummy", api), ("cheap dummy", leaky)):
        wrong_ms = login_times(server, "alice", pick(7, 5))
        nobody_ms = login_times(server, "mallory", pick(7, 5))
        print(
            f"{name:>15}: median login, wrong password {wrong_ms:6.1f} ms, "
            f"unknown user {nobody_ms:6.1f} ms"
        )

# %% [markdown]
# With the cheap dummy, "unknown user" answers many times faster than "wrong password": one
# request per name is enough to tell which accounts exist.
#
# With the access token in an `Authorization: Bearer ...` header, the protected endpoint
# answers; without it, `401 Unauthorized`:

# %%
session = right.json()
bearer = {"Authorization": f"Bearer {session['access_token']}"}
print("with the token:   ", api.client.get("/me", headers=bearer).json())
anonymous = api.client.get("/me")
print("without a token:  ", anonymous.status_code, anonymous.json())

# %% [markdown]
# **What to notice.** Everything above crossed a real TCP connection to a real server: the
# status codes, the JSON and the `WWW-Authenticate: Bearer` header a browser or client reads.
# The rest of the lesson takes each piece apart: the hash (section 2), the comparison of
# secrets (3), the tokens (4), refresh (5), logout (6) and the transport (7).

# %% [markdown]
# ## 2. Storing passwords: slow on purpose
#
# A database of password hashes leaks sooner or later. The attacker then guesses offline:
# hash a candidate, compare, repeat, billions of times, on GPUs. The only defence the
# *hash* can offer is to make each guess expensive. A general-purpose hash is built to be
# fast, which here is the flaw:

# %%
fast = passwords.measure_sha256(repeats=3, calls=pick(100_000, 10_000))
print(
    f"one salted SHA-256: {fast.seconds * 1e9:,.0f} ns, so one core tries "
    f"{1 / fast.seconds:,.0f} passwords per second"
)

# %% [markdown]
# **bcrypt** (1999) and **Argon2id** (2015, winner of the Password Hashing Competition) are
# slow by design, with a **work factor** you raise as hardware gets faster. A bcrypt hash
# carries everything needed to check it: the version `$2b$`, the cost, a 22-character random
# **salt** and the 31-character hash. The salt makes two hashes of one password differ, so
# that an attacker cannot crack every account at once with one table:

# %%
first = bcrypt.hashpw(b"hunter2", bcrypt.gensalt(rounds=4))
second = bcrypt.hashpw(b"hunter2", bcrypt.gensalt(rounds=4))
print(first.decode())
print(second.decode())
print(
    "checkpw right:",
    bcrypt.checkpw(b"hunter2", first),
    "| wrong:",
    bcrypt.checkpw(b"hunter", first),
)

# %% [markdown]
# bcrypt reads at most 72 bytes of a password. The Python package's versions before 5.0 cut
# longer ones silently (two long passphrases with the same first 72 bytes were the same
# password); 5.0 raises instead:

# %%
try:
    bcrypt.hashpw(b"x" * 73, bcrypt.gensalt(rounds=4))
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# ### 2.1 What a work factor costs, measured
#
# Each step of bcrypt's cost doubles the work. Argon2id has three knobs: passes over memory
# (`time_cost`), memory (`memory_cost`, in KiB: memory is what makes GPUs and custom chips
# slow at it) and lanes (`parallelism`). One hash per setting, timed here:

# %%
BUDGET = 0.25  # seconds of one core per login we are willing to spend on the hash
records = passwords.measure_bcrypt(range(4, pick(13, 9)), repeats=3)
records += passwords.measure_argon2(pick([8, 19, 46], [8, 19]), pick([1, 2, 3], [1, 2]), pick(2, 1))
for record in records:
    print(f"{record.algorithm:>9}  {record.setting:<16} {record.seconds * 1e3:9.2f} ms")

# %%
fig, ax = passwords.plot_hash_costs(records, BUDGET)

# %%
bcrypts = [r for r in records if r.algorithm == "bcrypt"]
step = statistics.median(b.seconds / a.seconds for a, b in itertools.pairwise(bcrypts))
chosen = passwords.pick_bcrypt_cost(records, BUDGET)
print(f"one step of bcrypt's cost multiplies the time by {step:.2f}")
print(f"the highest cost measured within {BUDGET * 1e3:.0f} ms: {chosen}")
slowest = max(bcrypts, key=lambda r: r.work)
print(f"bcrypt {slowest.setting} is {slowest.seconds / fast.seconds:,.0f}x one SHA-256")

# %% [markdown]
# **What to notice.** The line on the left is straight on a log scale: the time doubles per
# step, as designed. **How to pick:** take the highest setting whose time fits your budget per
# login on the servers that will run it (a common budget is 0.1 to 0.5 s), and never below the
# floors of the OWASP Password Storage Cheat Sheet: bcrypt cost 10, or Argon2id with 19 MiB and
# 2 passes. The budget is also a capacity limit: a core that spends 0.25 s per hash checks
# at most 4 logins per second, so logins need rate limiting (lesson 15) or an attacker can
# keep your cores busy. Fast mode measured only small settings; run the notebook without
# `ADVPY_FAST` to see the full range.
#
# Argon2id's hashes carry their settings too, and `check_needs_rehash` tells whether a stored
# hash is weaker than the hasher's current settings: the moment to upgrade it is the next
# successful login, the only time the server sees the password (Part C of the graded set).

# %%
old_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
new_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
stored = old_hasher.hash(PASSWORD)
print(stored)
print(
    "verify:",
    new_hasher.verify(stored, PASSWORD),
    "| needs rehash:",
    new_hasher.check_needs_rehash(stored),
)

# %% [markdown]
# ### Try it
# From the measurements above, how many logins per second can this machine's cores check at
# the cost you chose? What happens to the server's other requests while it does?
# (Answer: [tryit/11 § 1](../solutions/tryit/11_auth.md#1-logins-per-second).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. Timing attacks: comparing secrets
#
# `a == b` on two byte strings stops at the first byte that differs. If one of them is a
# secret (an API key, a token, a MAC), the time of the comparison tells how many of the first
# bytes a guess got right, and an attacker who can time many requests can find the secret
# byte by byte. `hmac.compare_digest` takes the same time wherever the first difference is. To
# see it without a network's noise, a long secret compared with guesses that get more and more
# of its first bytes right:

# %%
compares = timing_attack.measure_compares(
    length=pick(1 << 18, 1 << 16),
    fractions=[0, 0.25, 0.5, 0.75, 1],
    calls=pick(100, 20),
    repeats=pick(9, 7),
)
for record in sorted(compares, key=lambda r: (r.method, r.matching)):
    share = 100 * record.matching / record.length
    print(f"{record.method:>19}, {share:5.1f}% right: {record.seconds * 1e6:9.2f} µs")

# %%
fig, ax = timing_attack.plot_compares(compares)


# %%
def spread(method):
    times = {r.matching: r.seconds for r in compares if r.method == method}
    return times[max(times)] / times[min(times)]


print(f"'==': all-but-one bytes right takes {spread('=='):.1f}x as long as none right")
print(f"compare_digest: {spread('hmac.compare_digest'):.2f}x")

# %% [markdown]
# **What to notice.** On the log scale, the `==` line climbs with the number of right bytes:
# it leaks. The `compare_digest` line stays flat; it is slower than `==` because it always
# reads everything, which is the point. With a real secret of 32 bytes the difference per
# byte is below a nanosecond and the network adds milliseconds of noise, but noise averages
# out over many requests: timing attacks have been shown across networks. The rule costs
# nothing, so follow it: compare secrets, MACs and token digests with `hmac.compare_digest` (or
# `secrets.compare_digest`, the same function). bcrypt's and Argon2's `verify` already do.

# %% [markdown]
# ## 4. JSON Web Tokens
#
# ### 4.1 What a JWT is
#
# The access token from section 1 is a **JWT**: three base64url parts, `HEADER.PAYLOAD.
# SIGNATURE`. Header and payload are JSON, readable by anyone who holds the token; the
# signature proves that the server that holds the key made them:

# %%
header_part, payload_part, signature_part = session["access_token"].split(".")
print("header: ", json.loads(tokens.b64url_decode(header_part)))
print("payload:", json.loads(tokens.b64url_decode(payload_part)))
print("signature:", len(tokens.b64url_decode(signature_part)), "bytes")

# %% [markdown]
# A JWT is **signed, not encrypted**: never put a secret in its payload. The registered
# claims (RFC 7519) say who and when: `sub` the user, `iss` who issued the token, `aud` whom it
# is for, `iat` when it was issued, `nbf` not valid before, `exp` not valid from then on
# (seconds since the epoch), `jti` its unique id. The server can check a token with no
# database lookup: the signature and the claims are enough. That is the appeal of JWTs, and
# the reason logging out needs more work (section 6).
#
# ### 4.2 The claims a verifier must check, with PyJWT
#
# `jwt.decode` checks the signature and, when told, the claims. A verifier that checks these
# (an HS256 token here, signed with a shared secret):

# %%
hs = tokens.make_keys("HS256")
now = int(time.time())
ISSUER, AUDIENCE = "https://auth.shop.test", "shop-api"
claims = dict(sub="alice", iss=ISSUER, aud=AUDIENCE, iat=now, nbf=now, exp=now + 300)


def check(claims, **options):
    """Sign `claims` with HS256, then verify the token as a careful server does."""
    token = jwt.encode(claims, hs.signing, algorithm="HS256")
    try:
        return jwt.decode(
            token, hs.verifying, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER, **options
        )
    except jwt.InvalidTokenError as error:
        return f"refused, {type(error).__name__}: {error}"


# %%
print("good:         ", check(claims)["sub"])
print("expired:      ", check({**claims, "exp": now - 5}))
print("5 s late, leeway=10:", check({**claims, "exp": now - 5}, leeway=10)["sub"])
print("not yet:      ", check({**claims, "nbf": now + 60}))
print("other API:    ", check({**claims, "aud": "billing-api"}))
print("other issuer: ", check({**claims, "iss": "https://evil.test"}))

# %% [markdown]
# Clocks of different machines disagree by a few seconds, so verifiers allow a **leeway**
# (here 10 s): a token is accepted until `exp + leeway` and from `nbf - leeway`. Keep it
# small: it extends every token's life. And one trap: PyJWT checks `exp` only **if the token
# has one**. A token without `exp` never expires, unless the verifier requires the claim:

# %%
no_exp = {name: value for name, value in claims.items() if name != "exp"}
print("without exp:          ", check(no_exp))
print("without exp, required:", check(no_exp, options={"require": ["exp", "iat", "sub"]}))

# %% [markdown]
# ### 4.3 HS256, RS256 or EdDSA
#
# **HS256** signs with an HMAC and a shared secret: every service that verifies tokens can
# also mint them. **RS256** (RSA) and **EdDSA** (Ed25519) sign with a private key that only
# the authentication server holds; the others verify with the public key, which can be
# published (a JWKS endpoint). What each costs, measured with PyJWT:

# %%
jwt_costs = [
    tokens.measure_jwt(tokens.make_keys(alg), claims, calls=pick(200, 30), repeats=pick(5, 3))
    for alg in ("HS256", "RS256", "EdDSA")
]
for cost in jwt_costs:
    print(
        f"{cost.alg:>6}: token {cost.token_bytes:3d} bytes, "
        f"sign {cost.sign_seconds * 1e6:8.1f} µs, verify {cost.verify_seconds * 1e6:7.1f} µs"
    )

# %% [markdown]
# **What to notice.** RSA signing is the slow one, and its signatures make the token longer
# (it travels in every request); verifying RSA is cheap. Ed25519 gives short tokens at a small
# cost both ways. Within one service HS256 is fine; as soon as several services verify tokens,
# use a public-key algorithm so that none of them can forge one.
#
# ### 4.4 The attacks, and why they fail here
#
# A verifier that believes the token's header is broken three ways. `tokens.naive_verify` is
# written that way, as early JWT libraries were: it picks the algorithm from the header.
# **`alg: none`** declares the token unsigned:

# %%
admin = {**claims, "sub": "admin"}
unsigned = tokens.forge({"alg": "none", "typ": "JWT"}, admin)
print("naive verifier:", tokens.naive_verify(unsigned, hs.verifying)["sub"])
try:
    jwt.decode(unsigned, hs.verifying, algorithms=["HS256"], audience="shop-api")
except jwt.InvalidTokenError as error:
    print("PyJWT, algorithms=['HS256']:", type(error).__name__, "-", error)

# %% [markdown]
# **Key confusion**: the server verifies RS256 tokens with its RSA public key, which is
# public. The attacker signs an HS256 token with the text of that public key as the HMAC
# secret. A verifier that takes the algorithm from the header and "the key" from its
# configuration computes the same HMAC, and accepts it:

# %%
rs = tokens.make_keys("RS256")
confused = tokens.forge({"alg": "HS256", "typ": "JWT"}, admin, hmac_secret=rs.verifying.encode())
print("naive verifier:", tokens.naive_verify(confused, rs.verifying)["sub"])
for allowed in (["RS256"], ["RS256", "HS256"]):
    try:
        jwt.decode(confused, rs.verifying, algorithms=allowed, audience="shop-api")
    except jwt.PyJWTError as error:  # InvalidKeyError is not an InvalidTokenError
        print(f"PyJWT, algorithms={allowed}:", type(error).__name__, "-", error)

# %% [markdown]
# And an **edited payload**: the attacker changes `sub` in a real token and keeps its
# signature, which no longer matches. Here against the real server, with all three forgeries:

# %%
good_header, good_payload, good_signature = session["access_token"].split(".")
real_claims = json.loads(tokens.b64url_decode(good_payload))
edited = tokens.b64url(json.dumps({**real_claims, "sub": "admin"}).encode())
forgeries = {
    "edited payload": f"{good_header}.{edited}.{good_signature}",
    "alg none": tokens.forge({"alg": "none", "typ": "JWT"}, {**real_claims, "sub": "admin"}),
    "HS256 with the public key": tokens.forge(
        {"alg": "HS256", "typ": "JWT"}, {**real_claims, "sub": "admin"}, keys.verifying.encode()
    ),
}
for name, token in forgeries.items():
    answer = api.client.get("/me", headers={"Authorization": f"Bearer {token}"})
    print(f"{name:>26}: {answer.status_code} {answer.json()['detail']}")

# %% [markdown]
# **What to notice.** Every defence is the same rule: **the server decides the algorithm**.
# Give `jwt.decode` exactly the algorithm that belongs to the key (`algorithms=["EdDSA"]` in
# the service), never a list taken from the token, and never "all of them". PyJWT also refuses
# to use a PEM public key as an HMAC secret, a second line of defence, not the first. Part A
# of the graded set asks you to write the whole verification, key ids included.
#
# ### Try it
# Make a token whose `iat` lies 30 s in the future and verify it with `check` and a leeway of
# 10, then 60. Which error, and why should a verifier care about `iat` at all?
# (Answer: [tryit/11 § 2](../solutions/tryit/11_auth.md#2-a-token-from-the-future).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Access and refresh tokens: rotation and reuse detection
#
# An access token cannot be called back once issued (section 6 shows the cost of trying), so
# it lives minutes (`expires_in` was 300 s). To avoid asking for the password every five
# minutes, the login also gave a **refresh token**: an opaque random string, long-lived, that
# the server remembers (in Redis, by its SHA-256, so that a copy of the database gives away no
# usable token). `POST /refresh` trades it for new tokens. Because it lives long, it is the
# token worth stealing, so the service **rotates** it: each refresh token works once, and the
# answer carries the next one.

# %%
first = session["refresh_token"]
renewed = api.client.post("/refresh", json={"refresh_token": first})
second = renewed.json()["refresh_token"]
print("refresh:", renewed.status_code, "| a new refresh token:", second != first)

# %% [markdown]
# Now someone presents `first` again. Either a thief copied it, or the user's client is
# replaying it; the server cannot tell which. **Reuse detection** assumes the worst and
# revokes the whole **family**, every token descending from that login, so the thief's copy
# dies too. The user logs in again.

# %%
replay = api.client.post("/refresh", json={"refresh_token": first})
print("replay of the first token:", replay.status_code, replay.json()["detail"])
latest = api.client.post("/refresh", json={"refresh_token": second})
print("the newest token after it:", latest.status_code, latest.json()["detail"])

# %% [markdown]
# What Redis holds for this, by kind of key:

# %%
kinds = {}
for key in redis.client.keys("*"):
    kinds[key.split(":")[0]] = kinds.get(key.split(":")[0], 0) + 1
print(dict(sorted(kinds.items())))

# %% [markdown]
# **What to notice.** The one-use check is `SET used:<digest> 1 NX`: Redis sets the key only if
# it does not exist and says whether it did, in one step, so of two requests racing with the
# same token exactly one wins. A `GET` followed by a `SET` would let both through. Every key
# has a TTL, so Redis forgets the records when the tokens would have expired anyway. Part B
# of the graded set is this logic, with the reasons made exact.
#
# ### Try it
# Log in again, then send two `/refresh` requests with the same refresh token at the same
# moment, from two threads. What do they get, and what does it mean for a browser with two
# tabs open?
# (Answer: [tryit/11 § 3](../solutions/tryit/11_auth.md#3-two-tabs-refresh-at-once).)

# %%
# Your experiment here.

# %% [markdown]
# ## 6. Logging out: revocation in Redis
#
# An access token stays valid until its `exp`, whatever happens on the server. To log a user
# out now, the server must remember the tokens it no longer accepts: a **deny list**, keyed by
# the token's `jti`, checked on every request. It only needs to remember a token until it
# would have expired anyway, so each entry gets a TTL equal to the token's remaining lifetime
# (plus the leeway, during which the token would still pass): the list never holds more
# than the tokens issued in one access lifetime. A new login, then a logout:

# %%
session = api.client.post("/login", json={"username": "alice", "password": PASSWORD}).json()
bearer = {"Authorization": f"Bearer {session['access_token']}"}
access = jwt.decode(
    session["access_token"], keys.verifying, algorithms=["EdDSA"], audience="shop-api"
)
bye = api.client.post("/logout", json={"refresh_token": session["refresh_token"]}, headers=bearer)
ttl = redis.client.ttl(f"revoked:{access['jti']}")
print(
    f"logout: {bye.status_code}; Redis keeps revoked:<jti> for {ttl} s; "
    f"the token expires in {access['exp'] - time.time():.0f} s"
)

# %%
after = api.client.get("/me", headers=bearer)
print("GET /me, which checks the list:       ", after.status_code, after.json())
blind = api.client.get("/me/stateless", headers=bearer)
print("GET /me/stateless, which does not:    ", blind.status_code, blind.json()["user"])
again = api.client.post("/refresh", json={"refresh_token": session["refresh_token"]})
print("the refresh token of that session:    ", again.status_code, again.json()["detail"])

# %% [markdown]
# The check is one Redis round trip per request. What it costs, measured on a new session
# (the same keep-alive connection to the service, one request after another):

# %%
session = api.client.post("/login", json={"username": "alice", "password": PASSWORD}).json()
bearer = {"Authorization": f"Bearer {session['access_token']}"}
count = pick(500, 60)
stateless = statistics.median(service.request_latencies(api.client, "/me/stateless", bearer, count))
checked = statistics.median(service.request_latencies(api.client, "/me", bearer, count))
round_trip = statistics.median(
    service.call_latencies(lambda: redis.client.exists("revoked:x"), count)
)
print(f"median GET /me/stateless: {stateless * 1e6:7.0f} µs")
print(f"median GET /me (+ Redis): {checked * 1e6:7.0f} µs")
print(f"one Redis EXISTS round trip from here: {round_trip * 1e6:.0f} µs")
print(f"the revocation check adds {100 * (checked - stateless) / stateless:.0f}% to a request")

# %% [markdown]
# **What to notice.** The token that was logged out still works wherever the list is not
# checked: revocation protects only the services that ask. On loopback a Redis round trip
# costs tens of microseconds (measured above); across a network, add the network's round trip
# to every request. Small next to most requests, but it brings back the shared state, and the
# dependency on one more server, that stateless JWTs were meant to remove. The
# usual compromise is the one here: short-lived access tokens, a deny list for the rare
# logouts and suspected thefts, and refresh tokens that are always checked.

# %% [markdown]
# ## 7. HTTPS on loopback
#
# Everything so far went over plain HTTP. Whoever is on the path (a Wi-Fi hotspot, a router,
# a proxy) reads it. To see what they see, `RecordingRelay` forwards connections to the
# service and keeps a copy of every byte the client sends:

# %%
with RecordingRelay(api.port) as relay, httpx.Client(base_url=relay.url) as client:
    client.post("/login", json={"username": "alice", "password": PASSWORD})
seen = relay.recorded()
start = seen.index(b'{"username"')
print("the password is in the bytes on the wire:", PASSWORD.encode() in seen)
print(seen[start : start + 70].decode())

# %% [markdown]
# HTTPS is HTTP inside TLS. The server needs a certificate signed by an authority the client
# trusts. In production that is a public authority (Let's Encrypt, for instance); here the
# `trustme` library makes a certificate authority and a certificate for `127.0.0.1` on the
# spot, and only clients told to trust that authority will:

# %%
certificates = local_certificates()
secure = serve_app(service.make_app(users, keys, redis.client), tls=certificates)
print("HTTPS service at", secure.url)
with socket.create_connection(("127.0.0.1", secure.port)) as raw:
    context = certificates.client_context()
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        names = [value for _, value in tls.getpeercert()["subjectAltName"]]
        print("TLS version:", tls.version(), "| cipher:", tls.cipher()[0])
        print("the certificate names:", names)

# %%
with (
    RecordingRelay(secure.port) as relay,
    secure.connect(f"https://127.0.0.1:{relay.port}") as client,
):
    answer = client.post("/login", json={"username": "alice", "password": PASSWORD})
seen = relay.recorded()
print(
    "login over HTTPS:",
    answer.status_code,
    "| password in the bytes on the wire:",
    PASSWORD.encode() in seen,
)
print(
    f"the relay saw {len(seen)} bytes; the first three: {seen[:3].hex(' ')}",
    "(a TLS handshake record)",
)

# %% [markdown]
# A client that does not trust the authority refuses to talk, which is what stops an
# attacker who answers in the server's place:

# %%
try:
    httpx.get(secure.url + "/")  # trusts only the public authorities (certifi)
except httpx.ConnectError as error:
    print("ConnectError:", str(error).split("] ")[-1][:80])

# %% [markdown]
# What TLS costs: its handshake on every new connection, and a little encryption per byte.
# Measured with keep-alive (one connection for all requests) and without it (a new connection,
# and for HTTPS a new handshake, per request):

# %%
count = pick(200, 30)
latency = {}
with httpx.Client(base_url=api.url) as client:
    latency["HTTP, keep-alive"] = service.request_latencies(client, "/", {}, count)
latency["HTTPS, keep-alive"] = service.request_latencies(secure.client, "/", {}, count)
with httpx.Client(base_url=api.url) as client:
    latency["HTTP, new connection each"] = service.request_latencies(
        client, "/", {"Connection": "close"}, count
    )
latency["HTTPS, new connection each"] = service.request_latencies(
    secure.client, "/", {"Connection": "close"}, count
)
for name, times in latency.items():
    print(f"{name:>27}: median {statistics.median(times) * 1e6:7.0f} µs")

# %% [markdown]
# **What HTTPS protects:** what travels between the client and the server. Nobody on the path
# can read it (passwords, tokens, cookies, data) or change it unnoticed, and the certificate
# proves the client reached the server it asked for.
#
# **What it does not protect:** anything at either end. A token stolen from the client (by a
# malicious script in the page, XSS, or from a log file or a laptop) works just as well over
# HTTPS: bearer tokens are bearer tokens. The server still sees the password in clear to hash
# it, and its logs may too. A compromised server or a client that skips certificate checks
# (`verify=False`) throws it all away. And TLS says nothing about who the *user* is: that is
# the job of everything before this section. Behind a gateway (lesson 12), TLS often ends at
# the gateway; the hop from there to the service needs its own protection.
#
# ### Try it
# Compare `len(seen)` for the login over HTTP and over HTTPS: how many bytes does TLS add, and
# where? Then make a client with `verify=False` and explain what an attacker at the relay could
# now do that it could not before.
# (Answer: [tryit/11 § 4](../solutions/tryit/11_auth.md#4-what-verifyfalse-gives-away).)

# %%
# Your experiment here.

# %% [markdown]
# ## Pitfalls and under the hood
#
# - **PyJWT checks only the claims that are there.** Require `exp` (and whatever else you rely
#   on) with `options={"require": [...]}`, and pass `audience=` and `issuer=`: without
#   `audience`, a token with an `aud` claim is refused, but one without it passes.
# - **`algorithms=` is a list of what you accept, not what you might meet.** One algorithm per
#   key. If you rotate keys, give each a `kid` and look the key and its algorithm up by it.
# - **Where the browser keeps tokens matters.** `localStorage` is readable by any script on the
#   page (XSS steals it); an `HttpOnly; Secure; SameSite` cookie is not, but a cookie is sent
#   automatically, so forms need CSRF protection. Many services keep the refresh token in such
#   a cookie and the access token in memory.
# - **Rotation has a race.** Two tabs that refresh at once present the same token; the second
#   looks like a reuse and logs the user out. Services allow a few seconds of grace during
#   which the previous token may be used once more and gets the same answer.
# - **bcrypt reads 72 bytes**, and bcrypt 5.0 refuses more. Pre-hashing a long password (with
#   HMAC-SHA-256 and a key, then base64) avoids the limit; or use Argon2id, which has none.
# - **The deny list fails somewhere.** If Redis is down, does `/me` refuse everyone (fail
#   closed) or accept revoked tokens (fail open)? Decide, and say so; this service fails closed
#   (the request errors).
# - **Asynchronous code and bcrypt.** A hash takes a core for its whole budget; in an `async
#   def` endpoint it blocks the event loop. The service's endpoints are plain `def`, which
#   FastAPI runs in a thread pool (lesson 03).

# %% [markdown]
# The servers stop when the notebook's kernel stops; stopping them here frees their ports now.

# %%
secure.stop()
api.stop()
redis.stop()
print("stopped:", not api.running, not redis.running)

# %% [markdown]
# ## Summary
#
# - Passwords are stored as slow, salted hashes: bcrypt (cost >= 10, 72-byte limit) or
#   Argon2id (>= 19 MiB, 2 passes); pick the highest setting that fits a measured time budget,
#   and upgrade old hashes at the next successful login.
# - Secrets are compared with `hmac.compare_digest`: `==` leaks, through its time, how much of
#   a guess was right.
# - A JWT is signed, not encrypted. Verify it with the algorithm that belongs to the key (never
#   the token's), and check `exp`, `nbf`, `iat`, `iss` and `aud`, requiring those you rely on,
#   with a small leeway. `alg: none`, key confusion and edited payloads then fail.
# - HS256 shares one secret between all verifiers; RS256 and EdDSA keep signing with one
#   server. Access tokens live minutes; refresh tokens are opaque, stored, rotated on every
#   use, and a replay revokes their family.
# - Logout of a stateless token needs a deny list: its `jti` in Redis with a TTL equal to the
#   remaining lifetime, one round trip per request.
# - HTTPS protects the path, not the ends: tokens and passwords are hidden and unaltered on
#   the wire, but a stolen token still works.
#
# **Graded exercises:** [exercises/ps11_auth.ipynb](exercises/ps11_auth.ipynb): a
# `verify_token` with the exact header, signature and claim rules, refresh-token rotation with
# reuse detection against a store, and a password check that upgrades the work factor.
