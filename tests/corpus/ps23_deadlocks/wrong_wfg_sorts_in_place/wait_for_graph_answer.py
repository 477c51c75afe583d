# Sorts the lock table's own holder lists in place (list.sort), changing the caller's data.
def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the other holders."""
    graph = {}
    for waiter, resource in wanted.items():
        holders = held.get(resource, [])
        holders.sort()
        graph[waiter] = [h for i, h in enumerate(holders) if h != waiter and h not in holders[:i]]
    return graph
