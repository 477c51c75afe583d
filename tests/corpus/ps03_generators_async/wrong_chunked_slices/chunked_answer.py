# Slices with len(): works on lists and strings, not on iterators or generators.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    return (tuple(iterable[i : i + size]) for i in range(0, len(iterable), size))
