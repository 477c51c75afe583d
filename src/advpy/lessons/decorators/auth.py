"""Authentication and authorisation as decorators on the views of a real HTTP app.

``token_required`` reads ``Authorization: Bearer <token>``, looks the token up, and answers
**401** (with ``WWW-Authenticate: Bearer``) when it is missing or unknown; otherwise it calls
the view with the user it found. ``role_required(role)`` answers **403** to a known user who
lacks the role. Tokens here are opaque random strings in a table; lesson 11 replaces the table
with signed JWTs.

``make_app()`` builds the app the lesson serves. Its ``/export`` route shows a classic mistake:
the guard is stacked *above* ``@router.route``, so the router registered the bare view.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from advpy.lessons.decorators.server import Request, Response, Router


@dataclass(frozen=True)
class User:
    """Who a token belongs to, and what they may do."""

    name: str
    roles: frozenset[str]


#: Opaque tokens and their users. A real service keeps hashes of them, or signs them (JWT).
TOKENS: dict[str, User] = {
    "tok-ada-6Jq2vXw9": User("ada", frozenset({"viewer"})),
    "tok-grace-R4mT8sLp": User("grace", frozenset({"viewer", "admin"})),
}

#: A view that has been through token_required: it receives the user as well.
UserView = Callable[[Request, User], Response]


def user_for(header: str) -> User | None:
    """The user an ``Authorization`` header value names, or ``None``.

    Only the ``Bearer`` scheme is accepted. Every known token is compared with
    ``hmac.compare_digest``, whose time does not depend on how many leading characters match,
    so response times do not leak a token character by character."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    found = None
    for known, user in TOKENS.items():
        if hmac.compare_digest(known.encode(), token.strip().encode()):
            found = user
    return found


def token_required(view: UserView) -> Callable[[Request], Response]:
    """Guard ``view``: 401 without a valid bearer token, else ``view(request, user)``."""

    @functools.wraps(view)
    def guarded(request: Request) -> Response:
        user = user_for(request.headers.get("authorization", ""))
        if user is None:
            return Response(
                401, {"error": "missing or invalid token"}, {"WWW-Authenticate": "Bearer"}
            )
        return view(request, user)

    return guarded


def role_required(role: str) -> Callable[[UserView], UserView]:
    """Guard a view that already has a user: 403 unless the user holds ``role``.

    Stack it *below* ``token_required``, which finds the user it checks."""

    def decorate(view: UserView) -> UserView:
        @functools.wraps(view)
        def checked(request: Request, user: User) -> Response:
            if role not in user.roles:
                return Response(403, {"error": f"{user.name} needs the {role} role"})
            return view(request, user)

        return checked

    return decorate


def make_app() -> Router:
    """The lesson's app: an open ``/health``, ``/reports`` for any user, ``/admin`` for
    admins, and ``/export``, whose guard is in the wrong place."""
    router = Router()

    @router.route("/health")
    def health(request: Request) -> Response:
        return Response(200, {"status": "ok"})

    @router.route("/reports")
    @token_required
    def reports(request: Request, user: User) -> Response:
        return Response(200, {"reports": ["q1", "q2"], "for": user.name})

    @router.route("/admin")
    @token_required
    @role_required("admin")
    def admin(request: Request, user: User) -> Response:
        return Response(200, {"users": sorted(u.name for u in TOKENS.values())})

    # Wrong place: token_required is applied after the router registered the bare view.
    # (mypy notices: route() returns a view taking only the request.)
    @token_required  # type: ignore[arg-type]
    @router.route("/export")
    def export(request: Request, user: User | None = None) -> Response:
        return Response(200, {"export": "every customer's e-mail address"})

    return router
