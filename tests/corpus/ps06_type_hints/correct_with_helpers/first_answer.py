# A correct answer with extra code around it: a helper, a constant, and a print that runs.
from collections.abc import Iterable, Iterator
from typing import TypeVar, overload

T = TypeVar("T")
D = TypeVar("D")


def _take_one(items: Iterable[T]) -> list[T]:
    iterator: Iterator[T] = iter(items)
    for item in iterator:
        return [item]
    return []


@overload
def first(items: Iterable[T]) -> T | None: ...
@overload
def first(items: Iterable[T], default: D) -> T | D: ...
def first(items: Iterable[T], default: D | None = None) -> T | D | None:
    """The first item, or the default."""
    taken = _take_one(items)
    return taken[0] if taken else default


print("first defined:", first([1, 2]), first([], "empty"))
