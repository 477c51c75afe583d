# No TypeVar: the protocol alone in the signature. Calls type-check, but the result is a
# list[SupportsLessThan], whatever the items were.
from collections.abc import Iterable
from typing import Any, Protocol


class SupportsLessThan(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


def top_n(items: Iterable[SupportsLessThan], n: int) -> list[SupportsLessThan]:
    if n <= 0:
        return []
    return sorted(items, reverse=True)[:n]
