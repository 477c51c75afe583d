# fails: topological_sort_tests_examples, topological_sort_tests_edge_cases, topological_sort_tests_random
# Depth-first search that only remembers "visited": it never notices a back edge, so a
# graph with a cycle still gets an order.
def topological_sort(nodes, edges):
    successors = {node: [] for node in nodes}
    for u, v in edges:
        successors[u].append(v)
    visited = set()
    order = []
    for start in nodes:
        if start in visited:
            continue
        visited.add(start)
        stack = [(start, iter(successors[start]))]
        while stack:
            node, rest = stack[-1]
            for nxt in rest:
                if nxt not in visited:
                    visited.add(nxt)
                    stack.append((nxt, iter(successors[nxt])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order[::-1]
