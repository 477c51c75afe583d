def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the other transactions holding the
    resource it waits for."""
    graph = {}
    for waiter in wanted:
        others = []
        for holder in held.get(wanted[waiter]) or []:
            if holder != waiter and holder not in others:
                others.append(holder)
        others.sort()
        graph[waiter] = others
    return graph
