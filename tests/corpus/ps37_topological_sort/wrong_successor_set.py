# fails: topological_sort_tests_edge_cases
# Keeps successors in a set but counts in-degrees per edge: with a repeated edge the count
# never reaches 0 and a valid graph is reported as cyclic.
from collections import deque


def topological_sort(nodes, edges):
    successors = {node: set() for node in nodes}
    indegree = {node: 0 for node in nodes}
    for u, v in edges:
        successors[u].add(v)
        indegree[v] += 1
    queue = deque(node for node in nodes if indegree[node] == 0)
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order if len(order) == len(nodes) else []
