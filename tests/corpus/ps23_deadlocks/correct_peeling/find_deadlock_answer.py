def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None.

    Peel off every node that waits for nobody left, again and again; what remains waits only
    for what remains, so walking from any remaining node must come back to a node it passed."""
    from collections import deque

    nodes = set(graph)
    for targets in graph.values():
        nodes.update(targets)
    waits_on = {node: set(graph.get(node, ())) for node in nodes}
    waited_by = {node: set() for node in nodes}
    for node, targets in waits_on.items():
        for target in targets:
            waited_by[target].add(node)
    free = deque(node for node in nodes if not waits_on[node])
    left = set(nodes)
    while free:
        node = free.popleft()
        left.discard(node)
        for waiter in waited_by[node]:
            waits_on[waiter].discard(node)
            if not waits_on[waiter]:
                free.append(waiter)
    if not left:
        return None
    node = next(iter(left))
    seen = {}
    walk = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = next(target for target in waits_on[node] if target in left)
    return walk[seen[node] :]
