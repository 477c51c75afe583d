def choose_server(queue_lengths, seed):
    if not queue_lengths:
        raise ValueError("no servers")
    order = sorted(range(len(queue_lengths)), key=queue_lengths.__getitem__)
    queue_lengths.sort()
    return order[0]
