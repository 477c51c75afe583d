# fails: topological_sort_tests_edge_cases
# Always takes the smallest ready node (a heap) for a "canonical" order: nodes of mixed
# kinds cannot be compared, so it raises TypeError.
import heapq


def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    indegree = {node: 0 for node in nodes}
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    heap = [node for node in nodes if indegree[node] == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        node = heapq.heappop(heap)
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(heap, nxt)
    return order if len(order) == len(nodes) else []
