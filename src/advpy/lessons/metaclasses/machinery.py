"""What a class's machinery is made of, read off the live objects: its metaclass, the
metaclass's MRO, which class-creation hooks the metaclass and the class define, and what
creating a class costs with each kind of machinery.
"""

from __future__ import annotations

import inspect
import timeit
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["HOOKS", "Machinery", "inspect_machinery", "CreationCost", "measure_creation"]

#: Methods a metaclass may define, and what each one takes over.
HOOKS = {
    "__prepare__": "the namespace the class body runs in",
    "__new__": "building the class object",
    "__init__": "finishing the class object",
    "__call__": "calling the class: making instances",
    "__setattr__": "assigning attributes on the class later",
    "__delattr__": "deleting attributes of the class",
    "__instancecheck__": "isinstance(obj, cls)",
    "__subclasscheck__": "issubclass(sub, cls)",
    "__iter__": "iterating over the class itself",
    "__len__": "len(cls)",
    "__getitem__": "cls[key]",
    "__contains__": "x in cls",
}


@dataclass(frozen=True)
class Machinery:
    """How one class is made."""

    name: str  # the class's qualified name, with its module
    metaclass: str
    metaclass_mro: tuple[str, ...]
    hooks: tuple[str, ...]  # HOOKS that some metaclass below ``type`` in the MRO defines
    init_subclass: str | None  # the class whose own __init_subclass__ its subclasses run


def _name(cls: type) -> str:
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def inspect_machinery(cls: type) -> Machinery:
    """The metaclass of ``cls``, its MRO, the hooks it overrides, and where the
    ``__init_subclass__`` that runs for new subclasses of ``cls`` is defined."""
    meta = type(cls)
    mro = inspect.getmro(meta)
    own = [m for m in mro if m is not type and m is not object]
    hooks = tuple(hook for hook in HOOKS if any(hook in vars(m) for m in own))
    owner = next((c for c in cls.__mro__ if "__init_subclass__" in vars(c)), None)
    return Machinery(
        _name(cls),
        _name(meta),
        tuple(_name(m) for m in mro),
        hooks,
        None if owner is None or owner is object else _name(owner),
    )


@dataclass(frozen=True)
class CreationCost:
    """Microseconds to create one class with three attributes, by kind of machinery."""

    kind: str
    microseconds: float


def measure_creation(
    makers: dict[str, Callable[[], type]], *, number: int, repeats: int = 5
) -> list[CreationCost]:
    """The best of ``repeats`` runs of ``number`` calls of each maker (each call creates one
    class), in microseconds per class."""
    return [
        CreationCost(kind, min(timeit.repeat(make, number=number, repeat=repeats)) / number * 1e6)
        for kind, make in makers.items()
    ]
