# Reads the whole input into a list first: right on finite input, never ends on an endless one.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = list(iterable)
    return (tuple(items[i : i + size]) for i in range(0, len(items), size))
