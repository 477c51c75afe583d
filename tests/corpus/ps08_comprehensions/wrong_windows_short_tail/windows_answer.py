# Yields what it has when the input is shorter than n: a window of fewer than n items.
def windows(iterable, n):
    if n < 1:
        raise ValueError("n must be at least 1")
    items = iter(iterable)

    def slide():
        window = collections.deque(itertools.islice(items, n), maxlen=n)
        yield tuple(window)
        for item in items:
            window.append(item)
            yield tuple(window)

    return slide()
