# %% [markdown]
# # ps20 · API versioning: negotiation, breaking changes, deprecation headers (25 points)
#
# Three pieces of a versioned HTTP API, each from
# [20 · API versioning](../20_api_versioning.ipynb), written as plain functions so that every
# rule can be checked exactly:
#
# - **Part A** · `negotiate_version(path, headers, supported, default)`: which version a
#   request asks for, from its URL prefix, its `Accept` media type or its `API-Version`
#   header, and which error status to answer when it cannot be served (8 points);
# - **Part B** · `classify_changes(old, new)`: the differences between two descriptions of an
#   API, each marked breaking or not for the clients of the old one (9 points);
# - **Part C** · `render_user(user, version, policy, now)`: one stored user rendered for v1 or
#   v2, with the `Deprecation`, `Sunset` and `Link` headers of RFC 9745 and RFC 8594, and
#   `410 Gone` after the sunset (8 points).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it defines the error Parts A and C raise, and small builders for the API
# descriptions of Part B. Try them in the scratch cells.
import re
from datetime import UTC, datetime
from email.utils import format_datetime


class VersionError(Exception):
    """A request for an API version the server cannot serve. `status` is the HTTP status code
    to answer with (400, 404 or 406); the message is for people and is not checked."""

    def __init__(self, status, message):
        super().__init__(status, message)  # both in args, so that it pickles
        self.status = status
        self.message = message

    def __str__(self):
        return f"{self.status}: {self.message}"


def field(type, required=True, enum=None):
    """One field of a request or a response in an API description (Part B): its JSON type
    ("string", "integer", "number", "boolean", "array" or "object"), whether it is required,
    and the list of values it may take (None: any value of its type)."""
    return {"type": type, "required": required, "enum": enum}


def operation(request=None, response=None):
    """One operation of an API description (Part B): its request fields (path and query
    parameters and the JSON body's properties, by name) and its response body's fields."""
    return {"request": dict(request or {}), "response": dict(response or {})}


# %% [markdown]
# ## Part A · `negotiate_version`: which version does this request want?
#
# One server answers several versions of its API, and a request can name the version in three
# places. The lesson served all three from one FastAPI app:
#
# | where | example | why |
# |---|---|---|
# | the URL prefix | `GET /v2/users/7` | easy to see, to log and to route |
# | the `Accept` media type | `Accept: application/vnd.shop.v2+json` | HTTP's own negotiation |
# | a custom header | `API-Version: 2` | the URL stays the same across versions |
#
# Write `negotiate_version(path, headers, supported, default)`. `path` is the request's path
# (it starts with `/`, no query string); `headers` is a dict of header names to values;
# `supported` is a list of the version numbers (ints) the server serves; `default` is the one
# it serves when the request names none (it is in `supported`). Return a tuple
# `(version, rest)`: the version to serve, and the path with the version prefix removed.
#
# ```python
# negotiate_version("/v2/users/7", {}, [1, 2], 1)                      # (2, '/users/7')
# negotiate_version("/users/7", {"Accept": "application/vnd.shop.v2+json"}, [1, 2], 1)
#                                                                      # (2, '/users/7')
# negotiate_version("/users/7", {"api-version": "2"}, [1, 2], 1)       # (2, '/users/7')
# negotiate_version("/users/7", {}, [1, 2], 1)                         # (1, '/users/7')
# negotiate_version("/v3/users/7", {}, [1, 2], 1)                      # VersionError, status 404
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **URL prefix.** The path's first segment names a version when it is a lowercase `v`
#   followed by one or more ASCII digits and nothing else (`/v2/users`, `/v2`, `/v02/x`; not
#   `/V2/users`, `/v2users`, `/v2.1/users`, `/users/v2`); the digits are read as a decimal
#   number (`v02` is 2). `rest` is the path without that segment (`/v2/users/7` gives
#   `/users/7`, `/v2/users/` gives `/users/`), and `/` when nothing is left (`/v2`, `/v2/`).
#   A path without a prefix is returned unchanged as `rest`. A prefix naming a version that
#   is not supported raises `VersionError` with status **404** (no such resource).
# - **Header names** are case-insensitive: `Accept`, `accept` and `ACCEPT` are the same header
#   (a dict never holds two spellings of one name).
# - **`Accept`** is a comma-separated list of media ranges, each with optional parameters after
#   `;` (spaces around any part are allowed). A range names a version when its media type is
#   `application/vnd.shop.v<digits>+json`, compared case-insensitively (the digits are read
#   as a decimal number). Its `q` parameter (a number from 0 to 1, default 1; the name `q` in
#   any case, `Q=0.5` included; other parameters are ignored) says how much the client wants
#   it; `q=0` means "not acceptable", and such a range is ignored as if it were absent. Other
#   ranges (`application/json`, `*/*`, ...) name no version. Among the version-naming ranges
#   that are left, consider those whose version is supported, and choose the one with the **highest
#   q**; on a tie, the one listed first. If there are version-naming ranges left but none
#   names a supported version, raise `VersionError` with status **406** (Not Acceptable).
#   If none is left, `Accept` names no version.
# - **`API-Version`**: its value, with surrounding spaces removed, must be one or more ASCII
#   digits (read as a decimal number, `02` is 2) naming a supported version; anything else
#   (`""`, `"two"`, `"2.0"`, `"-1"`, `"v2"`, an unsupported number) raises `VersionError` with
#   status **400**.
# - **Order and agreement.** Look at the sources in the order URL prefix, `Accept`,
#   `API-Version`; the first one that raises decides the error. When no source raises and
#   two or more name a version, they must all name the same one, otherwise raise `VersionError`
#   with status **400** (the request contradicts itself). When none names a version, the
#   version is `default`.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Work out each source on its own first (a version, `None` when it names none, or an error),
# then combine them. `re.fullmatch(r"v([0-9]+)", segment)` reads a prefix; `re` is imported.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Lower-case the header names once: `{name.lower(): value for name, value in headers.items()}`.
# For `Accept`, split on `,`, then each part on `;`; the first piece is the media type, the
# others are `name=value` parameters.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# For `Accept`, collect `(q, position, version)` for every version-naming range with `q > 0`;
# if the list is empty, no version; keep the supported ones; if none, 406; otherwise take the
# one with the largest `q` and, among those, the smallest position. Finally
# `stated = {v for v in (url, accept, header) if v is not None}`: more than one is a 400.
# </details>


# %% nbgrader="solution" grade_id="negotiate_version_answer"
def negotiate_version(path, headers, supported, default):
    """Return (version, rest): the API version the request names by its URL prefix, Accept
    media type or API-Version header (default when none), and the path without its prefix.
    Raise VersionError(404 / 406 / 400) as the contract says."""
    ### BEGIN SOLUTION
    headers = {name.lower(): value for name, value in headers.items()}
    rest = path
    from_url = None
    segment = path[1:].split("/", 1)[0]
    match = re.fullmatch(r"v([0-9]+)", segment)
    if match:
        from_url = int(match.group(1))
        rest = path[1 + len(segment) :] or "/"
        if from_url not in supported:
            raise VersionError(404, f"there is no version {from_url} of this API")
    from_accept = None
    offers = []
    for position, item in enumerate(headers.get("accept", "").split(",")):
        media_type, *parameters = (piece.strip() for piece in item.split(";"))
        match = re.fullmatch(r"application/vnd\.shop\.v([0-9]+)\+json", media_type, re.I)
        if not match:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                quality = float(value)
        if quality > 0:
            offers.append((quality, -position, int(match.group(1))))
    if offers:
        servable = [offer for offer in offers if offer[2] in supported]
        if not servable:
            raise VersionError(406, "none of the versions in Accept is served")
        from_accept = max(servable)[2]
    from_header = None
    if "api-version" in headers:
        value = headers["api-version"].strip()
        if not re.fullmatch(r"[0-9]+", value) or int(value) not in supported:
            raise VersionError(400, "API-Version must name a supported version")
        from_header = int(value)
    stated = {v for v in (from_url, from_accept, from_header) if v is not None}
    if len(stated) > 1:
        raise VersionError(400, "the request names different versions")
    return (stated.pop() if stated else default), rest
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
negotiate_version("/v2/users/7", {}, [1, 2], 1)

# %% [markdown]
# ### Check A1 · the URL prefix and the default (3 points)

# %% nbgrader="tests" grade_id="negotiate_version_tests_url" points=3
"""negotiate_version reads the /vN prefix, removes it from the path, falls back to the default,
and answers 404 for a prefix naming a version that is not served."""
from advpy.checks import expect_raises, expect_same

expect_same(
    negotiate_version("/v2/users/7", {}, [1, 2], 1),
    (2, "/users/7"),
    'negotiate_version("/v2/users/7", {}, [1, 2], 1)',
    show=True,
)
expect_same(
    negotiate_version("/users/7", {}, [1, 2], 1),
    (1, "/users/7"),
    'negotiate_version("/users/7", {}, [1, 2], 1)',
    show=True,
)
error = expect_raises(
    lambda: negotiate_version("/v3/users/7", {}, [1, 2], 1),
    VersionError,
    "a URL prefix naming an unsupported version must raise VersionError",
)
expect_same(error.status, 404, "the status for an unsupported URL version", show=True)
### BEGIN HIDDEN TESTS
for _path, _expected in [
    ("/v1/users", (1, "/users")),
    ("/v2", (2, "/")),
    ("/v2/", (2, "/")),
    ("/v2/users/", (2, "/users/")),
    ("/v02/users", (2, "/users")),
    ("/v10/orders/5/lines", (10, "/orders/5/lines")),
]:
    expect_same(
        negotiate_version(_path, {}, [1, 2, 10], 1),
        _expected,
        "a /vN prefix must give N and the path without the prefix (or '/' when nothing is left)",
    )
for _path in ["/V2/users", "/v2users", "/v2.1/users", "/users/v2", "/version/2", "/", "/v/x"]:
    expect_same(
        negotiate_version(_path, {}, [1, 2], 2),
        (2, _path),
        "a path whose first segment is not exactly a lowercase v and digits names no version: "
        "the default, and the path unchanged",
    )
expect_same(
    negotiate_version("/users", {}, [3, 4], 3),
    (3, "/users"),
    "without any version in the request, the version must be the default given",
)
for _path in ["/v0/users", "/v9", "/v3/"]:
    _error = expect_raises(
        lambda _path=_path: negotiate_version(_path, {}, [1, 2], 1),
        VersionError,
        "a URL prefix naming an unsupported version (0 included) must raise VersionError",
    )
    expect_same(_error.status, 404, "an unsupported URL version must give status 404")
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · the `Accept` media type and the `API-Version` header (3 points)

# %% nbgrader="tests" grade_id="negotiate_version_tests_headers" points=3
"""negotiate_version reads the vendor media type in Accept (highest q among the supported ones)
and the API-Version header, with header names in any case."""
from advpy.checks import expect_same

expect_same(
    negotiate_version("/users/7", {"Accept": "application/vnd.shop.v2+json"}, [1, 2], 1),
    (2, "/users/7"),
    "Accept: application/vnd.shop.v2+json",
    show=True,
)
expect_same(
    negotiate_version("/users/7", {"api-version": "2"}, [1, 2], 1),
    (2, "/users/7"),
    'a header named "api-version" (any case) set to "2"',
    show=True,
)
accept = "application/vnd.shop.v1+json;q=0.5, application/vnd.shop.v2+json"
expect_same(
    negotiate_version("/users", {"Accept": accept}, [1, 2], 1),
    (2, "/users"),
    f"Accept: {accept} (the highest q wins)",
    show=True,
)
### BEGIN HIDDEN TESTS
_cases = [
    ("application/json", 1),
    ("text/html, */*;q=0.8", 1),
    ("Application/VND.Shop.V2+JSON", 2),
    ("  application/vnd.shop.v2+json ; q=0.7  ", 2),
    ("application/vnd.shop.v2+json;q=0.8, application/vnd.shop.v1+json;q=0.8", 2),
    ("application/vnd.shop.v1+json;q=0.8, application/vnd.shop.v2+json;q=0.8", 1),
    ("application/vnd.shop.v1+json;q=0.3, application/vnd.shop.v2+json;q=0.9", 2),
    ("application/vnd.shop.v2+json;q=0.2, application/vnd.shop.v1+json;q=0.25", 1),
    ("application/vnd.shop.v2+json; Q=0.1, application/vnd.shop.v1+json", 1),
    ("application/vnd.shop.v3+json, application/vnd.shop.v2+json;q=0.1", 2),
    ("application/vnd.shop.v2+json;q=0, application/vnd.shop.v1+json;q=0.1", 1),
    ("application/vnd.shop.v2+json;q=0", 1),
    ("application/vnd.shop.v2+json;q=0.0", 1),
    ("application/vnd.shop.v2+xml, application/vnd.shop.v+json", 1),
    ("application/vnd.shop.v2+json;charset=utf-8;q=1", 2),
    ("application/vnd.shop.v02+json", 2),
    ("", 1),
]
for _accept, _version in _cases:
    for _name in ("Accept", "accept", "ACCEPT"):
        expect_same(
            negotiate_version("/users", {_name: _accept}, [1, 2], 1),
            (_version, "/users"),
            "a version named in Accept was not chosen as the contract says (vendor type "
            "compared case-insensitively, highest q among supported versions, first on a tie, "
            "q=0 ignored, other types naming no version)",
        )
for _value, _version in [("1", 1), (" 2 ", 2), ("02", 2)]:
    for _name in ("API-Version", "api-version", "Api-Version"):
        expect_same(
            negotiate_version("/orders", {_name: _value}, [1, 2], 2 if _version == 1 else 1),
            (_version, "/orders"),
            "the API-Version header (any case, spaces around it allowed) must give its version",
        )
expect_same(
    negotiate_version(
        "/v2/users", {"Accept": "application/vnd.shop.v2+json", "API-Version": "2"}, [1, 2], 1
    ),
    (2, "/users"),
    "three sources that name the same version must agree and give it",
)
expect_same(
    negotiate_version("/users", {"Accept": "application/json", "API-Version": "2"}, [1, 2], 1),
    (2, "/users"),
    "an Accept without a vendor type names no version, so API-Version decides",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · errors: 406, 400, contradictions and their order (2 points)

# %% nbgrader="tests" grade_id="negotiate_version_tests_errors" points=2
"""negotiate_version answers 406 for an Accept with no servable version, 400 for a bad or
unsupported API-Version and for sources that disagree, and checks URL, Accept, API-Version in
that order."""
from advpy.checks import expect_raises, expect_same

error = expect_raises(
    lambda: negotiate_version("/users", {"Accept": "application/vnd.shop.v3+json"}, [1, 2], 1),
    VersionError,
    "an Accept naming only unsupported versions must raise VersionError",
)
expect_same(error.status, 406, "the status for an Accept with no servable version", show=True)
error = expect_raises(
    lambda: negotiate_version("/v1/users", {"API-Version": "2"}, [1, 2], 1),
    VersionError,
    "a URL naming v1 with API-Version: 2 must raise VersionError",
)
expect_same(error.status, 400, "the status for sources that disagree", show=True)


### BEGIN HIDDEN TESTS
def _status_of(path, headers, supported=(1, 2), default=1):
    _error = expect_raises(
        lambda: negotiate_version(path, headers, list(supported), default),
        VersionError,
        "a request the contract says cannot be served must raise VersionError",
    )
    return _error.status


for _value in ["", "   ", "two", "2.0", "-1", "v2", "3", "0", "+2", "²"]:
    expect_same(
        _status_of("/users", {"API-Version": _value}),
        400,
        "an API-Version that is not ASCII digits naming a supported version must give 400",
    )
for _accept in [
    "application/vnd.shop.v3+json",
    "application/vnd.shop.v3+json, application/vnd.shop.v0+json;q=0.5",
    "application/json, application/vnd.shop.v9+json",
    "application/vnd.shop.v3+json;q=0.9, application/vnd.shop.v2+json;q=0",
]:
    expect_same(
        _status_of("/users", {"Accept": _accept}),
        406,
        "version-naming ranges with q > 0 of which none is supported must give 406",
    )
for _path, _headers in [
    ("/v1/users", {"Accept": "application/vnd.shop.v2+json"}),
    ("/users", {"Accept": "application/vnd.shop.v2+json", "api-version": "1"}),
    ("/v2/users", {"Accept": "application/vnd.shop.v2+json", "API-Version": "1"}),
    ("/v2/users", {"Accept": "application/vnd.shop.v1+json", "API-Version": "2"}),
    (
        "/v2/users",
        {"Accept": "application/vnd.shop.v1+json;q=0.5, application/vnd.shop.v2+json;q=0.4"},
    ),
]:
    expect_same(
        _status_of(_path, _headers),
        400,
        "sources that name different (supported) versions must give 400",
    )
expect_same(
    _status_of("/v3/users", {"Accept": "application/vnd.shop.v9+json", "API-Version": "x"}),
    404,
    "when several sources are wrong, the URL prefix is checked first",
)
expect_same(
    _status_of("/users", {"Accept": "application/vnd.shop.v9+json", "API-Version": "x"}),
    406,
    "when Accept and API-Version are both wrong, Accept is checked first",
)
expect_same(
    _status_of("/v1/users", {"Accept": "application/vnd.shop.v9+json"}),
    406,
    "an Accept with no servable version must give 406 even when the URL names a good version",
)
expect_same(
    _status_of("/v1/users", {"API-Version": "nine"}),
    400,
    "a malformed API-Version must give 400 even when the URL names a good version",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `classify_changes`: which changes break old clients?
#
# An API is a promise. A client written against v1 keeps sending v1's requests and reading
# v1's responses long after the server has moved on, so each change to the server is either
# **backward compatible** (every old client still works) or **breaking**. The lesson turned
# the OpenAPI documents its app generated into **API descriptions**, and so does this part:
#
# ```python
# {
#     "GET /users/{user_id}": operation(
#         request={"user_id": field("integer")},
#         response={"id": field("integer"), "name": field("string"),
#                   "status": field("string", enum=["active", "blocked"])},
#     ),
#     "POST /users": operation(request={"name": field("string")}, response={...}),
# }
# ```
#
# A description maps each operation, `"METHOD /path"`, to `{"request": {...}, "response":
# {...}}`, each a dict from field name to `{"type": ..., "required": ..., "enum": ...}` (the
# setup cell's `field` and `operation` build them). Write `classify_changes(old, new)`: it
# returns a list of tuples `(operation, where, change, breaking)`, one per difference, **in any
# order**, each difference once. `where` is `None` for a whole operation, and otherwise
# `"request.NAME"` or `"response.NAME"`; `change` is one of the words below; `breaking` is
# `True` or `False`. Identical descriptions give `[]`.
#
# Each `change`, when it is reported, and when it is breaking for old clients:
#
# - `"operation removed"`: in `old`, not in `new`. Always breaking; nothing more is listed
#   for that operation.
# - `"operation added"`: in `new`, not in `old`. Never breaking; nothing more is listed for it.
# - `"field removed"`: in `old` only. Breaking in a response; never in a request (servers
#   ignore the fields they no longer read).
# - `"field added"`: in `new` only. Breaking in a request when it is required; never in a
#   response (tolerant readers skip fields they do not know).
# - `"made required"`: `required` went from `False` to `True`. Breaking in a request; never
#   in a response.
# - `"made optional"`: `required` went from `True` to `False`. Breaking in a response; never
#   in a request.
# - `"type changed"`: `type` differs. Always breaking, except `"integer"` to `"number"` in a
#   request (it accepts more) and `"number"` to `"integer"` in a response (it sends less).
# - `"enum changed"`: the allowed values differ. Breaking in a request when some value
#   allowed before is not allowed now; in a response when some value may be sent now that
#   could not be sent before.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - operations are compared by their key; two operations with the same key are compared
#   field by field, separately in `request` and `response` (a name in both is two fields);
# - a field present on both sides can have several differences at once, each its own tuple
#   (a field whose `required`, `type` and `enum` all changed gives three);
# - `enum` is `None` (any value of the type) or a non-empty list; lists are compared as sets
#   (the order of the values is not a change). `None` allows every value: going from a list to
#   `None` allows more values, from `None` to a list allows fewer;
# - the arguments are not modified.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# The rules are symmetrical: a request is what old clients **send** (the new server must accept
# at least as much as before), a response is what they **read** (the new server must send no
# more than they expect).
# </details>
#
# <details><summary>Hint 2</summary>
#
# Write a helper `allowed(enum)` that turns `None` into a marker for "everything" and a list
# into a `set`; "new allows everything old allowed" is then `new is None or (old is not None
# and set(old) <= set(new))`.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# Loop over `sorted(old.keys() | new.keys())`; for an operation in both, loop over
# `("request", "response")`, then over the union of the field names; `sent = side ==
# "request"`. For `required`: `(was, now)` gives `"made required"` (breaking when `sent`) or
# `"made optional"` (breaking when not `sent`).
# </details>


# %% nbgrader="solution" grade_id="classify_changes_answer"
def classify_changes(old, new):
    """Return a list of (operation, where, change, breaking) tuples, one per difference between
    the API descriptions old and new, marked breaking when clients of old may fail."""

    ### BEGIN SOLUTION
    def widened(before, after):  # after allows every value before allowed
        return after is None or (before is not None and set(before) <= set(after))

    changes = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            changes.append((key, None, "operation removed", True))
            continue
        if key not in old:
            changes.append((key, None, "operation added", False))
            continue
        for side in ("request", "response"):
            sent = side == "request"
            before, after = old[key][side], new[key][side]
            for name in sorted(before.keys() | after.keys()):
                where = f"{side}.{name}"
                if name not in after:
                    changes.append((key, where, "field removed", not sent))
                    continue
                if name not in before:
                    changes.append((key, where, "field added", sent and after[name]["required"]))
                    continue
                was, now = before[name], after[name]
                if was["required"] != now["required"]:
                    if now["required"]:
                        changes.append((key, where, "made required", sent))
                    else:
                        changes.append((key, where, "made optional", not sent))
                if was["type"] != now["type"]:
                    safe = ("integer", "number") if sent else ("number", "integer")
                    changes.append((key, where, "type changed", (was["type"], now["type"]) != safe))
                if not (widened(was["enum"], now["enum"]) and widened(now["enum"], was["enum"])):
                    if sent:
                        breaking = not widened(was["enum"], now["enum"])
                    else:
                        breaking = not widened(now["enum"], was["enum"])
                    changes.append((key, where, "enum changed", breaking))
    return changes
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
before = {"GET /users/{user_id}": operation(response={"name": field("string")})}
after = {"GET /users/{user_id}": operation(response={"full_name": field("string")})}
classify_changes(before, after)

# %% [markdown]
# ### Check B1 · operations and fields added or removed (3 points)
# Results are compared in any order.

# %% nbgrader="tests" grade_id="classify_changes_tests_added_removed" points=3
"""classify_changes lists removed and added operations and fields, breaking exactly as the
list says, and nothing for identical descriptions."""
from advpy.checks import expect_list_of, expect_same

USER_V1 = {
    "GET /users/{user_id}": operation(
        request={"user_id": field("integer")},
        response={"id": field("integer"), "name": field("string"), "email": field("string")},
    ),
    "DELETE /users/{user_id}": operation(request={"user_id": field("integer")}),
}
USER_V2 = {
    "GET /users/{user_id}": operation(
        request={"user_id": field("integer"), "fields": field("string", required=False)},
        response={"id": field("integer"), "full_name": field("string"), "email": field("string")},
    ),
    "GET /users": operation(response={"items": field("array")}),
}
result = classify_changes(USER_V1, USER_V2)
expect_list_of(result, tuple, "classify_changes must return a list of tuples")
expect_same(
    sorted(result, key=repr),
    sorted(
        [
            ("DELETE /users/{user_id}", None, "operation removed", True),
            ("GET /users", None, "operation added", False),
            ("GET /users/{user_id}", "request.fields", "field added", False),
            ("GET /users/{user_id}", "response.full_name", "field added", False),
            ("GET /users/{user_id}", "response.name", "field removed", True),
        ],
        key=repr,
    ),
    "classify_changes(USER_V1, USER_V2), sorted",
    show=True,
)
expect_same(classify_changes(USER_V1, USER_V1), [], "identical descriptions", show=True)


### BEGIN HIDDEN TESTS
def _changes(old, new):
    _result = classify_changes(old, new)
    expect_list_of(_result, tuple, "classify_changes must return a list of tuples")
    return sorted(_result, key=repr)


def _expected(*items):
    return sorted(items, key=repr)


_op = "POST /orders"
expect_same(
    _changes(
        {_op: operation(request={"item": field("string")})},
        {_op: operation(request={"item": field("string"), "coupon": field("string")})},
    ),
    _expected((_op, "request.coupon", "field added", True)),
    "a new required request field must be breaking",
)
expect_same(
    _changes(
        {_op: operation(request={"item": field("string"), "note": field("string", False)})},
        {_op: operation(request={"item": field("string")})},
    ),
    _expected((_op, "request.note", "field removed", False)),
    "a request field removed must not be breaking",
)
expect_same(
    _changes(
        {_op: operation(response={"id": field("integer"), "eta": field("string", False)})},
        {_op: operation(response={"id": field("integer"), "total": field("number")})},
    ),
    _expected(
        (_op, "response.eta", "field removed", True),
        (_op, "response.total", "field added", False),
    ),
    "a response field removed must be breaking, even an optional one; one added must not",
)
expect_same(
    _changes(
        {_op: operation(request={"id": field("integer")}, response={"id": field("integer")})},
        {_op: operation(request={"key": field("integer")}, response={"id": field("integer")})},
    ),
    _expected(
        (_op, "request.id", "field removed", False),
        (_op, "request.key", "field added", True),
    ),
    "a renamed required request field must be one removal and one breaking addition",
)
expect_same(
    _changes(
        {_op: operation(request={"id": field("integer")})},
        {_op: operation(response={"id": field("integer")})},
    ),
    _expected(
        (_op, "request.id", "field removed", False),
        (_op, "response.id", "field added", False),
    ),
    "the same name in request and response must be two different fields",
)
expect_same(_changes({}, {}), [], "two empty descriptions have no difference")
_both = {_op: operation(request={"a": field("string")}), "GET /x": operation()}
expect_same(
    _changes({}, _both),
    _expected((_op, None, "operation added", False), ("GET /x", None, "operation added", False)),
    "operations added to an empty API must be listed once each, with nothing for their fields",
)
expect_same(
    _changes(_both, {}),
    _expected((_op, None, "operation removed", True), ("GET /x", None, "operation removed", True)),
    "operations removed must be listed once each, with nothing for their fields",
)
expect_same(
    _changes(
        {"GET /a": operation(), "GET /b": operation()},
        {"GET /b": operation(), "GET /c": operation()},
    ),
    _expected(
        ("GET /a", None, "operation removed", True), ("GET /c", None, "operation added", False)
    ),
    "operations present on both sides with no change must give nothing",
)
_old = {_op: operation(request={"a": field("string")}, response={"b": field("boolean")})}
_snapshot = {_op: operation(request={"a": field("string")}, response={"b": field("boolean")})}
classify_changes(_old, {})
expect_same(_old, _snapshot, "classify_changes must not modify its arguments")
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · required, optional and types (3 points)

# %% nbgrader="tests" grade_id="classify_changes_tests_required_types" points=3
"""classify_changes reports fields made required or optional and changed types, breaking for a
request when it accepts less and for a response when it may send more."""
from advpy.checks import expect_same

OP = "POST /users"
old = {
    OP: operation(
        request={"age": field("integer", required=False)}, response={"age": field("integer")}
    )
}
new = {
    OP: operation(
        request={"age": field("integer", required=True)},
        response={"age": field("number", required=True)},
    )
}
expect_same(
    sorted(classify_changes(old, new), key=repr),
    sorted(
        [
            (OP, "request.age", "made required", True),
            (OP, "response.age", "type changed", True),
        ],
        key=repr,
    ),
    "an optional request field made required, an integer response field made a number",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect_list_of as _expect_list_of


def _changes(old, new):
    _result = classify_changes(old, new)
    _expect_list_of(_result, tuple, "classify_changes must return a list of tuples")
    return sorted(_result, key=repr)


def _expected(*items):
    return sorted(items, key=repr)


_op = "POST /orders"
for _side, _was, _now, _change, _breaking in [
    ("request", True, False, "made optional", False),
    ("request", False, True, "made required", True),
    ("response", True, False, "made optional", True),
    ("response", False, True, "made required", False),
]:
    expect_same(
        _changes(
            {_op: operation(**{_side: {"f": field("string", _was)}})},
            {_op: operation(**{_side: {"f": field("string", _now)}})},
        ),
        _expected((_op, f"{_side}.f", _change, _breaking)),
        "a change of required was not reported as the list says (which side breaks?)",
    )
for _side, _was, _now, _breaking in [
    ("request", "integer", "number", False),
    ("request", "number", "integer", True),
    ("response", "number", "integer", False),
    ("response", "integer", "number", True),
    ("request", "string", "integer", True),
    ("response", "integer", "string", True),
    ("request", "array", "object", True),
    ("response", "boolean", "string", True),
]:
    expect_same(
        _changes(
            {_op: operation(**{_side: {"f": field(_was)}})},
            {_op: operation(**{_side: {"f": field(_now)}})},
        ),
        _expected((_op, f"{_side}.f", "type changed", _breaking)),
        "a type change was not classified as the list says (only integer -> number in a "
        "request and number -> integer in a response are safe)",
    )
expect_same(
    _changes(
        {
            _op: operation(
                request={"q": field("integer", False)}, response={"q": field("integer", False)}
            )
        },
        {
            _op: operation(
                request={"q": field("number", True)}, response={"q": field("number", True)}
            )
        },
    ),
    _expected(
        (_op, "request.q", "made required", True),
        (_op, "request.q", "type changed", False),
        (_op, "response.q", "made required", False),
        (_op, "response.q", "type changed", True),
    ),
    "a field with two differences must give one tuple for each",
)
expect_same(
    _changes(
        {_op: operation(request={"q": field("number", True)})},
        {_op: operation(request={"q": field("number", True)})},
    ),
    [],
    "an unchanged field must give nothing",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · allowed values (enum) (3 points)

# %% nbgrader="tests" grade_id="classify_changes_tests_enums" points=3
"""classify_changes compares enums as sets (None allows everything): breaking for a request
that allows fewer values and for a response that may send new ones."""
from advpy.checks import expect_same

OP = "GET /orders/{order_id}"
old = {OP: operation(response={"status": field("string", enum=["paid", "shipped"])})}
new = {OP: operation(response={"status": field("string", enum=["paid", "shipped", "refunded"])})}
expect_same(
    classify_changes(old, new),
    [(OP, "response.status", "enum changed", True)],
    "a response enum that gained a value (old clients may not know it)",
    show=True,
)
expect_same(
    classify_changes(
        old, {OP: operation(response={"status": field("string", enum=["shipped", "paid"])})}
    ),
    [],
    "the same values in another order",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import expect_list_of as _expect_list_of


def _changes(old, new):
    _result = classify_changes(old, new)
    _expect_list_of(_result, tuple, "classify_changes must return a list of tuples")
    return sorted(_result, key=repr)


def _expected(*items):
    return sorted(items, key=repr)


_op = "POST /orders"
for _side, _was, _now, _breaking in [
    ("request", ["a", "b"], ["a", "b", "c"], False),
    ("request", ["a", "b", "c"], ["a", "b"], True),
    ("request", ["a", "b"], ["a", "c"], True),
    ("request", ["a"], None, False),
    ("request", None, ["a", "b"], True),
    ("response", ["a", "b"], ["a", "b", "c"], True),
    ("response", ["a", "b", "c"], ["b", "a"], False),
    ("response", ["a", "b"], ["b", "c"], True),
    ("response", ["a"], None, True),
    ("response", None, ["a"], False),
    ("response", [1, 2], [2], False),
]:
    expect_same(
        _changes(
            {_op: operation(**{_side: {"f": field("string", enum=_was)}})},
            {_op: operation(**{_side: {"f": field("string", enum=_now)}})},
        ),
        _expected((_op, f"{_side}.f", "enum changed", _breaking)),
        "an enum change was not classified as the list says (None allows every value; a "
        "request must keep accepting every old value, a response must send no new value)",
    )
for _side in ("request", "response"):
    expect_same(
        _changes(
            {_op: operation(**{_side: {"f": field("string", enum=["x", "y", "z"])}})},
            {_op: operation(**{_side: {"f": field("string", enum=["z", "x", "y"])}})},
        ),
        [],
        "an enum with the same values in another order has not changed",
    )
    expect_same(
        _changes(
            {_op: operation(**{_side: {"f": field("string", enum=None)}})},
            {_op: operation(**{_side: {"f": field("string", enum=None)}})},
        ),
        [],
        "two enums that are both None have not changed",
    )
expect_same(
    _changes(
        {_op: operation(response={"s": field("integer", True, [1, 2])})},
        {_op: operation(response={"s": field("string", False, [1, 2, 3])})},
    ),
    _expected(
        (_op, "response.s", "made optional", True),
        (_op, "response.s", "type changed", True),
        (_op, "response.s", "enum changed", True),
    ),
    "a field whose required, type and enum all changed must give three tuples",
)
_v1 = {
    "GET /users/{user_id}": operation(
        request={"user_id": field("integer")},
        response={
            "id": field("integer"),
            "name": field("string"),
            "status": field("string", enum=["active", "blocked"]),
        },
    ),
    "POST /users": operation(
        request={"name": field("string"), "role": field("string", False, ["admin", "user"])},
        response={"id": field("integer")},
    ),
}
_v2 = {
    "GET /users/{user_id}": operation(
        request={"user_id": field("integer")},
        response={
            "id": field("integer"),
            "given_name": field("string"),
            "family_name": field("string"),
            "status": field("string", False, ["active", "blocked", "deleted"]),
        },
    ),
    "POST /users": operation(
        request={
            "given_name": field("string"),
            "family_name": field("string", False),
            "role": field("string", False, ["admin", "user", "guest"]),
        },
        response={"id": field("integer")},
    ),
    "GET /users": operation(response={"items": field("array")}),
}
expect_same(
    _changes(_v1, _v2),
    _expected(
        ("GET /users", None, "operation added", False),
        ("GET /users/{user_id}", "response.name", "field removed", True),
        ("GET /users/{user_id}", "response.given_name", "field added", False),
        ("GET /users/{user_id}", "response.family_name", "field added", False),
        ("GET /users/{user_id}", "response.status", "made optional", True),
        ("GET /users/{user_id}", "response.status", "enum changed", True),
        ("POST /users", "request.name", "field removed", False),
        ("POST /users", "request.given_name", "field added", True),
        ("POST /users", "request.family_name", "field added", False),
        ("POST /users", "request.role", "enum changed", False),
    ),
    "a whole v1 -> v2 comparison gave wrong tuples",
)
expect_same(
    _changes(_v2, _v1),
    _expected(
        ("GET /users", None, "operation removed", True),
        ("GET /users/{user_id}", "response.name", "field added", False),
        ("GET /users/{user_id}", "response.given_name", "field removed", True),
        ("GET /users/{user_id}", "response.family_name", "field removed", True),
        ("GET /users/{user_id}", "response.status", "made required", False),
        ("GET /users/{user_id}", "response.status", "enum changed", False),
        ("POST /users", "request.name", "field added", True),
        ("POST /users", "request.given_name", "field removed", False),
        ("POST /users", "request.family_name", "field removed", False),
        ("POST /users", "request.role", "enum changed", True),
    ),
    "a whole v2 -> v1 comparison gave wrong tuples",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `render_user`: one handler, two versions, and the end of v1
#
# The shop stores a user once, and v1 and v2 are two **representations** of the same record.
# v1 had a single `name` and promised `email` as a string; v2 splits the name and lets
# `email` be `null`. One handler serves both: it loads the record and renders it for the
# version negotiated. Old versions are retired in public: from its **deprecation** date a
# version is discouraged, and at its **sunset** it stops answering. Servers say so in
# headers on every response of that version:
#
# - `Deprecation` (RFC 9745): the deprecation date as a structured-field date, `@` followed
#   by the Unix time in whole seconds: `Deprecation: @1767225600` for 2026-01-01 00:00:00 UTC.
#   The date may be in the future (the version *will be* deprecated then).
# - `Sunset` (RFC 8594): when the version stops answering, as an HTTP date (IMF-fixdate, always
#   in GMT): `Sunset: Thu, 31 Dec 2026 23:59:59 GMT`.
# - `Link` (RFC 8288) with the relation `successor-version` (RFC 5829): where the same
#   resource lives in the version that replaces it: `Link: </v2/users/7>;
#   rel="successor-version"`.
#
# Write `render_user(user, version, policy, now)`, which returns a tuple
# `(status, headers, body)`:
#
# ```python
# user = {"id": 7, "given_name": "Ada", "family_name": "Lovelace",
#         "email": "ada@example.com", "password_hash": "..."}
# policy = {
#     1: {"deprecated": "2026-01-01T00:00:00Z", "sunset": "2026-12-31T23:59:59Z", "successor": 2},
#     2: {"deprecated": None, "sunset": None, "successor": None},
# }
# render_user(user, 2, policy, "2026-06-01T12:00:00Z")
# # (200, {"Content-Type": "application/vnd.shop.v2+json"},
# #  {"id": 7, "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"})
# render_user(user, 1, policy, "2026-06-01T12:00:00Z")
# # (200, {"Content-Type": "application/vnd.shop.v1+json", "Deprecation": "@1767225600",
# #        "Sunset": "Thu, 31 Dec 2026 23:59:59 GMT",
# #        "Link": '</v2/users/7>; rel="successor-version"'},
# #  {"id": 7, "name": "Ada Lovelace", "email": "ada@example.com"})
# ```
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - `user` has the keys `id` (int), `given_name` and `family_name` (str, possibly empty),
#   `email` (str or `None`), and possibly others (internal ones such as `password_hash`),
#   which appear in no version's body. `user` is not modified.
# - `policy` maps each version served (only 1 and 2 ever appear) to a dict with the keys
#   `deprecated`, `sunset` (each an ISO 8601 date-time with a UTC offset, `Z` or `±HH:MM`, in
#   whole seconds, or `None`) and `successor` (a version number or `None`). A `version` that is
#   not a key of `policy` raises `VersionError` with status **404**.
# - **v2 body**: exactly the keys `id`, `given_name`, `family_name`, `email`, with the stored
#   values. **v1 body**: exactly `id`; `name`, the given and family names joined by one space,
#   leaving out an empty one (`"Ada"` and `""` give `"Ada"`, two empty ones give `""`); and
#   `email`, with `None` shown as `""` (v1 promised a string).
# - **Headers**, a dict with exactly these keys: `Content-Type` is always
#   `application/vnd.shop.v<version>+json`; `Deprecation` is present when the version's
#   `deprecated` is not `None` (whether that date has passed or not); `Sunset` when its `sunset`
#   is not `None`; `Link`, exactly `</v<successor>/users/<id>>; rel="successor-version"`, when
#   its `successor` is not `None`. Dates are converted to UTC: a time given with an offset is
#   the same instant as its UTC equivalent.
# - **Status**: `now` is an ISO date-time like those in `policy`. At or after the sunset
#   instant (`now >= sunset`), the status is **410** and the body is exactly
#   `{"detail": "version <version> is retired"}`, with the same headers as before; otherwise
#   the status is **200** with the body above.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# `datetime.fromisoformat` reads `2026-12-31T23:59:59Z` and `...+02:00` into a date-time that
# knows its offset; two such values compare as instants, whatever their offsets.
# </details>
#
# <details><summary>Hint 2</summary>
#
# An aware date-time's `.timestamp()` is the Unix time; `int(...)` of it gives whole seconds.
# `email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)` writes an
# IMF-fixdate (both are imported in the setup cell).
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# Build the headers first, then `if rules["sunset"] is not None and now >= sunset:` return 410;
# otherwise the body: v1 `" ".join(part for part in (given, family) if part)` and
# `email if email is not None else ""`.
# </details>


# %% nbgrader="solution" grade_id="render_user_answer"
def render_user(user, version, policy, now):
    """Return (status, headers, body): the stored user rendered for the API version, with the
    Deprecation, Sunset and Link headers its policy calls for, and 410 after the sunset."""
    ### BEGIN SOLUTION
    if version not in policy:
        raise VersionError(404, f"version {version} is not served")
    rules = policy[version]
    headers = {"Content-Type": f"application/vnd.shop.v{version}+json"}
    if rules["deprecated"] is not None:
        deprecated = datetime.fromisoformat(rules["deprecated"])
        headers["Deprecation"] = f"@{int(deprecated.timestamp())}"
    sunset = None
    if rules["sunset"] is not None:
        sunset = datetime.fromisoformat(rules["sunset"])
        headers["Sunset"] = format_datetime(sunset.astimezone(UTC), usegmt=True)
    if rules["successor"] is not None:
        headers["Link"] = f'</v{rules["successor"]}/users/{user["id"]}>; rel="successor-version"'
    if sunset is not None and datetime.fromisoformat(now) >= sunset:
        return 410, headers, {"detail": f"version {version} is retired"}
    if version == 1:
        name = " ".join(part for part in (user["given_name"], user["family_name"]) if part)
        email = user["email"] if user["email"] is not None else ""
        body = {"id": user["id"], "name": name, "email": email}
    else:
        body = {key: user[key] for key in ("id", "given_name", "family_name", "email")}
    return 200, headers, body
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
ada = {"id": 7, "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"}
plan = {
    1: {"deprecated": "2026-01-01T00:00:00Z", "sunset": "2026-12-31T23:59:59Z", "successor": 2},
    2: {"deprecated": None, "sunset": None, "successor": None},
}
render_user(ada, 1, plan, "2026-06-01T12:00:00Z")

# %% [markdown]
# ### Check C1 · the two bodies (3 points)

# %% nbgrader="tests" grade_id="render_user_tests_bodies" points=3
"""render_user renders the stored user as v1 (one name, email always a string) and as v2
(the stored fields), with no other keys, and raises 404 for a version the policy does not
serve."""
from advpy.checks import expect_raises, expect_same

POLICY = {
    1: {"deprecated": "2026-01-01T00:00:00Z", "sunset": "2026-12-31T23:59:59Z", "successor": 2},
    2: {"deprecated": None, "sunset": None, "successor": None},
}
ADA = {
    "id": 7,
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "password_hash": "$argon2id$...",
}
status, headers, body = render_user(ADA, 2, POLICY, "2026-06-01T12:00:00Z")
expect_same(status, 200, "the status of a v2 response", show=True)
expect_same(
    body,
    {"id": 7, "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"},
    "the v2 body (no internal keys such as password_hash)",
    show=True,
)
status, headers, body = render_user(ADA, 1, POLICY, "2026-06-01T12:00:00Z")
expect_same(
    body, {"id": 7, "name": "Ada Lovelace", "email": "ada@example.com"}, "the v1 body", show=True
)
error = expect_raises(
    lambda: render_user(ADA, 3, POLICY, "2026-06-01T12:00:00Z"),
    VersionError,
    "a version the policy does not serve must raise VersionError",
)
expect_same(error.status, 404, "the status for a version that is not served", show=True)
### BEGIN HIDDEN TESTS
_now = "2026-02-01T00:00:00Z"
_open = {
    1: {"deprecated": None, "sunset": None, "successor": None},
    2: {"deprecated": None, "sunset": None, "successor": None},
}
for _given, _family, _name in [
    ("Ada", "", "Ada"),
    ("", "Curie", "Curie"),
    ("", "", ""),
    ("Grace Brewster", "Hopper", "Grace Brewster Hopper"),
]:
    _user = {"id": 0, "given_name": _given, "family_name": _family, "email": None}
    expect_same(
        render_user(_user, 1, _open, _now),
        (
            200,
            {"Content-Type": "application/vnd.shop.v1+json"},
            {"id": 0, "name": _name, "email": ""},
        ),
        "a v1 body must join the non-empty names with one space and show a None email as ''",
    )
    expect_same(
        render_user(_user, 2, _open, _now),
        (
            200,
            {"Content-Type": "application/vnd.shop.v2+json"},
            {"id": 0, "given_name": _given, "family_name": _family, "email": None},
        ),
        "a v2 body must hold the stored values, empty names and a None email included",
    )
_user = {
    "id": 12,
    "given_name": "Alan",
    "family_name": "Turing",
    "email": "",
    "password_hash": "h",
    "created": "1912-06-23",
}
expect_same(
    render_user(_user, 1, _open, _now)[2],
    {"id": 12, "name": "Alan Turing", "email": ""},
    "a v1 body must have exactly the keys id, name and email, an empty email kept as ''",
)
expect_same(
    render_user(_user, 2, _open, _now)[2],
    {"id": 12, "given_name": "Alan", "family_name": "Turing", "email": ""},
    "a v2 body must have exactly the keys id, given_name, family_name and email",
)
_only_two = {2: {"deprecated": None, "sunset": None, "successor": None}}
for _version, _policy in [(1, _only_two), (0, _open), (3, _open), (2, {})]:
    _error = expect_raises(
        lambda _version=_version, _policy=_policy: render_user(_user, _version, _policy, _now),
        VersionError,
        "a version that is not a key of the policy must raise VersionError",
    )
    expect_same(_error.status, 404, "a version that is not served must give status 404")
expect_same(
    render_user(_user, 2, _only_two, _now)[0],
    200,
    "a version in the policy must be served even when the other one is not",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · `Deprecation`, `Sunset` and `Link` (3 points)

# %% nbgrader="tests" grade_id="render_user_tests_headers" points=3
"""render_user sends Content-Type always, and Deprecation (@ Unix seconds), Sunset (HTTP date
in GMT) and Link (successor-version) exactly when the version's policy has them."""
from advpy.checks import expect_same

status, headers, body = render_user(ADA, 1, POLICY, "2026-06-01T12:00:00Z")
expect_same(
    headers,
    {
        "Content-Type": "application/vnd.shop.v1+json",
        "Deprecation": "@1767225600",
        "Sunset": "Thu, 31 Dec 2026 23:59:59 GMT",
        "Link": '</v2/users/7>; rel="successor-version"',
    },
    "the headers of a v1 response",
    show=True,
)
status, headers, body = render_user(ADA, 2, POLICY, "2026-06-01T12:00:00Z")
expect_same(
    headers,
    {"Content-Type": "application/vnd.shop.v2+json"},
    "the headers of a v2 response",
    show=True,
)
### BEGIN HIDDEN TESTS
_grace = {"id": 31, "given_name": "Grace", "family_name": "Hopper", "email": None}
_policy = {
    1: {"deprecated": "2026-03-01T09:30:00+02:00", "sunset": None, "successor": 2},
    2: {
        "deprecated": "2027-06-30T00:00:00Z",
        "sunset": "2027-06-30T02:00:00+02:00",
        "successor": None,
    },
}
expect_same(
    render_user(_grace, 1, _policy, "2025-01-01T00:00:00Z")[1],
    {
        "Content-Type": "application/vnd.shop.v1+json",
        "Deprecation": "@1772350200",
        "Link": '</v2/users/31>; rel="successor-version"',
    },
    "Deprecation must be sent (in UTC seconds, an offset taken into account) even before the "
    "deprecation date, and Sunset only when the policy has one",
)
expect_same(
    render_user(_grace, 2, _policy, "2025-01-01T00:00:00Z")[1],
    {
        "Content-Type": "application/vnd.shop.v2+json",
        "Deprecation": "@1814313600",
        "Sunset": "Wed, 30 Jun 2027 00:00:00 GMT",
    },
    "Sunset must be an HTTP date in GMT (an offset converted to UTC), and Link only when the "
    "policy names a successor",
)
_policy = {
    1: {"deprecated": None, "sunset": "2026-03-01T00:00:05-05:00", "successor": 2},
    2: {"deprecated": None, "sunset": None, "successor": 1},
}
expect_same(
    render_user(_grace, 1, _policy, "2026-01-01T00:00:00Z")[1],
    {
        "Content-Type": "application/vnd.shop.v1+json",
        "Sunset": "Sun, 01 Mar 2026 05:00:05 GMT",
        "Link": '</v2/users/31>; rel="successor-version"',
    },
    "a Sunset without a Deprecation, and a Link to the successor's URL for this user",
)
expect_same(
    render_user(_grace, 2, _policy, "2026-01-01T00:00:00Z")[1],
    {
        "Content-Type": "application/vnd.shop.v2+json",
        "Link": '</v1/users/31>; rel="successor-version"',
    },
    "Link must name the successor the policy gives, whatever it is",
)
_policy = {1: {"deprecated": "1970-01-01T00:00:00Z", "sunset": None, "successor": None}}
expect_same(
    render_user(_grace, 1, _policy, "2026-01-01T00:00:00Z")[1],
    {"Content-Type": "application/vnd.shop.v1+json", "Deprecation": "@0"},
    "a deprecation at Unix time 0 must still be sent, as @0",
)
_policy = {
    1: {"deprecated": "2026-07-04T08:05:09Z", "sunset": "2026-07-04T08:05:09Z", "successor": None}
}
expect_same(
    render_user(_grace, 1, _policy, "2026-01-01T00:00:00Z")[1]["Sunset"],
    "Sat, 04 Jul 2026 08:05:09 GMT",
    "Sunset must be an IMF-fixdate: day name, two-digit day, month name, year, time, GMT",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · `410 Gone` from the sunset on (2 points)

# %% nbgrader="tests" grade_id="render_user_tests_sunset" points=2
"""render_user answers 410 with the retired body and the same headers at and after the sunset
instant, and 200 before it."""
from advpy.checks import expect_same

status, headers, body = render_user(ADA, 1, POLICY, "2027-01-15T08:00:00Z")
expect_same(status, 410, "the status of a v1 request after v1's sunset", show=True)
expect_same(body, {"detail": "version 1 is retired"}, "the body after the sunset", show=True)
expect_same(
    headers["Sunset"], "Thu, 31 Dec 2026 23:59:59 GMT", "the Sunset header after it", show=True
)
### BEGIN HIDDEN TESTS
_expected_headers = {
    "Content-Type": "application/vnd.shop.v1+json",
    "Deprecation": "@1767225600",
    "Sunset": "Thu, 31 Dec 2026 23:59:59 GMT",
    "Link": '</v2/users/7>; rel="successor-version"',
}
for _now, _status in [
    ("2026-12-31T23:59:59Z", 410),
    ("2026-12-31T23:59:58Z", 200),
    ("2027-01-01T00:59:59+01:00", 410),
    ("2027-01-01T00:59:58+01:00", 200),
    ("2026-12-31T23:30:00-01:00", 410),
    ("2026-12-31T22:59:59-01:00", 410),
    ("2026-12-31T22:59:58-01:00", 200),
    ("2030-01-01T00:00:00Z", 410),
]:
    _status_now, _headers, _body = render_user(ADA, 1, POLICY, _now)
    expect_same(
        _status_now,
        _status,
        "the status must be 410 exactly when now is at or after the sunset instant (compare "
        "instants: an offset counts)",
    )
    expect_same(
        _headers, _expected_headers, "the headers must be the same before and after the sunset"
    )
    if _status == 410:
        expect_same(_body, {"detail": "version 1 is retired"}, "the body of a 410 response")
_policy = {
    1: {"deprecated": None, "sunset": None, "successor": None},
    2: {"deprecated": None, "sunset": "2026-05-01T00:00:00Z", "successor": None},
}
expect_same(
    render_user(ADA, 2, _policy, "2026-05-01T00:00:00Z"),
    (
        410,
        {"Content-Type": "application/vnd.shop.v2+json", "Sunset": "Fri, 01 May 2026 00:00:00 GMT"},
        {"detail": "version 2 is retired"},
    ),
    "a version retired at its sunset must answer 410 whatever its number",
)
expect_same(
    render_user(ADA, 1, _policy, "2099-01-01T00:00:00Z")[0],
    200,
    "a version without a sunset must answer 200 at any time",
)
_policy = {1: {"deprecated": "2026-01-01T00:00:00Z", "sunset": None, "successor": 2}}
expect_same(
    render_user(ADA, 1, _policy, "2099-01-01T00:00:00Z")[0],
    200,
    "a deprecated version without a sunset must still answer 200",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Done
#
# Restart the kernel, run every cell, and press **Validate**. The lesson's closing sections
# show where each of these functions sits in a real server: `negotiate_version` in front of
# the routes, `classify_changes` in CI between the OpenAPI documents of two releases, and
# `render_user` in the handler that serves both versions.
