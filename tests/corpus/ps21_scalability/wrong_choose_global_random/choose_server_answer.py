def choose_server(queue_lengths, seed):
    """The index of the server that gets the next request, from the servers' outstanding
    requests and a seed for any randomness."""
    if not queue_lengths:
        raise ValueError("there is no server to choose")
    if len(queue_lengths) == 1:
        return 0
    first, second = random.sample(range(len(queue_lengths)), 2)
    return first if queue_lengths[first] <= queue_lengths[second] else second
