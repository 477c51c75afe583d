def find_deadlock(graph):
    """Return one cycle of the wait-for graph as a list of nodes, or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {}
    parent = {}
    for root in list(graph):
        if colour.get(root, WHITE) != WHITE:
            continue
        colour[root] = GREY
        stack = [(root, 0)]
        while stack:
            node, index = stack.pop()
            targets = graph.get(node, [])
            if index < len(targets):
                stack.append((node, index + 1))
                target = targets[index]
                state = colour.get(target, WHITE)
                if state == GREY:
                    cycle = [node]
                    while cycle[-1] != target:
                        cycle.append(parent[cycle[-1]])
                    cycle.reverse()
                    return cycle
                if state == WHITE:
                    colour[target] = GREY
                    parent[target] = node
                    stack.append((target, 0))
            else:
                colour[node] = BLACK
    return None
