_turn = [0]


def choose_server(queue_lengths, seed):
    if not queue_lengths:
        raise ValueError("no servers")
    _turn[0] += 1
    return _turn[0] % len(queue_lengths)
