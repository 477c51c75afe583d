# is_order returns a plain bool: right at run time, but mypy learns nothing from it, so after
# `if is_order(payload):` the payload is still an object.
from typing import Literal, NotRequired, TypedDict

Status = Literal["open", "paid", "shipped"]


class Order(TypedDict):
    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]


def is_order(value: object) -> bool:
    if type(value) is not dict or not {"id", "status", "total_cents"} <= set(value):
        return False
    if set(value) - {"id", "status", "total_cents", "note"}:
        return False
    return (
        type(value["id"]) is int
        and type(value["total_cents"]) is int
        and value["total_cents"] >= 0
        and value["status"] in ("open", "paid", "shipped")
        and type(value.get("note", "")) is str
    )
