# Refuses n == 0 only: a negative n reaches deque(maxlen=n) inside the generator, too late.
def windows(iterable, n):
    if n == 0:
        raise ValueError("n must not be 0")
    items = iter(iterable)

    def slide():
        window = collections.deque(maxlen=n)
        for item in items:
            window.append(item)
            if len(window) == n:
                yield tuple(window)

    return slide()
