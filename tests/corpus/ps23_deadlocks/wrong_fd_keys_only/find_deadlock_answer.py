# Looks up every node with graph[node]: a node that waits for nobody and is therefore not a
# key raises KeyError.
def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    finished = set()
    for start in graph:
        if start in finished:
            continue
        position = {start: 0}
        path = [start]
        pending = [iter(graph[start])]
        while pending:
            for node in pending[-1]:
                if node in position:
                    return path[position[node] :]
                if node not in finished:
                    position[node] = len(path)
                    path.append(node)
                    pending.append(iter(graph[node]))
                    break
            else:
                pending.pop()
                done = path.pop()
                del position[done]
                finished.add(done)
    return None
