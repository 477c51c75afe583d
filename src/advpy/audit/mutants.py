"""Mutants of a reference solution: small, deliberate mistakes made by AST transformations.

Each mutation operator names a mistake a learner could make: a flipped comparison, ``and`` for
``or``, a constant off by one, a negated condition, ``min`` for ``max``, a deleted statement,
swapped operands, a changed ``return`` value, a ``with`` block (a lock, a transaction) left out,
a missing ``await``. :func:`generate_mutants` applies one operator at one place at a time and
keeps each distinct program that compiles, in source order, so the same source and seed give
the same mutants on every machine.
"""

from __future__ import annotations

import ast
import copy
import difflib
import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

#: Comparison operators and the one each is mutated into.
_COMPARISONS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
#: Arithmetic operators and the one each is mutated into.
_ARITHMETIC: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
#: Operators whose operands, swapped, give another result.
_ORDERED = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift)
#: Statements never deleted: removing a definition or an import only makes a NameError.
_KEPT_STATEMENTS = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Import,
    ast.ImportFrom,
    ast.Pass,
)
#: Comparisons whose operands, swapped, give another result.
_ORDERINGS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_SWAPPED_CALLS = {"min": "max", "max": "min", "any": "all", "all": "any"}

#: Every operator's name, for reports and ``--operator`` filters.
OPERATORS = (
    "comparison",
    "boolean",
    "negation",
    "constant",
    "arithmetic",
    "swap-operands",
    "min-max",
    "return-value",
    "delete-statement",
    "remove-with",
    "remove-await",
    "break-continue",
)


@dataclass(frozen=True)
class Mutant:
    """One changed version of a piece of code."""

    operator: str  # one of OPERATORS
    line: int  # line of the change, counted in the original source
    description: str  # what was changed, in a few words
    source: str  # the whole mutated code

    @property
    def key(self) -> str:
        """A name for this mutant that stays the same while the mutated code does: what an
        audit file lists when it declares a surviving mutant equivalent."""
        digest = hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:12]
        return f"{self.operator}@{self.line}:{digest}"


# A mutation site: where (a path of field names and list indexes from the tree's root), what,
# and a function that makes the change on a copy of the node (returning its replacement: a
# node, a list of statements, or None to delete the statement).
_Change = Callable[[ast.AST], "ast.AST | list[ast.stmt] | None"]


@dataclass(frozen=True)
class _Site:
    path: tuple[tuple[str, int | None], ...]
    operator: str
    line: int
    description: str
    change: _Change


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _replace_op(node: ast.AST, new: type[ast.AST], index: int | None = None) -> ast.AST:
    """``node`` with its operator (or its ``index``-th comparison operator) replaced."""
    if isinstance(node, ast.Compare) and index is not None:
        node.ops[index] = new()  # type: ignore[call-overload]
    else:
        node.op = new()  # type: ignore[attr-defined]
    return node


def _add(node: ast.AST, delta: int) -> ast.AST:
    assert isinstance(node, ast.Constant) and type(node.value) is int
    return ast.Constant(node.value + delta)


def _inner(node: ast.AST) -> ast.AST:
    """What ``not x`` or ``await x`` applies to: ``x``."""
    assert isinstance(node, ast.UnaryOp | ast.Await)
    return node.operand if isinstance(node, ast.UnaryOp) else node.value


def _sites_of_node(node: ast.AST) -> Iterator[tuple[str, str, _Change]]:
    """The mutations that apply to ``node`` itself: (operator, description, change)."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            new = _COMPARISONS.get(type(op))
            if new is not None:
                description = f"{type(op).__name__} -> {new.__name__}"
                yield ("comparison", description, partial(_replace_op, new=new, index=i))
        if len(node.ops) == 1 and isinstance(node.ops[0], _ORDERINGS):
            yield ("swap-operands", "comparison operands swapped", _swap_compare)
    elif isinstance(node, ast.BoolOp):
        other: type[ast.boolop] = ast.Or if isinstance(node.op, ast.And) else ast.And
        description = f"{type(node.op).__name__} -> {other.__name__}"
        yield ("boolean", description, partial(_replace_op, new=other))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield ("negation", "`not` removed", _inner)
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        for delta in (1, -1):
            description = f"{node.value} -> {node.value + delta}"
            yield ("constant", description, partial(_add, delta=delta))
    elif isinstance(node, ast.BinOp | ast.AugAssign):
        new_op = _ARITHMETIC.get(type(node.op))
        if new_op is not None:
            description = f"{type(node.op).__name__} -> {new_op.__name__}"
            yield ("arithmetic", description, partial(_replace_op, new=new_op))
        if isinstance(node, ast.BinOp) and isinstance(node.op, _ORDERED):
            yield ("swap-operands", f"operands of {type(node.op).__name__} swapped", _swap_binop)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = _SWAPPED_CALLS.get(node.func.id)
        if name is not None:
            yield ("min-max", f"{node.func.id}() -> {name}()", partial(_rename, name=name))
    elif isinstance(node, ast.Await):
        yield ("remove-await", "`await` removed", _inner)


def _swap_compare(node: ast.AST) -> ast.AST:
    assert isinstance(node, ast.Compare)
    node.left, node.comparators[0] = node.comparators[0], node.left
    return node


def _swap_binop(node: ast.AST) -> ast.AST:
    assert isinstance(node, ast.BinOp)
    node.left, node.right = node.right, node.left
    return node


def _rename(node: ast.AST, name: str) -> ast.AST:
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    node.func.id = name
    return node


def _negate(node: ast.AST) -> ast.AST:
    node.test = ast.UnaryOp(ast.Not(), node.test)  # type: ignore[attr-defined]
    return node


def _return_none(node: ast.AST) -> ast.AST:
    node.value = None  # type: ignore[attr-defined]
    return node


def _body(node: ast.AST) -> list[ast.stmt]:
    assert isinstance(node, ast.With | ast.AsyncWith)
    return list(node.body)


def _other_jump(node: ast.AST, jump: type[ast.stmt]) -> ast.AST:
    return jump()


def _delete(node: ast.AST) -> None:
    return None


def _sites_of_statement(statement: ast.stmt) -> Iterator[tuple[str, str, _Change]]:
    """The mutations of a whole statement."""
    if isinstance(statement, ast.If | ast.While):
        yield ("negation", "condition negated", _negate)
    if isinstance(statement, ast.Return) and statement.value is not None:
        is_none = isinstance(statement.value, ast.Constant) and statement.value.value is None
        if not is_none:
            yield ("return-value", "returns None instead", _return_none)
    if isinstance(statement, ast.With | ast.AsyncWith):
        yield ("remove-with", "`with` left out, its body kept", _body)
    if isinstance(statement, ast.Break):
        yield ("break-continue", "break -> continue", partial(_other_jump, jump=ast.Continue))
    if isinstance(statement, ast.Continue):
        yield ("break-continue", "continue -> break", partial(_other_jump, jump=ast.Break))
    deletable = not isinstance(
        statement,
        ast.FunctionDef
        | ast.AsyncFunctionDef
        | ast.ClassDef
        | ast.Import
        | ast.ImportFrom
        | ast.Pass,
    )
    if deletable and not _is_docstring(statement):
        yield ("delete-statement", "statement deleted", _delete)


def _collect(node: ast.AST, path: tuple[tuple[str, int | None], ...]) -> Iterator[_Site]:
    for operator, description, change in _sites_of_node(node):
        yield _Site(path, operator, getattr(node, "lineno", 0), description, change)
    for field, value in ast.iter_fields(node):
        if isinstance(value, list):
            statements = all(isinstance(v, ast.stmt) for v in value) and bool(value)
            for index, item in enumerate(value):
                if not isinstance(item, ast.AST):
                    continue
                where = (*path, (field, index))
                if statements:
                    assert isinstance(item, ast.stmt)
                    for operator, description, change in _sites_of_statement(item):
                        yield _Site(where, operator, item.lineno, description, change)
                if _is_docstring(item) if isinstance(item, ast.stmt) else False:
                    continue
                yield from _collect(item, where)
        elif isinstance(value, ast.AST):
            yield from _collect(value, (*path, (field, None)))


def _apply(tree: ast.Module, site: _Site) -> ast.Module:
    mutated = copy.deepcopy(tree)
    parent: ast.AST = mutated
    for field, index in site.path[:-1]:
        child = getattr(parent, field)
        parent = child[index] if index is not None else child
    field, index = site.path[-1]
    if index is None:
        setattr(parent, field, site.change(getattr(parent, field)))
        return mutated
    block = getattr(parent, field)
    replacement = site.change(block[index])
    if replacement is None or isinstance(replacement, list):
        new_statements = replacement or []
        block[index : index + 1] = new_statements
        if not block:
            block.append(ast.Pass())
    else:
        block[index] = replacement
    return mutated


def generate_mutants(source: str, *, limit: int | None = None, seed: int = 0) -> list[Mutant]:
    """Every distinct mutant of ``source`` that compiles, in source order; with ``limit``, a
    sample of that many chosen by ``seed`` (the same sample for the same source and seed)."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    seen = {original}
    mutants = []
    for site in _collect(tree, ()):
        mutated = ast.fix_missing_locations(_apply(tree, site))
        try:
            text = ast.unparse(mutated)
            compile(text, "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError, RecursionError):
            continue
        if text in seen:
            continue
        seen.add(text)
        mutants.append(Mutant(site.operator, site.line, site.description, text + "\n"))
    if limit is not None and len(mutants) > limit:
        chosen = sorted(random.Random(seed).sample(range(len(mutants)), limit))
        mutants = [mutants[i] for i in chosen]
    return mutants


def changed_line(original: str, mutant: Mutant) -> str:
    """What the mutant changed, as ``old  ->  new`` lines (for a report)."""
    before = ast.unparse(ast.parse(original)).splitlines()
    after = mutant.source.splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old = " / ".join(line.strip() for line in before[i1:i2]) or "(nothing)"
        new = " / ".join(line.strip() for line in after[j1:j2]) or "(deleted)"
        return f"{old}  ->  {new}"
    return mutant.description
