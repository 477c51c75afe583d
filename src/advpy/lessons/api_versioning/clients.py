"""An old client of the shop, written against v1 in release 1.0, and its contract test.

The client reads responses in one of two ways. A **tolerant reader** takes the fields it
knows and ignores the rest, so a server that adds fields does not break it. A **strict
reader** validates the whole body against the model it was written with and refuses any
field it does not know (pydantic's ``extra="forbid"``), so every addition breaks it.

:func:`v1_contract` is what the old client relies on, written down as checks: run against a
new release of the server, it says whether that release still keeps v1's promise.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError


class StrictUserV1(BaseModel):
    """v1's user as release 1.0 documented it; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")
    id: int
    name: str
    email: str


class ServerDeprecationWarning(UserWarning):
    """The server said the version this client uses is deprecated."""


class V1Client:
    """A v1 client of the shop: ``get_user`` and ``create_user``, reading tolerantly or
    strictly, and warning once when the server sends a ``Deprecation`` header."""

    def __init__(self, client: httpx.Client, *, strict: bool = False) -> None:
        self.http = client
        self.strict = strict
        self.warned = False

    def _read(self, response: httpx.Response) -> dict[str, Any]:
        response.raise_for_status()
        if "Deprecation" in response.headers and not self.warned:
            self.warned = True
            warnings.warn(
                f"{response.request.url.path}: the server deprecates v1 "
                f"(Deprecation {response.headers['Deprecation']}, "
                f"Sunset {response.headers.get('Sunset', 'not announced')})",
                ServerDeprecationWarning,
                stacklevel=3,
            )
        body = response.json()
        if self.strict:
            return StrictUserV1.model_validate(body).model_dump()
        return {"id": int(body["id"]), "name": str(body["name"]), "email": str(body["email"])}

    def get_user(self, user_id: int) -> dict[str, Any]:
        return self._read(self.http.get(f"/v1/users/{user_id}"))

    def create_user(self, name: str, email: str) -> dict[str, Any]:
        return self._read(self.http.post("/v1/users", json={"name": name, "email": email}))


@dataclass(frozen=True)
class Check:
    """One promise of v1 and whether the server kept it."""

    promise: str
    kept: bool
    detail: str = ""


def _check(promise: str, run: Any) -> Check:
    try:
        run()
    except (AssertionError, KeyError, ValueError, ValidationError, httpx.HTTPError) as error:
        return Check(promise, False, f"{type(error).__name__}: {error}".splitlines()[0][:90])
    return Check(promise, True)


def v1_contract(http: httpx.Client) -> list[Check]:
    """Run what an old v1 client relies on against the server behind ``http``: reading a user,
    creating one and reading it back, and a 404 for a user that does not exist."""
    client = V1Client(http)

    def read() -> None:
        user = client.get_user(1)
        assert user == {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}

    def create() -> None:
        made = client.create_user("Alan Turing", "alan@example.com")
        assert made["name"] == "Alan Turing"
        assert client.get_user(made["id"]) == made

    def missing() -> None:
        assert http.get("/v1/users/999999").status_code == 404

    def email_is_a_string() -> None:
        body = http.get("/v1/users/2").json()
        assert isinstance(body["email"], str), "email must be a string in v1"

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ServerDeprecationWarning)
        return [
            _check("GET /v1/users/1 gives id, name and email", read),
            _check("POST /v1/users, then GET it back", create),
            _check("GET /v1/users/999999 is a 404", missing),
            _check("email is always a string", email_is_a_string),
        ]
