# The status is looked up in a set without checking it is a str first: a list status raises
# TypeError (unhashable) instead of returning False. Zero totals are refused too (> 0).
from typing import Literal, NotRequired, TypedDict, TypeGuard

Status = Literal["open", "paid", "shipped"]


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
        and value["total_cents"] > 0
        and value["status"] in {"open", "paid", "shipped"}
        and type(value.get("note", "")) is str
    )
