# A correct answer: a module-level generator, the check in the plain function.
from collections import deque


def _sliding(items, n):
    window = deque(maxlen=n)
    for item in items:
        window.append(item)
        if len(window) == n:
            yield tuple(window)


def windows(iterable, n):
    if not isinstance(n, int) or n <= 0:
        raise ValueError("n must be an int of at least 1")
    return _sliding(iter(iterable), n)
