# A correct answer written differently: insertion into a list kept sorted, largest first.
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar


class SupportsLessThan(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


C = TypeVar("C", bound=SupportsLessThan)


def top_n(items: Iterable[C], n: int) -> list[C]:
    ranked: list[C] = []
    for item in items:
        place = len(ranked)
        while place > 0 and ranked[place - 1] < item:
            place -= 1
        ranked.insert(place, item)
    return ranked[: max(n, 0)]
