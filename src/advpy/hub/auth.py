"""The trial's authenticator: each user logs in with the password generated for them.

For a real class, use an authenticator of your own (your institution's OAuth, LDAP, or PAM
with the users' own passwords): see the README's instructor section.
"""

from __future__ import annotations

import hmac
from typing import Any

from jupyterhub.auth import Authenticator
from traitlets import Dict, Unicode


class TrialAuthenticator(Authenticator):  # type: ignore[misc]
    """Accepts a user whose password is the one in :attr:`passwords`; no one else."""

    passwords = Dict(
        key_trait=Unicode(), value_trait=Unicode(), config=True, help="user name -> password"
    )

    async def authenticate(self, handler: Any, data: dict[str, str]) -> str | None:
        name = data.get("username", "")
        expected = self.passwords.get(name)
        given = data.get("password", "")
        if expected is None or not hmac.compare_digest(expected.encode(), given.encode()):
            return None
        return name
