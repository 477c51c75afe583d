# A generator function: the ValueError comes at the first next(), not at the call.
def windows(iterable, n):
    if n < 1:
        raise ValueError("n must be at least 1")
    window = collections.deque(maxlen=n)
    for item in iterable:
        window.append(item)
        if len(window) == n:
            yield tuple(window)
