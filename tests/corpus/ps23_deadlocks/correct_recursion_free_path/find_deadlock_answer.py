def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    explored = set()
    for start in graph:
        if start in explored:
            continue
        on_path = set()
        path = []
        todo = [(start, True)]
        while todo:
            node, entering = todo.pop()
            if not entering:
                on_path.discard(node)
                explored.add(node)
                path.pop()
                continue
            if node in explored:
                continue
            if node in on_path:
                return path[path.index(node) :]
            on_path.add(node)
            path.append(node)
            todo.append((node, False))
            for target in reversed(graph.get(node, [])):
                if target in on_path:
                    return path[path.index(target) :]
                if target not in explored:
                    todo.append((target, True))
    return None
