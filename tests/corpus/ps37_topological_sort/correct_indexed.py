# A correct answer written differently: numbers the nodes, keeps in-degrees and successors
# in lists indexed by number, and uses the result list itself as the queue (a read pointer).
def topological_sort(nodes, edges):
    number = {node: i for i, node in enumerate(nodes)}
    successors = [[] for _ in nodes]
    indegree = [0] * len(nodes)
    for u, v in edges:
        successors[number[u]].append(number[v])
        indegree[number[v]] += 1
    queue = [i for i, d in enumerate(indegree) if d == 0]
    head = 0
    while head < len(queue):
        current = queue[head]
        head += 1
        for nxt in successors[current]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    if len(queue) < len(nodes):
        return []
    return [nodes[i] for i in queue]
