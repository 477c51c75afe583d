# Filters out the waiter but keeps a holder as often as the lock table lists it.
def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the other holders."""
    return {
        waiter: sorted(h for h in held.get(resource, []) if h != waiter)
        for waiter, resource in wanted.items()
    }
