def choose_server(queue_lengths, seed):
    """Power of two choices, drawn from the seed; ties go to the first drawn."""
    n = len(queue_lengths)
    if n == 0:
        raise ValueError("empty cluster")
    if n == 1:
        return 0
    draw = random.Random(seed)
    first = draw.randrange(n)
    second = draw.randrange(n - 1)
    if second >= first:
        second += 1
    if queue_lengths[second] < queue_lengths[first]:
        return second
    return first
