"""The shop's user API, as three releases of one FastAPI app.

- ``"1.0"`` serves v1 only: ``GET/POST /v1/users``, users with one ``name``.
- ``"2.0"`` adds v2 (``given_name`` and ``family_name``; ``email`` may be ``null``), keeps
  serving v1 from the same records, adds a field to v1 (an additive change), answers
  ``/users/{id}`` by the ``Accept`` media type or the ``API-Version`` header, and marks v1 as
  deprecated with ``Deprecation``, ``Sunset`` and ``Link`` headers; after the sunset v1 answers
  ``410 Gone``.
- ``"2.0-careless"`` is 2.0 written in a hurry: v1's ``name`` was renamed ``full_name`` in place.

One handler serves every version: it loads the stored record and :func:`render` turns it into
the version asked for. The app's clock is ``app.state.now`` (a function returning an aware
``datetime``), so a lesson can move past the sunset without waiting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

Release = Literal["1.0", "2.0", "2.0-careless"]

#: v1's retirement plan in release 2.0 (RFC 9745 and RFC 8594 dates).
V1_DEPRECATED = datetime(2026, 1, 1, tzinfo=UTC)
V1_SUNSET = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
#: The media type that names a version, and the header that can name it instead.
VENDOR_TYPE = re.compile(r"application/vnd\.shop\.v(\d+)\+json", re.IGNORECASE)
VERSION_HEADER = "API-Version"

SEED_USERS: list[dict[str, Any]] = [
    {
        "id": 1,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "email": "ada@example.com",
        "created_at": "2025-03-14T09:00:00Z",
    },
    {
        "id": 2,
        "given_name": "Grace",
        "family_name": "Hopper",
        "email": None,
        "created_at": "2025-06-01T12:30:00Z",
    },
]


class UserV1Original(BaseModel):
    """v1's user as release 1.0 served it."""

    id: int
    name: str
    email: str


class UserV1(UserV1Original):
    """v1's user in release 2.0: one optional field more, an additive change."""

    created_at: str | None = None


class NewUserV1(BaseModel):
    name: str
    email: str


class UserV1Careless(BaseModel):
    id: int
    full_name: str  # renamed in place: every v1 client that reads "name" breaks
    email: str
    created_at: str | None = None


class UserV2(BaseModel):
    id: int
    given_name: str
    family_name: str
    email: str | None
    created_at: str


class NewUserV2(BaseModel):
    given_name: str
    family_name: str = ""
    email: str | None = None


def full_name(record: dict[str, Any]) -> str:
    """The v1 ``name``: the given and family names joined, an empty one left out."""
    return " ".join(part for part in (record["given_name"], record["family_name"]) if part)


def render(record: dict[str, Any], version: int, release: Release) -> dict[str, Any]:
    """The stored ``record`` as ``version`` of the API represents it in ``release``."""
    if version == 2:
        return {k: record[k] for k in ("id", "given_name", "family_name", "email", "created_at")}
    name_key = "full_name" if release == "2.0-careless" else "name"
    body = {"id": record["id"], name_key: full_name(record), "email": record["email"] or ""}
    if release != "1.0":
        body["created_at"] = record["created_at"]
    return body


def deprecation_headers(user_id: int | None = None) -> dict[str, str]:
    """v1's headers in release 2.0: ``Deprecation`` as a structured-field date (``@`` and Unix
    seconds, RFC 9745), ``Sunset`` as an HTTP date (RFC 8594), and a ``Link`` to the successor."""
    headers = {
        "Deprecation": f"@{int(V1_DEPRECATED.timestamp())}",
        "Sunset": format_datetime(V1_SUNSET, usegmt=True),
    }
    if user_id is not None:
        headers["Link"] = f'</v2/users/{user_id}>; rel="successor-version"'
    return headers


def requested_version(request: Request) -> int:
    """The version a request to ``/users/...`` names: the vendor media type in ``Accept``, else
    the ``API-Version`` header, else 1 (the version clients that never said one were written
    for). A simple reading: the graded set's ``negotiate_version`` does it in full."""
    match = VENDOR_TYPE.search(request.headers.get("accept", ""))
    if match:
        return int(match.group(1))
    value = request.headers.get(VERSION_HEADER)
    if value is not None:
        if not value.strip().isdigit():
            raise HTTPException(400, f"{VERSION_HEADER} must be a number")
        return int(value)
    return 1


def make_shop(release: Release = "2.0") -> FastAPI:
    """The shop's user API as it is in ``release``, with its own store of users."""
    app = FastAPI(title="shop", version=release)
    store = {user["id"]: dict(user) for user in SEED_USERS}
    now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731
    app.state.now = now
    v2 = release != "1.0"
    models: dict[str, type[BaseModel]] = {
        "1.0": UserV1Original,
        "2.0": UserV1,
        "2.0-careless": UserV1Careless,
    }
    user_v1 = models[release]

    def load(user_id: int) -> dict[str, Any]:
        if user_id not in store:
            raise HTTPException(404, f"no user {user_id}")
        return store[user_id]

    def v1_headers(response: Response, user_id: int | None) -> None:
        if not v2:
            return
        if app.state.now() >= V1_SUNSET:
            raise HTTPException(410, "version 1 is retired", headers=deprecation_headers(user_id))
        response.headers.update(deprecation_headers(user_id))

    def add(given: str, family: str, email: str | None) -> dict[str, Any]:
        user_id = max(store) + 1
        created = app.state.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        store[user_id] = {
            "id": user_id,
            "given_name": given,
            "family_name": family,
            "email": email,
            "created_at": created,
        }
        return store[user_id]

    @app.get("/v1/users/{user_id}", response_model=user_v1)
    def get_user_v1(user_id: int, response: Response) -> dict[str, Any]:
        v1_headers(response, user_id)
        return render(load(user_id), 1, release)

    @app.post("/v1/users", response_model=user_v1, status_code=201)
    def create_user_v1(new: NewUserV1, response: Response) -> dict[str, Any]:
        v1_headers(response, None)
        given, _, family = new.name.partition(" ")
        return render(add(given, family, new.email), 1, release)

    if not v2:
        return app

    @app.get("/v2/users/{user_id}", response_model=UserV2)
    def get_user_v2(user_id: int) -> dict[str, Any]:
        return render(load(user_id), 2, release)

    @app.post("/v2/users", response_model=UserV2, status_code=201)
    def create_user_v2(new: NewUserV2) -> dict[str, Any]:
        return render(add(new.given_name, new.family_name, new.email), 2, release)

    @app.get("/users/{user_id}")
    def get_user_negotiated(user_id: int, request: Request) -> JSONResponse:
        version = requested_version(request)
        if version not in (1, 2):
            raise HTTPException(406, f"version {version} is not served")
        response = JSONResponse(
            render(load(user_id), version, release),
            media_type=f"application/vnd.shop.v{version}+json",
            headers={"Vary": f"Accept, {VERSION_HEADER}"},
        )
        if version == 1:
            v1_headers(response, user_id)
        return response

    return app
