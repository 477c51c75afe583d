# Keeps one "visited" set and reports a deadlock whenever it reaches a node a second time:
# in a diamond (a -> b -> d, a -> c -> d) d is reached twice without any cycle.
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    visited = set()
    for start in graph:
        if start in visited:
            continue
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            if node in visited:
                return path[path.index(node) :] if path.count(node) > 1 else [node]
            visited.add(node)
            for target in graph.get(node, ()):
                if target in path:
                    return path[path.index(target) :]
                stack.append((target, path + [target]))
    return None
