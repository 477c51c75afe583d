def choose_server(queue_lengths, seed):
    """Join the shortest queue; a tie is broken at random, from the seed."""
    if not queue_lengths:
        raise ValueError("no server")
    shortest = min(queue_lengths)
    candidates = [i for i, q in enumerate(queue_lengths) if q == shortest]
    return random.Random(seed).choice(candidates)
