def choose_server(queue_lengths, seed):
    """Least outstanding requests; the lowest index on a tie."""
    if len(queue_lengths) == 0:
        raise ValueError("no servers")
    best = 0
    for index, length in enumerate(queue_lengths):
        if length < queue_lengths[best]:
            best = index
    return best
