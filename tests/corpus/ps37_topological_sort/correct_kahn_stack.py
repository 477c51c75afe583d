# A correct answer written differently: Kahn's algorithm with a Counter and a plain list
# used as a stack (pop from the end is O(1)); the order differs from a queue's, and is valid.
from collections import Counter, defaultdict


def topological_sort(nodes, edges):
    after = defaultdict(list)
    waiting = Counter()
    for before, later in edges:
        after[before].append(later)
        waiting[later] += 1
    stack = [node for node in nodes if waiting[node] == 0]
    result = []
    while stack:
        node = stack.pop()
        result.append(node)
        for later in after[node]:
            waiting[later] -= 1
            if waiting[later] == 0:
                stack.append(later)
    if len(result) != len(nodes):
        return []
    return result
