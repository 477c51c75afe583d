# Takes the waiter out of the lock table's own holder list (list.remove) instead of out of a
# copy: the next waiter on the same resource no longer sees it as a holder.
def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the other holders."""
    graph = {}
    for waiter, resource in wanted.items():
        holders = held.get(resource, [])
        while waiter in holders:
            holders.remove(waiter)
        graph[waiter] = sorted(set(holders))
    return graph
