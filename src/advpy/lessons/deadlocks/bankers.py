"""Deadlock *avoidance*: Dijkstra's banker's algorithm decides whether a state is safe.

Each process declared in advance the most it may ever need of each resource (``maximum``); it
holds ``allocation`` now; ``available`` is what is free. A state is *safe* when there is an order
in which every process can get the rest of its maximum, finish, and give everything back. The
banker grants a request only if the state after it is still safe.
"""

from __future__ import annotations


def safe_order(
    available: list[int], maximum: dict[str, list[int]], allocation: dict[str, list[int]]
) -> list[str] | None:
    """An order in which all processes can finish, or None when the state is unsafe."""
    free = list(available)
    need = {p: [m - a for m, a in zip(maximum[p], allocation[p], strict=True)] for p in maximum}
    left = list(maximum)
    order: list[str] = []
    while left:
        for process in left:
            if all(n <= f for n, f in zip(need[process], free, strict=True)):
                free = [f + a for f, a in zip(free, allocation[process], strict=True)]
                order.append(process)
                left.remove(process)
                break
        else:
            return None
    return order


def grant(
    available: list[int],
    maximum: dict[str, list[int]],
    allocation: dict[str, list[int]],
    process: str,
    request: list[int],
) -> bool:
    """Whether the banker grants ``request`` to ``process``: it must fit in what is free and
    leave a safe state."""
    if any(r > f for r, f in zip(request, available, strict=True)):
        return False
    after = {
        **allocation,
        process: [a + r for a, r in zip(allocation[process], request, strict=True)],
    }
    free = [f - r for f, r in zip(available, request, strict=True)]
    return safe_order(free, maximum, after) is not None
