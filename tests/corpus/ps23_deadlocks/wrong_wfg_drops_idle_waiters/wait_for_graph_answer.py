# Leaves out a blocked transaction that waits for nobody, instead of mapping it to [].
def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the other holders."""
    graph = {}
    for waiter, resource in wanted.items():
        others = sorted(set(held.get(resource, [])) - {waiter})
        if others:
            graph[waiter] = others
    return graph
