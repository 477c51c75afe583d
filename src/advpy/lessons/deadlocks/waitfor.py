"""Wait-for graphs: who waits for whom, built from a lock table, and a cycle in it found.

A wait-for graph has one node per thread (or transaction) and an edge ``a -> b`` when ``a``
waits for a lock that ``b`` holds. A deadlock is exactly a cycle in that graph. Both functions
take and return plain data, so the same code reads this lesson's lock table and PostgreSQL's
``pg_locks``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar, cast

N = TypeVar("N", bound=Hashable)
_END = object()


def wait_for_graph(
    held: Mapping[str, Iterable[str]], wanted: Mapping[str, str]
) -> dict[str, list[str]]:
    """The wait-for graph of a lock table.

    ``held`` maps each resource to the threads holding it (several for a shared lock);
    ``wanted`` maps each blocked thread to the resource it waits for. Each blocked thread waits
    for every *other* holder of that resource: the result maps it to their sorted names.
    """
    return {
        waiter: sorted({h for h in held.get(resource, ()) if h != waiter})
        for waiter, resource in wanted.items()
    }


def find_cycle(graph: Mapping[N, Iterable[N]]) -> list[N] | None:
    """One cycle of ``graph`` as ``[n0, n1, ..., nk]`` (each waits for the next, the last for
    the first), or None when there is none. Iterative depth-first search: no recursion limit,
    O(V + E)."""
    done: set[N] = set()
    for start in graph:
        if start in done:
            continue
        on_path: dict[N, int] = {start: 0}
        path = [start]
        stack = [iter(graph.get(start, ()))]
        while stack:
            item = next(stack[-1], _END)
            if item is _END:
                stack.pop()
                done.add(path[-1])
                del on_path[path.pop()]
                continue
            node = cast(N, item)
            if node in on_path:
                return path[on_path[node] :]
            if node in done:
                continue
            on_path[node] = len(path)
            path.append(node)
            stack.append(iter(graph.get(node, ())))
    return None
