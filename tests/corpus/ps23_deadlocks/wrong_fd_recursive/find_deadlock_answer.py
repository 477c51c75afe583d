# A textbook recursive depth-first search: right on small graphs, but a chain of a few
# thousand waiting nodes exceeds Python's recursion limit.
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    finished = set()
    path = []
    on_path = {}

    def visit(node):
        on_path[node] = len(path)
        path.append(node)
        for target in graph.get(node, ()):
            if target in on_path:
                return path[on_path[target] :]
            if target not in finished:
                found = visit(target)
                if found is not None:
                    return found
        path.pop()
        del on_path[node]
        finished.add(node)
        return None

    for start in graph:
        if start not in finished:
            found = visit(start)
            if found is not None:
                return found
    return None
