# The protocol's __lt__ takes `other: object`: int.__lt__ accepts only an int, so int, str
# and float do not satisfy the protocol (parameters are contravariant).
from collections.abc import Iterable
from typing import Protocol, TypeVar


class SupportsLessThan(Protocol):
    def __lt__(self, other: object, /) -> bool: ...


C = TypeVar("C", bound=SupportsLessThan)


def top_n(items: Iterable[C], n: int) -> list[C]:
    if n <= 0:
        return []
    return sorted(items, reverse=True)[:n]
