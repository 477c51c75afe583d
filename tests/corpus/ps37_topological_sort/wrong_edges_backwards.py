# fails: topological_sort_tests_examples, topological_sort_tests_edge_cases, topological_sort_tests_random, topological_sort_tests_long_path, topological_sort_tests_complexity
# Reads each edge (u, v) as "v before u": every order comes out reversed.
from collections import deque


def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    indegree = {node: 0 for node in nodes}
    for u, v in edges:
        successors[v].append(u)
        indegree[u] += 1
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
