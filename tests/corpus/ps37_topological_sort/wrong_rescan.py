# fails: topological_sort_tests_long_path, topological_sort_tests_complexity
# Right orders, too slow: looks through all nodes for the next one with in-degree 0 at
# every step (O(V) per step, O(V^2) in all).
def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    indegree = {node: 0 for node in nodes}
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    placed = set()
    order = []
    while len(order) < len(nodes):
        for node in nodes:
            if node not in placed and indegree[node] == 0:
                break
        else:
            return []
        placed.add(node)
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
    return order
