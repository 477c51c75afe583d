# fails: topological_sort_tests_complexity
# Right orders, too slow: the queue is a list and list.pop(0) shifts every waiting node.
def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    indegree = {node: 0 for node in nodes}
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    queue = [node for node in nodes if indegree[node] == 0]
    order = []
    while queue:
        node = queue.pop(0)
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order if len(order) == len(nodes) else []
