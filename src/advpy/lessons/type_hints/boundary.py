"""Orders arriving as JSON: a type is a promise, a check at the boundary keeps it.

:class:`Order` is what the code inside trusts. Three ways to get from JSON text to it:
``json.loads`` alone (no check: the type is just asserted), ``json.loads`` and the hand-written
:func:`is_order` (a ``TypeGuard``), or pydantic (:data:`ORDER_MODEL` validates and converts,
and lists every problem it finds). :func:`measure_validation` times each per payload.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Status = Literal["open", "paid", "shipped"]
STATUSES: tuple[Status, ...] = ("open", "paid", "shipped")
_REQUIRED = frozenset({"id", "status", "total_cents"})


class Order(TypedDict):
    """An order as the shop's JSON API sends it."""

    id: int
    status: Status
    total_cents: int
    note: NotRequired[str]


def is_order(value: object) -> TypeGuard[Order]:
    """True when ``value`` is a dict shaped exactly like an :class:`Order` (no coercion: a
    bool is not an int, "7" is not 7)."""
    if type(value) is not dict:
        return False
    keys = value.keys()
    if not _REQUIRED <= keys or keys - _REQUIRED - {"note"}:
        return False
    total = value["total_cents"]
    return (
        type(value["id"]) is int
        and type(total) is int
        and total >= 0
        and type(value["status"]) is str
        and value["status"] in STATUSES
        and type(value.get("note", "")) is str
    )


class OrderModel(BaseModel):
    """The same shape for pydantic: validated (and, in lax mode, converted) when created."""

    model_config = ConfigDict(extra="forbid")

    id: int
    status: Status
    total_cents: int = Field(ge=0)
    note: str | None = None


#: The strict twin: no conversions ("7" stays a str, so it is refused).
class StrictOrderModel(OrderModel):
    """:class:`OrderModel` in strict mode: types must match exactly, nothing is converted."""

    model_config = ConfigDict(extra="forbid", strict=True)


def problems(model: type[BaseModel], data: Any) -> list[str]:
    """pydantic's complaints about ``data`` as ``model``, one "field: message" each (empty
    when it is valid)."""
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in error.errors()]
    return []


def payloads(count: int, *, seed: int = 6, bad_share: float = 0.1) -> list[str]:
    """``count`` JSON texts of orders, a ``bad_share`` of them malformed in some way."""
    rng = random.Random(seed)
    texts = []
    for number in range(count):
        order: dict[str, Any] = {
            "id": number,
            "status": rng.choice(STATUSES),
            "total_cents": rng.randrange(0, 100_000),
        }
        if rng.random() < 0.3:
            order["note"] = rng.choice(["gift", "leave at the door", ""])
        if rng.random() < bad_share:
            mistake = rng.choice(["status", "total", "extra", "missing"])
            if mistake == "status":
                order["status"] = "lost"
            elif mistake == "total":
                order["total_cents"] = -1
            elif mistake == "extra":
                order["coupon"] = "X"
            else:
                del order["id"]
        texts.append(json.dumps(order))
    return texts


def _unchecked(text: str) -> bool:
    order: Order = json.loads(text)  # json.loads returns Any: mypy lets this through
    return bool(order)


def _guarded(text: str) -> bool:
    return is_order(json.loads(text))


def _pydantic(text: str) -> bool:
    try:
        OrderModel.model_validate_json(text)
    except ValidationError:
        return False
    return True


def _pydantic_strict(text: str) -> bool:
    try:
        StrictOrderModel.model_validate_json(text)
    except ValidationError:
        return False
    return True


#: The ways to read a payload, by label.
READERS = {
    "json.loads only": _unchecked,
    "json.loads + is_order": _guarded,
    "pydantic (lax)": _pydantic,
    "pydantic (strict)": _pydantic_strict,
}


@dataclass(frozen=True)
class ValidationRecord:
    """Microseconds per payload for one way of reading, and how many payloads it accepted."""

    reader: str
    micros: float
    accepted: int
    payloads: int


def measure_validation(texts: list[str], repeats: int = 5) -> list[ValidationRecord]:
    """Read every text with each reader, best of ``repeats`` passes."""
    records = []
    for label, reader in READERS.items():
        best = float("inf")
        accepted = 0
        for _ in range(repeats):
            start = time.perf_counter()
            accepted = sum(reader(text) for text in texts)
            best = min(best, time.perf_counter() - start)
        records.append(ValidationRecord(label, best / len(texts) * 1e6, accepted, len(texts)))
    return records
