# One signature for both calls: with `default: D | None = None`, every call is typed
# T | D | None, so first(["a"], 0) is not str | int and first([], 0) is not int.
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")
D = TypeVar("D")


def first(items: Iterable[T], default: D | None = None) -> T | D | None:
    return next(iter(items), default)
