# A correct answer with extra code: a frozen set of statuses checked after a str check, a
# helper for "an int that is not a bool", and the error list a real API would log.
from typing import Final, Literal, NotRequired, TypedDict, TypeGuard

Status = Literal["open", "paid", "shipped"]
STATUSES: Final = frozenset({"open", "paid", "shipped"})
KEYS: Final = frozenset({"id", "status", "total_cents"})


class Order(TypedDict):
    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]


def _is_plain_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def order_problems(value: object) -> list[str]:
    if not isinstance(value, dict):
        return ["not a dict"]
    problems = []
    if not KEYS <= value.keys():
        problems.append("missing keys")
    if value.keys() - KEYS - {"note"}:
        problems.append("unknown keys")
    if problems:
        return problems
    if not _is_plain_int(value["id"]):
        problems.append("id")
    if not _is_plain_int(value["total_cents"]) or value["total_cents"] < 0:
        problems.append("total_cents")
    status = value["status"]
    if not isinstance(status, str) or status not in STATUSES:
        problems.append("status")
    if "note" in value and not isinstance(value["note"], str):
        problems.append("note")
    return problems


def is_order(value: object) -> TypeGuard[Order]:
    return not order_problems(value)
