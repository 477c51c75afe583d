# A correct answer written differently: the functional TypedDict syntax and one check per line.
# ruff: noqa: UP013
from typing import Literal, NotRequired, TypedDict, TypeGuard

Status = Literal["open", "paid", "shipped"]

Order = TypedDict(
    "Order", {"id": int, "status": Status, "total_cents": int, "note": NotRequired[str]}
)


def is_order(value: object) -> TypeGuard[Order]:
    if type(value) is not dict:
        return False
    for key in ("id", "status", "total_cents"):
        if key not in value:
            return False
    for key in value:
        if key not in ("id", "status", "total_cents", "note"):
            return False
    if type(value["id"]) is not int:
        return False
    if type(value["total_cents"]) is not int or value["total_cents"] < 0:
        return False
    if not isinstance(value["status"], str):
        return False
    if value["status"] not in ("open", "paid", "shipped"):
        return False
    if "note" in value and not isinstance(value["note"], str):
        return False
    return True
