# A correct answer written differently: heapq.nlargest, which is stable and uses < only.
# ruff: noqa: UP006
import heapq
import typing


class SupportsLessThan(typing.Protocol):
    def __lt__(self, __other: typing.Any) -> bool: ...


Comparable = typing.TypeVar("Comparable", bound="SupportsLessThan")


def top_n(items: typing.Iterable[Comparable], n: int) -> typing.List[Comparable]:
    return heapq.nlargest(n, items)
