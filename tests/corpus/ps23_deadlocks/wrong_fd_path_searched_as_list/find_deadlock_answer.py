# Asks `target in path` of a list: every step scans the whole path, O(V^2) on a long chain.
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    finished = set()
    for start in graph:
        if start in finished:
            continue
        path = [start]
        pending = [iter(graph.get(start, ()))]
        while pending:
            for node in pending[-1]:
                if node in path:
                    return path[path.index(node) :]
                if node not in finished:
                    path.append(node)
                    pending.append(iter(graph.get(node, ())))
                    break
            else:
                pending.pop()
                finished.add(path.pop())
    return None
