# isinstance(x, int) is True for True and False: a bool id or total is accepted.
from typing import Literal, NotRequired, TypedDict, TypeGuard

Status = Literal["open", "paid", "shipped"]


class Order(TypedDict):
    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]


def is_order(value: object) -> TypeGuard[Order]:
    if not isinstance(value, dict):
        return False
    if (
        not {"id", "status", "total_cents"}
        <= value.keys()
        <= {"id", "status", "total_cents", "note"}
    ):
        return False
    return (
        isinstance(value["id"], int)
        and isinstance(value["total_cents"], int)
        and value["total_cents"] >= 0
        and value["status"] in ("open", "paid", "shipped")
        and isinstance(value.get("note", ""), str)
    )
