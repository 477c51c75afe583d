# fails: topological_sort_tests_complexity
# Right orders, too slow: a depth-first search that puts each finished node at the front
# with list.insert(0, ...), which shifts the whole list every time.
def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    for u, v in edges:
        successors[u].append(v)
    state = {}
    order = []
    for start in nodes:
        if start in state:
            continue
        state[start] = "open"
        stack = [(start, iter(successors[start]))]
        while stack:
            node, rest = stack[-1]
            for nxt in rest:
                if state.get(nxt) == "open":
                    return []
                if nxt not in state:
                    state[nxt] = "open"
                    stack.append((nxt, iter(successors[nxt])))
                    break
            else:
                stack.pop()
                state[node] = "done"
                order.insert(0, node)
    return order
