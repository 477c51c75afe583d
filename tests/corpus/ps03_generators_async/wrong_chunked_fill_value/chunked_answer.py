# The zip_longest grouper, then drops the None padding: also drops real None items.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    groups = itertools.zip_longest(*[iter(iterable)] * size)
    return (tuple(item for item in group if item is not None) for group in groups)
