# Slices a list of all items: needs len(), so it reads the whole input first.
def windows(iterable, n):
    if n < 1:
        raise ValueError("n must be at least 1")
    items = list(iterable)
    return iter([tuple(items[i : i + n]) for i in range(len(items) - n + 1)])
