# A correct answer written differently: depth-first search with an explicit stack of
# iterators and three colours; a grey node met again means a cycle.
def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    for u, v in edges:
        successors[u].append(v)
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(nodes, WHITE)
    finished = []
    for start in nodes:
        if colour[start] != WHITE:
            continue
        colour[start] = GREY
        stack = [(start, iter(successors[start]))]
        while stack:
            node, pending = stack[-1]
            for nxt in pending:
                if colour[nxt] == GREY:
                    return []
                if colour[nxt] == WHITE:
                    colour[nxt] = GREY
                    stack.append((nxt, iter(successors[nxt])))
                    break
            else:
                stack.pop()
                colour[node] = BLACK
                finished.append(node)
    finished.reverse()
    return finished
