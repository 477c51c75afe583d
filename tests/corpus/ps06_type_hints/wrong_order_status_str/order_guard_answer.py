# status typed str: mypy can no longer reject an unknown status, and Status is just str.
from typing import NotRequired, TypedDict, TypeGuard

Status = str


class Order(TypedDict):
    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]


def is_order(value: object) -> TypeGuard[Order]:
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
