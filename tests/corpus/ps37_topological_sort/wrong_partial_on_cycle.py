# fails: topological_sort_tests_edge_cases, topological_sort_tests_random
# Kahn's algorithm without the final length check: a cycle beside a valid part gives the
# valid part instead of [].
from collections import deque


def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    indegree = {node: 0 for node in nodes}
    for u, v in edges:
        successors[u].append(v)
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
    return order
