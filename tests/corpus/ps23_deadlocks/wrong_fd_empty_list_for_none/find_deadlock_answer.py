# Returns [] when there is no cycle: "nothing found" as an empty list instead of None.
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or []."""
    finished = set()
    for start in graph:
        if start in finished:
            continue
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
    return []
