"""From the OpenAPI document an app generates to an **API description**: for each operation,
``"METHOD /path"``, its request fields (path and query parameters, and the JSON body's
properties) and its response body's fields, each with its JSON type, whether it is required,
and its allowed values. This is the shape the graded set's ``classify_changes`` compares.

:func:`obvious_breaks` finds the three most common breaking changes in two descriptions; the
full rules (required and optional, types, enums, requests against responses) are the graded
set's Part B.
"""

from __future__ import annotations

from typing import Any

Fields = dict[str, dict[str, Any]]
Description = dict[str, dict[str, Fields]]
METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema a ``{"$ref": "#/components/schemas/Name"}`` points to (or ``schema``)."""
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _field(document: dict[str, Any], schema: dict[str, Any], required: bool) -> dict[str, Any]:
    """A field's JSON type (the first one that is not null, for ``X | None``), ``required``,
    and its enum (``None`` when any value of the type is allowed)."""
    schema = _resolve(document, schema)
    options = [_resolve(document, s) for s in schema.get("anyOf", [schema])]
    typed = [s for s in options if s.get("type") != "null"] or options
    return {
        "type": typed[0].get("type", "object"),
        "required": required,
        "enum": typed[0].get("enum"),
    }


def _properties(document: dict[str, Any], schema: dict[str, Any]) -> Fields:
    schema = _resolve(document, schema)
    needed = set(schema.get("required", []))
    return {
        name: _field(document, sub, name in needed)
        for name, sub in schema.get("properties", {}).items()
    }


def _json_schema(content: dict[str, Any] | None) -> dict[str, Any]:
    return (content or {}).get("application/json", {}).get("schema", {})


def describe_api(document: dict[str, Any]) -> Description:
    """The API description of an OpenAPI document (``app.openapi()``)."""
    description: Description = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            request: Fields = {
                p["name"]: _field(document, p.get("schema", {}), bool(p.get("required")))
                for p in spec.get("parameters", [])
                if p.get("in") in ("path", "query")
            }
            body = spec.get("requestBody", {})
            request.update(_properties(document, _json_schema(body.get("content"))))
            responses = spec.get("responses", {})
            success: dict[str, Any] = next(
                (responses[c] for c in ("200", "201") if c in responses), {}
            )
            response = _properties(document, _json_schema(success.get("content")))
            description[f"{method.upper()} {path}"] = {"request": request, "response": response}
    return description


def obvious_breaks(old: Description, new: Description) -> list[str]:
    """Removed operations, removed response fields and new required request fields: the
    breaking changes a reviewer should never miss (the graded set finds the rest)."""
    found = []
    for operation in sorted(old):
        if operation not in new:
            found.append(f"{operation}: the operation was removed")
            continue
        before, after = old[operation], new[operation]
        for name in sorted(before["response"].keys() - after["response"].keys()):
            found.append(f"{operation}: response field {name!r} was removed")
        for name in sorted(after["request"].keys() - before["request"].keys()):
            if after["request"][name]["required"]:
                found.append(f"{operation}: request field {name!r} is new and required")
    return found
