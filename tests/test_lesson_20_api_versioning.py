"""Lesson 20 (API versioning) runs top to bottom against a real uvicorn server on loopback, in
fast mode, and prints what its prose promises: two versions by URL, by media type and by
header, a strict reader that breaks on an added field, a renamed field served to both
versions, the deprecation headers and 410 after the sunset, the old client's contract test
failing only against the careless release, breaking changes found in the OpenAPI documents,
and the cost of each style. Its helpers are tested directly too, over real HTTP."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

import matplotlib
import matplotlib.pyplot as plt
import pytest
from test_notebooks import execute_lesson, markdown, printed, run_lesson

from advpy.lessons.api_versioning import shop
from advpy.lessons.api_versioning.clients import ServerDeprecationWarning, V1Client, v1_contract
from advpy.lessons.api_versioning.measure import STYLES, measure_styles, plot_latencies
from advpy.lessons.api_versioning.openapi import describe_api, obvious_breaks
from advpy.services import running_services, serve_app

matplotlib.use("Agg")

NAME = "20_api_versioning"


# --- the lesson, fast mode ---------------------------------------------------------------------


@pytest.mark.slow
def test_lesson_serves_two_versions_by_url_media_type_and_header() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"release 2\.0 listening on http://127\.0\.0\.1:\d+ after \d+ ms", out)
    assert "/v1/users/1 200 {'id': 1, 'name': 'Ada Lovelace', 'email': 'ada@example.com'" in out
    assert "/v2/users/1 200 {'id': 1, 'given_name': 'Ada', 'family_name': 'Lovelace'" in out
    assert "v1: {'id': 2, 'name': 'Grace Hopper', 'email': ''" in out
    assert "v2: {'id': 2, 'given_name': 'Grace', 'family_name': 'Hopper', 'email': None" in out
    assert re.search(r"no header: application/vnd\.shop\.v1\+json +\['created_at', 'email'", out)
    assert re.search(r"API-Version: 2: application/vnd\.shop\.v2\+json +\[.*'given_name'", out)
    assert "Vary: Accept, API-Version" in out
    assert "v3 asked for: 406" in out
    assert "API-Version: two: 400" in out


@pytest.mark.slow
def test_lesson_shows_compatible_and_breaking_changes() -> None:
    out = printed(run_lesson(NAME))
    assert "strict=False: read {'id': 1, 'name': 'Ada Lovelace', 'email': 'ada@example.com'}" in out
    assert "strict=True: ValidationError: 'created_at': Extra inputs are not permitted" in out
    assert re.search(r"read via v1: +\{'id': 3, 'name': 'Edsger Dijkstra', 'email': ''", out)
    assert re.search(r"read via v2: +\{'id': 4, 'given_name': 'Barbara', 'family_name'", out)
    assert "v1's body to v2: 422 Field required" in out
    assert "v1's body to v1: 201" in out


@pytest.mark.slow
def test_lesson_sends_deprecation_headers_and_410_after_the_sunset() -> None:
    out = printed(run_lesson(NAME))
    assert "Deprecation: @1767225600\nSunset: Thu, 31 Dec 2026 23:59:59 GMT" in out
    assert 'Link: </v2/users/1>; rel="successor-version"' in out
    assert "the Deprecation date, read back: 2026-01-01T00:00:00+00:00" in out
    assert len(re.findall(r"^ServerDeprecationWarning: ", out, re.M)) == 1, "warned once"
    assert "v1 after the sunset: 410 {'detail': 'version 1 is retired'}" in out
    assert "v2 after the sunset: 200" in out


@pytest.mark.slow
def test_lesson_contract_test_and_openapi_diff_catch_only_the_careless_release() -> None:
    out = printed(run_lesson(NAME))
    assert "release 1.0          : 4 of 4 promises kept" in out
    assert "release 2.0          : 4 of 4 promises kept" in out
    assert "release 2.0-careless : 2 of 4 promises kept" in out
    assert "broken: GET /v1/users/1 gives id, name and email -> KeyError: 'name'" in out
    assert "1.0 -> 2.0: 0 breaking change(s)" in out
    assert "1.0 -> 2.0-careless: 2 breaking change(s)" in out
    assert "GET /v1/users/{user_id}: response field 'name' was removed" in out
    assert (
        "new in 2.0: ['GET /users/{user_id}', 'GET /v2/users/{user_id}', 'POST /v2/users']" in out
    )
    assert "GET /users/{user_id}: response fields {}" in out


@pytest.mark.slow
def test_lesson_measures_each_style_and_stops_its_server() -> None:
    out = printed(run_lesson(NAME))
    for style in STYLES:
        assert re.search(rf"{re.escape(style)}: median +\d+ µs, 90th percentile +\d+ µs", out)
    assert re.search(r"slowest median / fastest median: \d+\.\d\d", out)
    images = [
        o
        for c in run_lesson(NAME).cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "display_data" and "image/png" in o.get("data", {})
    ]
    assert len(images) == 1, "the lesson draws one plot, the round-trip times of each style"
    assert "server stopped: True" in out


def test_lesson_states_the_facts_it_relies_on() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("RFC 9745", "RFC 8594", "successor-version", "Vary", "406", "410", "422"):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"
    assert "exercises/ps20_api_versioning.ipynb" in text


# --- the helpers, over real HTTP -----------------------------------------------------------------


def test_one_record_renders_for_both_versions() -> None:
    record = {**shop.SEED_USERS[0], "given_name": "", "email": None}
    assert shop.render(record, 1, "1.0") == {"id": 1, "name": "Lovelace", "email": ""}
    assert shop.render(record, 1, "2.0-careless")["full_name"] == "Lovelace"
    assert set(shop.render(record, 2, "2.0")) == {
        "id",
        "given_name",
        "family_name",
        "email",
        "created_at",
    }


def test_release_1_has_no_v2_and_no_deprecation() -> None:
    with serve_app(shop.make_shop("1.0")) as api:
        response = api.client.get("/v1/users/1")
        assert response.json() == {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}
        assert "deprecation" not in response.headers
        assert api.client.get("/v2/users/1").status_code == 404
        assert all(check.kept for check in v1_contract(api.client))


def test_release_2_negotiates_deprecates_and_retires_v1() -> None:
    app = shop.make_shop("2.0")
    with serve_app(app) as api:
        v2 = api.client.get("/users/2", headers={"accept": "application/vnd.shop.v2+json"})
        assert v2.headers["content-type"] == "application/vnd.shop.v2+json"
        assert v2.json()["email"] is None
        v1 = api.client.get("/users/2")
        assert v1.json()["email"] == "" and v1.headers["deprecation"] == "@1767225600"
        assert api.client.get("/users/2", headers={"API-Version": "7"}).status_code == 406
        assert api.client.get("/users/99").status_code == 404
        with pytest.warns(ServerDeprecationWarning):
            assert V1Client(api.client).get_user(1)["name"] == "Ada Lovelace"
        app.state.now = lambda: shop.V1_SUNSET
        gone = api.client.get("/v1/users/1")
        assert gone.status_code == 410 and gone.headers["sunset"].endswith("23:59:59 GMT")
        assert api.client.post("/v1/users", json={"name": "A B", "email": "e"}).status_code == 410
        app.state.now = lambda: shop.V1_SUNSET - timedelta(seconds=1)
        assert api.client.get("/v1/users/1").status_code == 200
    assert not running_services()


def test_careless_release_breaks_the_contract_and_the_strict_reader_breaks_on_additions() -> None:
    with serve_app(shop.make_shop("2.0-careless")) as api:
        kept = {check.promise: check.kept for check in v1_contract(api.client)}
        assert kept == {
            "GET /v1/users/1 gives id, name and email": False,
            "POST /v1/users, then GET it back": False,
            "GET /v1/users/999999 is a 404": True,
            "email is always a string": True,
        }
    with serve_app(shop.make_shop("2.0")) as api, warnings.catch_warnings():
        warnings.simplefilter("ignore", ServerDeprecationWarning)
        assert V1Client(api.client).get_user(1)["id"] == 1
        with pytest.raises(Exception, match="created_at"):
            V1Client(api.client, strict=True).get_user(1)


def test_describe_api_reads_parameters_bodies_optional_types_and_enums() -> None:
    described = describe_api(shop.make_shop("2.0").openapi())
    post = described["POST /v2/users"]
    assert post["request"]["given_name"] == {"type": "string", "required": True, "enum": None}
    assert post["request"]["family_name"]["required"] is False
    assert post["request"]["email"]["type"] == "string"  # str | None: the type that is not null
    assert post["response"]["created_at"]["required"] is True
    assert described["GET /v2/users/{user_id}"]["request"]["user_id"]["type"] == "integer"
    document = {
        "paths": {
            "/orders": {
                "get": {
                    "parameters": [
                        {"name": "state", "in": "query", "schema": {"$ref": "#/c/State"}},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"content": {}}},
                }
            }
        },
        "c": {"State": {"type": "string", "enum": ["open", "paid"]}},
    }
    assert describe_api(document) == {
        "GET /orders": {
            "request": {"state": {"type": "string", "required": False, "enum": ["open", "paid"]}},
            "response": {},
        }
    }


def test_obvious_breaks_finds_removals_and_new_required_inputs() -> None:
    old = describe_api(shop.make_shop("2.0").openapi())
    new = {k: v for k, v in old.items() if k != "GET /users/{user_id}"}
    new["POST /v2/users"] = {
        "request": {
            **old["POST /v2/users"]["request"],
            "age": {"type": "integer", "required": True, "enum": None},
            "nick": {"type": "string", "required": False, "enum": None},
        },
        "response": old["POST /v2/users"]["response"],
    }
    assert obvious_breaks(old, new) == [
        "GET /users/{user_id}: the operation was removed",
        "POST /v2/users: request field 'age' is new and required",
    ]
    assert obvious_breaks(old, old) == []


def test_measure_styles_times_every_style_over_http() -> None:
    with serve_app(shop.make_shop("2.0")) as api:
        records = measure_styles(api.client, requests=6, rounds=2)
    assert [r.style for r in records] == list(STYLES)
    assert all(r.requests == len(r.samples) == 6 and 0 < r.median <= r.p90 for r in records)
    assert all(list(r.samples) == sorted(r.samples) for r in records)
    fig, ax = plot_latencies(records)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(STYLES)
    assert len(ax.get_lines()) == 3 and ax.get_ylim()[1] > 1
    plt.close(fig)
    assert datetime.now(UTC) > shop.V1_DEPRECATED - timedelta(days=10_000)


# --- the lesson, full mode (once) ---------------------------------------------------------------


@pytest.mark.slow
def test_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    out = printed(execute_lesson(NAME))
    assert "Fast mode is on" not in out
    assert "release 2.0-careless : 2 of 4 promises kept" in out
    assert re.search(r"URL prefix /v2/\.\.\.: median +\d+ µs, .*\(600 requests\)", out)
    assert "server stopped: True" in out
