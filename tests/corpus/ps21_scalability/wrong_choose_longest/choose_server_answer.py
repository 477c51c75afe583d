def choose_server(queue_lengths, seed):
    if not queue_lengths:
        raise ValueError("no servers")
    return max(range(len(queue_lengths)), key=queue_lengths.__getitem__)
