# fails: topological_sort_tests_complexity
# Right orders, too slow: takes the first ready node and deletes it with list.remove, which
# searches the list and shifts everything after it.
def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    indegree = {node: 0 for node in nodes}
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = [node for node in nodes if indegree[node] == 0]
    order = []
    while ready:
        node = ready[0]
        ready.remove(node)
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order if len(order) == len(nodes) else []
