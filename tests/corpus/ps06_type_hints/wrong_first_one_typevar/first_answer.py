# The default shares the items' TypeVar: first(["a"], 0) makes mypy widen T to object, so the
# result is no longer str | int.
from collections.abc import Iterable
from typing import TypeVar, overload

T = TypeVar("T")


@overload
def first(items: Iterable[T]) -> T | None: ...
@overload
def first(items: Iterable[T], default: T) -> T: ...
def first(items: Iterable[T], default: T | None = None) -> T | None:
    return next(iter(items), default)
