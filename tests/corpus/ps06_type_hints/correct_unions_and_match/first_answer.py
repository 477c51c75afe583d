# A correct answer written differently: an explicit iterator and a sentinel, overloads with
# keyword names spelled out.
from collections.abc import Iterable
from typing import TypeVar, cast, overload

T = TypeVar("T")
D = TypeVar("D")
_NOTHING = object()


@overload
def first(items: Iterable[T]) -> T | None: ...


@overload
def first(items: Iterable[T], default: D) -> T | D: ...


def first(items: Iterable[T], default: D | None = None) -> T | D | None:
    iterator = iter(items)
    item = next(iterator, _NOTHING)
    if item is _NOTHING:
        return default
    return cast(T, item)
