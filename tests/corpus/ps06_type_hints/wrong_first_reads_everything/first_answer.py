# Types right, but the whole iterable is copied into a list first: an endless iterator never
# ends, and an iterator loses every item, not just the first.
from collections.abc import Iterable
from typing import TypeVar, overload

T = TypeVar("T")
D = TypeVar("D")


@overload
def first(items: Iterable[T]) -> T | None: ...
@overload
def first(items: Iterable[T], default: D) -> T | D: ...
def first(items: Iterable[T], default: D | None = None) -> T | D | None:
    everything = list(items)
    return everything[0] if everything else default
