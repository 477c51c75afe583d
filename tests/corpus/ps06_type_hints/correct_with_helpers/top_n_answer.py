# A correct answer with extra code: a key function and a second, unused protocol.
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar


class SupportsLessThan(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


class SupportsGreaterThan(Protocol):
    def __gt__(self, other: Any, /) -> bool: ...


C = TypeVar("C", bound=SupportsLessThan)


def top_n(items: Iterable[C], n: int) -> list[C]:
    """Sort the (index, item) pairs by item, largest first, the earliest first among equals."""
    numbered = list(enumerate(items))
    numbered.sort(key=lambda pair: pair[1], reverse=True)
    return [item for _, item in numbered][:n] if n > 0 else []


print(top_n([3, 1, 2], 2))
