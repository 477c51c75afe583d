"""Lesson 11 (authentication) runs top to bottom against a real uvicorn, a real Redis and HTTPS
on loopback, in fast mode and once in full mode, and prints what its prose promises: one answer
for every failed login, a cheap dummy hash that gives unknown users away, hash costs measured
and drawn, `==` leaking through its time, JWT claims and attacks refused, refresh tokens rotated
with reuse detection, logout in Redis with a TTL, and a password that only plain HTTP shows on
the wire. Its helpers are tested directly too."""

from __future__ import annotations

import re
import time

import bcrypt
import httpx
import jwt
import matplotlib
import pytest
from test_notebooks import execute_lesson, markdown, number, printed, run_lesson

from advpy.lessons.auth import passwords, service, timing_attack, tokens
from advpy.lessons.auth.relay import RecordingRelay
from advpy.services import local_certificates, redis_server, serve_app

matplotlib.use("Agg")

NAME = "11_auth"


def _images(notebook) -> int:
    return sum(
        1
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "display_data" and "image/png" in output.get("data", {})
    )


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_login_answers_alike_for_a_wrong_password_and_an_unknown_user() -> None:
    out = printed(run_lesson(NAME))
    assert (
        "right password: 200 ['access_token', 'expires_in', 'refresh_token', 'token_type']" in out
    )
    assert "wrong password: 401 {'detail': 'wrong username or password'}" in out
    assert "unknown user:   401 {'detail': 'wrong username or password'}" in out
    assert re.search(r"with the token:\s+\{'user': 'alice', 'jti': '[0-9a-f]{32}'\}", out)
    assert "without a token:   401 {'detail': 'missing bearer token'}" in out


@pytest.mark.slow
def test_a_cheap_dummy_hash_makes_unknown_users_answer_faster() -> None:
    out = printed(run_lesson(NAME))
    times = {
        name: (number(wrong), number(unknown))
        for name, wrong, unknown in re.findall(
            r"^\s*(same-cost dummy|cheap dummy): median login, wrong password\s+([\d.]+) ms, "
            r"unknown user\s+([\d.]+) ms$",
            out,
            re.M,
        )
    }
    # Each dummy changes the time by a factor of about 16 (cost 4 against cost 8) or not at
    # all: a factor of 2 either way leaves room for a busy machine.
    wrong, unknown = times["same-cost dummy"]
    assert unknown > wrong / 2, f"a same-cost dummy: both failures take as long ({times})"
    wrong, unknown = times["cheap dummy"]
    assert unknown < wrong / 2, f"a cost-4 dummy against cost-8 users is faster ({times})"


@pytest.mark.slow
def test_hash_costs_are_measured_drawn_and_a_cost_is_picked() -> None:
    notebook = run_lesson(NAME)
    out = printed(notebook)
    assert re.search(r"one salted SHA-256: [\d,]+ ns, so one core tries [\d,]+ passwords", out)
    costs = re.findall(r"^\s+bcrypt  cost (\d+)\s+[\d.]+ ms$", out, re.M)
    assert costs == [str(c) for c in range(4, 9)]
    assert len(re.findall(r"^\s+argon2id  t=\d, m=\d+ MiB\s+[\d.]+ ms$", out, re.M)) == 4
    step = re.search(r"one step of bcrypt's cost multiplies the time by ([\d.]+)", out)
    assert step and 1.3 < number(step[1]) < 3.5, f"each step of bcrypt's cost: x{step and step[1]}"
    assert "the highest cost measured within 250 ms: 8" in out
    assert re.search(r"^\$2b\$04\$[./A-Za-z0-9]{53}$", out, re.M)
    assert "checkpw right: True | wrong: False" in out
    assert "ValueError: password cannot be longer than 72 bytes" in out
    assert "verify: True | needs rehash: True" in out
    assert _images(notebook) == 2, "the lesson draws two plots: hash costs and the timing attack"


@pytest.mark.slow
def test_equals_leaks_through_its_time_and_compare_digest_does_not() -> None:
    out = printed(run_lesson(NAME))
    rows = re.findall(
        r"^\s*(==|hmac\.compare_digest),\s+([\d.]+)% right:\s+([\d.]+) µs$", out, re.M
    )
    assert len(rows) == 10
    leak = re.search(r"'==': all-but-one bytes right takes ([\d.]+)x as long as none right", out)
    flat = re.search(r"compare_digest: ([\d.]+)x", out)
    assert leak and number(leak[1]) > 3, f"== takes longer the more bytes are right: {rows}"
    assert flat and number(flat[1]) < 2, f"compare_digest takes as long whatever is right: {rows}"


@pytest.mark.slow
def test_jwt_claims_are_checked_and_the_attacks_refused() -> None:
    out = printed(run_lesson(NAME))
    assert "header:  {'alg': 'EdDSA', 'typ': 'JWT'}" in out
    assert "signature: 64 bytes" in out
    assert "expired:       refused, ExpiredSignatureError: Signature has expired" in out
    assert "5 s late, leeway=10: alice" in out
    assert "not yet:       refused, ImmatureSignatureError" in out
    assert "other API:     refused, InvalidAudienceError" in out
    assert "other issuer:  refused, InvalidIssuerError" in out
    assert re.search(r"without exp:\s+\{'sub': 'alice'", out), "PyJWT accepts a token without exp"
    assert "without exp, required: refused, MissingRequiredClaimError" in out
    for alg in ("HS256", "RS256", "EdDSA"):
        assert re.search(rf"{alg}: token \d+ bytes, sign\s+[\d.]+ µs, verify\s+[\d.]+ µs", out)
    assert out.count("naive verifier: admin") == 2
    assert "PyJWT, algorithms=['HS256']: InvalidAlgorithmError" in out
    assert "PyJWT, algorithms=['RS256']: InvalidAlgorithmError" in out
    assert "PyJWT, algorithms=['RS256', 'HS256']: InvalidKeyError" in out
    assert "edited payload: 401 invalid token: Signature verification failed" in out
    assert "alg none: 401 invalid token: The specified alg value is not allowed" in out
    assert "HS256 with the public key: 401 invalid token" in out


@pytest.mark.slow
def test_refresh_tokens_rotate_and_a_replay_revokes_the_family() -> None:
    out = printed(run_lesson(NAME))
    assert "refresh: 200 | a new refresh token: True" in out
    assert "replay of the first token: 401 refresh token reused: its family is revoked" in out
    assert "the newest token after it: 401 refresh token revoked" in out
    assert "{'refresh': 2, 'revoked-family': 1, 'used': 1}" in out


@pytest.mark.slow
def test_logout_revokes_in_redis_for_the_remaining_lifetime() -> None:
    out = printed(run_lesson(NAME))
    logout = re.search(
        r"logout: 204; Redis keeps revoked:<jti> for (\d+) s; the token expires in (\d+) s", out
    )
    assert logout, "the logout cell no longer prints the TTL"
    ttl, remaining = int(logout[1]), int(logout[2])
    assert remaining <= 300 and remaining - 2 <= ttl - 10 <= remaining + 1, (
        "the TTL is the token's remaining lifetime plus the 10 s leeway"
    )
    assert "GET /me, which checks the list:        401 {'detail': 'token revoked'}" in out
    assert "GET /me/stateless, which does not:     200 alice" in out
    assert "the refresh token of that session:     401 refresh token revoked" in out
    for line in ("median GET /me/stateless:", "median GET /me (+ Redis):"):
        assert re.search(rf"{re.escape(line)}\s+\d+ µs", out)
    assert re.search(r"one Redis EXISTS round trip from here: \d+ µs", out)
    assert re.search(r"the revocation check adds -?\d+% to a request", out)


@pytest.mark.slow
def test_only_plain_http_shows_the_password_on_the_wire() -> None:
    out = printed(run_lesson(NAME))
    assert "the password is in the bytes on the wire: True" in out
    assert '{"username":"alice","password":"correct horse battery staple"}' in out
    assert re.search(r"TLS version: TLSv1\.[23] \| cipher: \S+", out)
    assert "the certificate names: ['127.0.0.1', 'localhost']" in out
    assert "login over HTTPS: 200 | password in the bytes on the wire: False" in out
    assert re.search(r"the relay saw \d+ bytes; the first three: 16 03 0[13]", out)
    assert "ConnectError: certificate verify failed" in out
    for name in ("HTTP, keep-alive", "HTTPS, keep-alive", "HTTPS, new connection each"):
        assert re.search(rf"{re.escape(name)}: median\s+\d+ µs", out)
    assert "stopped: True True" in out


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("OWASP", "72 bytes", "RFC 7519", "leeway", "jti", "SET used:<digest> 1 NX"):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps11_auth.ipynb" in text


# --- the lesson, full mode (once) ---------------------------------------------------------------


@pytest.mark.slow
def test_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    out = printed(execute_lesson(NAME))
    assert "Fast mode is on" not in out
    assert re.findall(r"^\s+bcrypt  cost (\d+)", out, re.M)[-1] == "12"
    assert "the newest token after it: 401 refresh token revoked" in out
    assert "login over HTTPS: 200 | password in the bytes on the wire: False" in out


# --- the helpers ----------------------------------------------------------------------------------


def test_naive_verify_falls_for_both_forgeries_and_pyjwt_for_none() -> None:
    rs = tokens.make_keys("RS256")
    claims = {"sub": "admin"}
    unsigned = tokens.forge({"alg": "none"}, claims)
    assert unsigned.endswith(".")
    confused = tokens.forge({"alg": "HS256"}, claims, hmac_secret=rs.verifying.encode())
    assert tokens.naive_verify(unsigned, b"anything") == claims
    assert tokens.naive_verify(confused, rs.verifying) == claims
    with pytest.raises(ValueError):
        tokens.naive_verify(tokens.forge({"alg": "HS256"}, claims, b"other"), rs.verifying)
    for token in (unsigned, confused):
        with pytest.raises(jwt.PyJWTError):
            jwt.decode(token, rs.verifying, algorithms=["RS256"])


@pytest.mark.parametrize("alg", ["HS256", "RS256", "EdDSA"])
def test_keys_sign_what_pyjwt_verifies(alg: str) -> None:
    keys = tokens.make_keys(alg)
    cost = tokens.measure_jwt(keys, {"sub": "a"}, calls=2, repeats=1)
    assert cost.alg == alg and cost.token_bytes > 0 and cost.sign_seconds > 0
    token = jwt.encode({"sub": "a"}, keys.signing, algorithm=alg)
    assert jwt.decode(token, keys.verifying, algorithms=[alg]) == {"sub": "a"}
    assert tokens.b64url_decode(tokens.b64url(b"\xff\x00 bytes")) == b"\xff\x00 bytes"


def test_pick_bcrypt_cost_takes_the_highest_within_budget() -> None:
    records = [passwords.HashCost("bcrypt", f"cost {c}", float(c), 0.001 * 2**c) for c in (4, 5, 6)]
    records.append(passwords.HashCost("argon2id", "t=1, m=8 MiB", 8.0, 0.0001))
    assert passwords.pick_bcrypt_cost(records, budget=0.04) == 5
    assert passwords.pick_bcrypt_cost(records, budget=1.0) == 6
    assert passwords.pick_bcrypt_cost(records, budget=0.001) == 4, "nothing fits: the lowest"


def test_hash_measurements_and_their_plot() -> None:
    records = passwords.measure_bcrypt([4, 5], repeats=1)
    records += passwords.measure_argon2([8], [1], repeats=1)
    assert [r.algorithm for r in records] == ["bcrypt", "bcrypt", "argon2id"]
    assert passwords.measure_sha256(repeats=1, calls=10).seconds > 0
    fig, ax = passwords.plot_hash_costs(records, budget=0.01)
    assert ax.get_yscale() == "log"
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_timing_guesses_share_exactly_their_prefix() -> None:
    secret = bytes(range(10))
    guess = timing_attack._guess(secret, 4)
    assert guess[:4] == secret[:4]
    assert all(a != b for a, b in zip(guess[4:], secret[4:], strict=True))
    records = timing_attack.measure_compares(64, [0, 0.5, 1], calls=2, repeats=1)
    assert sorted((r.method, r.matching) for r in records) == [
        ("==", 0),
        ("==", 32),
        ("==", 63),
        ("hmac.compare_digest", 0),
        ("hmac.compare_digest", 32),
        ("hmac.compare_digest", 63),
    ]
    fig, ax = timing_attack.plot_compares(records)
    assert ax.get_yscale() == "log"
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_the_service_logs_in_rotates_and_revokes_for_the_remaining_lifetime() -> None:
    now = [float(int(time.time()))]  # PyJWT checks exp against the real clock
    users = {"alice": service.hash_password("pw", cost=4)}
    keys = tokens.make_keys("HS256")
    settings = service.AuthSettings(access_lifetime=100, leeway=5)
    with redis_server() as redis:
        app = service.make_app(users, keys, redis.client, settings, clock=lambda: now[0])
        with serve_app(app) as api:
            assert api.client.post("/login", json={"username": "bob", "password": "pw"}).json() == {
                "detail": "wrong username or password"
            }
            session = api.client.post("/login", json={"username": "alice", "password": "pw"}).json()
            claims = jwt.decode(
                session["access_token"], keys.verifying, algorithms=["HS256"], audience="shop-api"
            )
            assert claims["exp"] - claims["iat"] == 100 and claims["sub"] == "alice"
            renewed = api.client.post("/refresh", json={"refresh_token": session["refresh_token"]})
            assert renewed.status_code == 200
            now[0] += 40
            bearer = {"Authorization": f"Bearer {session['access_token']}"}
            body = {"refresh_token": renewed.json()["refresh_token"]}
            assert api.client.post("/logout", json=body, headers=bearer).status_code == 204
            ttl = redis.client.ttl(f"revoked:{claims['jti']}")
            assert ttl in (100 - 40 + 5, 100 - 40 + 4), "TTL: the remaining lifetime + leeway"
            assert api.client.get("/me", headers=bearer).status_code == 401
            assert api.client.post("/refresh", json=body).json() == {
                "detail": "refresh token revoked"
            }


def test_dummy_hash_has_the_users_cost_unless_told() -> None:
    assert service.cost_of(service.hash_password("x", cost=5)) == 5
    assert service.cost_of(service.dummy_hash(4).decode()) == 4
    assert bcrypt.checkpw(b"x", service.hash_password("x", cost=4).encode())


def test_https_server_and_relay_on_loopback() -> None:
    certificates = local_certificates()
    app = service.make_app({}, tokens.make_keys("HS256"), client=None, dummy_cost=4)  # type: ignore[arg-type]
    with serve_app(app, tls=certificates) as secure, RecordingRelay(secure.port) as relay:
        assert secure.url.startswith("https://127.0.0.1:")
        with secure.connect(f"https://127.0.0.1:{relay.port}") as client:
            assert client.get("/").json() == {"service": "login", "alg": "HS256"}
        assert relay.recorded()[:1] == b"\x16", "the relay sees a TLS handshake first"
        assert b"GET /" not in relay.recorded()
        with pytest.raises(httpx.ConnectError):
            httpx.get(secure.url)
