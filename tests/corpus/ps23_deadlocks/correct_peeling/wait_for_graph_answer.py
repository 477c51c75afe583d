def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the other transactions holding the
    resource it waits for."""
    result = {}
    for waiter, resource in wanted.items():
        holders = {holder for holder in held.get(resource, []) if holder != waiter}
        result[waiter] = sorted(holders)
    return result
