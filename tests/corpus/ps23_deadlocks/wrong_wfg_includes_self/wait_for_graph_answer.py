# Forgets that a waiter may itself hold a share of the lock it wants (a lock upgrade): it
# lists itself among the transactions it waits for, a self-loop that looks like a deadlock.
def wait_for_graph(held, wanted):
    """Map each blocked transaction to the sorted list of the holders of its resource."""
    return {waiter: sorted(set(held.get(resource, []))) for waiter, resource in wanted.items()}
