"""Two versions of one small class, with and without ``__slots__``, for measuring memory.

``Point`` stores its attributes the ordinary way (in a per-instance attribute table that
Python may turn into a full ``dict``); ``SlottedPoint`` declares its attributes in
``__slots__``, so each instance has exactly three fixed fields and no ``__dict__`` at all.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Point", "SlottedPoint", "WeakSlottedPoint", "make_points"]


class Point:
    """A 3-D point with ordinary attributes."""

    def __init__(self, x: float, y: float, z: float) -> None:
        self.x = x
        self.y = y
        self.z = z


class SlottedPoint:
    """A 3-D point whose attributes are fixed by ``__slots__`` (no ``__dict__``, and no weak
    references either, since ``"__weakref__"`` is not among the slots)."""

    __slots__ = ("x", "y", "z")

    def __init__(self, x: float, y: float, z: float) -> None:
        self.x = x
        self.y = y
        self.z = z


class WeakSlottedPoint:
    """``SlottedPoint`` plus a ``__weakref__`` slot, so that its instances accept weak
    references (and can be values of a ``WeakValueDictionary``)."""

    __slots__ = ("x", "y", "z", "__weakref__")

    def __init__(self, x: float, y: float, z: float) -> None:
        self.x = x
        self.y = y
        self.z = z


def make_points(kind: type, values: list[Any], *, touch_dict: bool = False) -> list[Any]:
    """One ``kind`` instance per value (all three coordinates set to it).

    With ``touch_dict=True`` each instance's ``__dict__`` is read once, as code that inspects
    ``vars(obj)`` would do; on CPython 3.11 and later that makes Python build a real attribute
    dict for the instance.
    """
    points = [kind(v, v, v) for v in values]
    if touch_dict:
        for point in points:
            vars(point)
    return points
