"""Refund requests arriving as JSON: a type is a promise, a check at the boundary keeps it.

:class:`Refund` is what the code inside trusts. Three ways to get from JSON text to it:
``json.loads`` alone (no check: the type is just asserted), ``json.loads`` and the hand-written
:func:`is_refund` (a ``TypeGuard``), or pydantic (:class:`RefundModel` validates and converts,
and lists every problem it finds; :class:`StrictRefundModel` converts nothing).
:func:`measure_validation` times each per payload.

The graded set ``ps06_type_hints`` asks for a guard of another shape (an ``Order``); this
module is the lesson's worked example, not that answer.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Reason = Literal["damaged", "late", "unwanted"]
REASONS: tuple[Reason, ...] = ("damaged", "late", "unwanted")
_KEYS = frozenset({"order_id", "amount_cents", "reason", "skus"})


class Refund(TypedDict):
    """A refund request as the shop's returns desk sends it: which order, how much, why, and
    the SKUs of the items sent back."""

    order_id: int
    amount_cents: int
    reason: Reason
    skus: list[str]


def is_refund(value: object) -> TypeGuard[Refund]:
    """True when ``value`` is a dict with exactly the keys of a :class:`Refund`, whose
    ``order_id`` and ``amount_cents`` are positive ints (not bools, not strings), whose
    ``reason`` is one of :data:`REASONS`, and whose ``skus`` is a non-empty list of strings,
    every item checked. Never raises."""
    if type(value) is not dict or value.keys() != _KEYS:
        return False
    order_id, amount = value["order_id"], value["amount_cents"]
    reason, skus = value["reason"], value["skus"]
    return (
        # type(x) is int, not isinstance: True is an int to Python, and JSON's true is no count
        type(order_id) is int
        and order_id > 0
        and type(amount) is int
        and amount > 0
        and isinstance(reason, str)
        and reason in REASONS
        and type(skus) is list
        and len(skus) > 0
        and all(isinstance(sku, str) for sku in skus)
    )


class RefundModel(BaseModel):
    """The same shape for pydantic: validated (and, in lax mode, converted) when created."""

    model_config = ConfigDict(extra="forbid")

    order_id: int = Field(gt=0)
    amount_cents: int = Field(gt=0)
    reason: Reason
    skus: list[str] = Field(min_length=1)


class StrictRefundModel(RefundModel):
    """:class:`RefundModel` in strict mode: types must match exactly, nothing is converted
    ("7" stays a str and ``true`` a bool, so both are refused where an int is due)."""

    model_config = ConfigDict(extra="forbid", strict=True)


def problems(model: type[BaseModel], data: Any) -> list[str]:
    """pydantic's complaints about ``data`` as ``model``, one "field: message" each (empty
    when it is valid)."""
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in error.errors()]
    return []


#: How :func:`payloads` spoils a refund, one way per malformed payload.
MISTAKES = ("reason", "amount", "no skus", "extra key", "missing key")


def payloads(count: int, *, seed: int = 6, bad_share: float = 0.1) -> list[str]:
    """``count`` JSON texts of refund requests, a ``bad_share`` of them malformed in one of
    the ways :data:`MISTAKES` lists."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        refund: dict[str, Any] = {
            "order_id": rng.randrange(1, 100_000),
            "amount_cents": rng.randrange(1, 50_000),
            "reason": rng.choice(REASONS),
            "skus": [f"SKU-{rng.randrange(1000):03d}" for _ in range(rng.randint(1, 3))],
        }
        if rng.random() < bad_share:
            mistake = rng.choice(MISTAKES)
            if mistake == "reason":
                refund["reason"] = "changed my mind"
            elif mistake == "amount":
                refund["amount_cents"] = 0
            elif mistake == "no skus":
                refund["skus"] = []
            elif mistake == "extra key":
                refund["coupon"] = "X"
            else:
                del refund["order_id"]
        texts.append(json.dumps(refund))
    return texts


def _unchecked(text: str) -> bool:
    refund: Refund = json.loads(text)  # json.loads returns Any: mypy lets this through
    return bool(refund)


def _guarded(text: str) -> bool:
    return is_refund(json.loads(text))


def _pydantic(text: str) -> bool:
    try:
        RefundModel.model_validate_json(text)
    except ValidationError:
        return False
    return True


def _pydantic_strict(text: str) -> bool:
    try:
        StrictRefundModel.model_validate_json(text)
    except ValidationError:
        return False
    return True


#: The ways to read a payload, by label.
READERS = {
    "json.loads only": _unchecked,
    "json.loads + is_refund": _guarded,
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
