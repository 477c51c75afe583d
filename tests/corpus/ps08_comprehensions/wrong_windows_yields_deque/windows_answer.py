# Yields the deque itself: not a tuple, and every window collected is the same changing object.
def windows(iterable, n):
    if n < 1:
        raise ValueError("n must be at least 1")
    items = iter(iterable)

    def slide():
        window = collections.deque(itertools.islice(items, n - 1), maxlen=n)
        for item in items:
            window.append(item)
            yield window

    return slide()
