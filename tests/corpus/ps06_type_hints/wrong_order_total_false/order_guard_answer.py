# total=False makes every key optional, so an Order missing required keys type-checks.
from typing import Literal, TypedDict, TypeGuard

Status = Literal["open", "paid", "shipped"]


class Order(TypedDict, total=False):
    id: int
    status: Status
    total_cents: int
    note: str


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
