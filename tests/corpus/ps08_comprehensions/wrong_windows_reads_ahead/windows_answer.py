# Fills the window, then pulls the next item before yielding: one item read ahead.
def windows(iterable, n):
    if n < 1:
        raise ValueError("n must be at least 1")
    items = iter(iterable)
    done = object()

    def slide():
        window = collections.deque(itertools.islice(items, n), maxlen=n)
        if len(window) < n:
            return
        following = next(items, done)
        while True:
            yield tuple(window)
            if following is done:
                return
            window.append(following)
            following = next(items, done)

    return slide()
