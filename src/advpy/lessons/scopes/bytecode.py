"""What the compiler decided about names, read from the bytecode and the code object.

Python decides at compile time where each name in a function lives, and emits a different
load instruction for each kind: the fast locals array, a cell shared with an enclosing
function, or the module's globals and then the built-ins. The instruction names change from
one CPython version to the next (3.12 adds ``LOAD_FAST_CHECK``, 3.13 fuses two loads into
``LOAD_FAST_LOAD_FAST``, 3.14 adds ``LOAD_FAST_BORROW``), so these helpers group them by the
scope they read, and the lesson prints what this interpreter emits.
"""

from __future__ import annotations

import dis
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Load instructions by prefix, and the scope each one reads. Specialised forms (3.11+) such as
#: ``LOAD_GLOBAL_BUILTIN`` share their family's prefix.
_FAMILIES = (
    ("LOAD_FAST", "local"),
    ("LOAD_DEREF", "enclosing (a cell)"),
    ("LOAD_CLASSDEREF", "class body, then enclosing"),
    ("LOAD_FROM_DICT_OR_DEREF", "class body, then enclosing"),
    ("LOAD_FROM_DICT_OR_GLOBALS", "class body, then global, then built-in"),
    ("LOAD_GLOBAL", "global, then built-in"),
    ("LOAD_NAME", "local dict, then global, then built-in"),
)


@dataclass(frozen=True)
class NameLoad:
    """One name read by one instruction."""

    name: str
    opname: str  # the instruction as this interpreter emits it
    scope: str  # what the instruction searches, in words


def scope_of(opname: str) -> str | None:
    """The scope a load instruction reads, or ``None`` when it loads no variable."""
    for prefix, scope in _FAMILIES:
        if opname.startswith(prefix):
            return scope
    return None


def _names(argval: Any) -> list[str]:
    if isinstance(argval, str):
        return [argval]
    if isinstance(argval, tuple):  # LOAD_FAST_LOAD_FAST (3.13+) reads two locals at once
        return [item for item in argval if isinstance(item, str)]
    return []


def name_loads(func: Callable[..., Any], *, adaptive: bool = False) -> list[NameLoad]:
    """Every variable ``func``'s own bytecode reads, in order, with the instruction used.

    With ``adaptive=True`` the instructions are shown as the specialising interpreter (3.11+)
    has rewritten them after the function ran a few times, e.g. ``LOAD_GLOBAL_BUILTIN``.
    """
    instructions = dis.get_instructions(func, adaptive=adaptive)
    loads = []
    for instruction in instructions:
        scope = scope_of(instruction.opname)
        if scope is None:
            continue
        for name in _names(instruction.argval):
            loads.append(NameLoad(name, instruction.opname, scope))
    return loads


def describe_loads(func: Callable[..., Any], *, adaptive: bool = False) -> str:
    """One line per name read: the name, the instruction, the scope it searches."""
    lines = []
    seen = set()
    for load in name_loads(func, adaptive=adaptive):
        key = (load.name, load.opname)
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"{load.name:>8}: {load.opname:<24} -> {load.scope}")
    return "\n".join(lines)


def code_names(func: Callable[..., Any]) -> dict[str, tuple[str, ...]]:
    """The code object's name tables: where the compiler put each name."""
    code = func.__code__
    return {
        "co_varnames (locals)": code.co_varnames,
        "co_cellvars (locals that inner functions share)": code.co_cellvars,
        "co_freevars (from an enclosing function)": code.co_freevars,
        "co_names (globals, built-ins, attributes)": code.co_names,
    }


def nested_code_names(func: Callable[..., Any]) -> list[str]:
    """The names of the code objects compiled inside ``func`` (inner functions, lambdas,
    and, before Python 3.12, every comprehension)."""
    return [c.co_name for c in func.__code__.co_consts if isinstance(c, types.CodeType)]


def _with_list_comprehension() -> list[int]:
    return [n * n for n in range(3)]


def comprehensions_are_inlined() -> bool:
    """True when this interpreter compiles a list comprehension into the function that holds
    it (PEP 709, Python 3.12+), False when it makes a hidden function for it (up to 3.11)."""
    return not nested_code_names(_with_list_comprehension)
