# A correct answer written differently: typing.Optional/Union spellings and an explicit loop.
# ruff: noqa: UP035, UP045, UP007
from typing import Iterable, Optional, TypeVar, Union, overload

Item = TypeVar("Item")
Default = TypeVar("Default")


@overload
def first(items: Iterable[Item]) -> Optional[Item]: ...


@overload
def first(items: Iterable[Item], default: Default) -> Union[Item, Default]: ...


def first(items: Iterable[Item], default: Optional[Default] = None) -> Union[Item, Default, None]:
    for item in items:
        return item
    return default
