# Starts the search from the first node only: a cycle that the first node cannot reach is
# never found.
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    if not graph:
        return None
    start = next(iter(graph))
    finished = set()
    position = {start: 0}
    path = [start]
    pending = [iter(graph.get(start, ()))]
    while pending:
        for node in pending[-1]:
            if node in position:
                return path[position[node] :]
            if node not in finished:
                position[node] = len(path)
                path.append(node)
                pending.append(iter(graph.get(node, ())))
                break
        else:
            pending.pop()
            done = path.pop()
            del position[done]
            finished.add(done)
    return None
