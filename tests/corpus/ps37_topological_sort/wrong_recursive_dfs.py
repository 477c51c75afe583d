# fails: topological_sort_tests_long_path
# A recursive depth-first search: right on small graphs, but a long chain of dependencies
# exceeds Python's recursion limit.
def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    for u, v in edges:
        successors[u].append(v)
    state = {}
    order = []

    def visit(node):
        state[node] = "visiting"
        for nxt in successors[node]:
            if state.get(nxt) == "visiting":
                return False
            if nxt not in state and not visit(nxt):
                return False
        state[node] = "done"
        order.append(node)
        return True

    for node in nodes:
        if node not in state and not visit(node):
            return []
    return order[::-1]
