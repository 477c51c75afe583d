# Types right, but "first item" is taken to mean "first truthy item": 0, "" and None are skipped.
from collections.abc import Iterable
from typing import TypeVar, overload

T = TypeVar("T")
D = TypeVar("D")


@overload
def first(items: Iterable[T]) -> T | None: ...
@overload
def first(items: Iterable[T], default: D) -> T | D: ...
def first(items: Iterable[T], default: D | None = None) -> T | D | None:
    return next((item for item in items if item), default)
