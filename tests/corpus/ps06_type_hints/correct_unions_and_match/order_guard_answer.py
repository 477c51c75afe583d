# A correct answer written differently: structural pattern matching on the dict.
from typing import Literal, NotRequired, TypedDict, TypeGuard

Status = Literal["open", "paid", "shipped"]


class Order(TypedDict):
    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]


def is_order(value: object) -> TypeGuard[Order]:
    match value:
        case {"id": order_id, "status": str(status), "total_cents": total, **rest} if (
            type(value) is dict
        ):
            if set(rest) - {"note"}:
                return False
            if "note" in rest and not isinstance(rest["note"], str):
                return False
            return (
                type(order_id) is int
                and type(total) is int
                and total >= 0
                and status in ("open", "paid", "shipped")
            )
        case _:
            return False
