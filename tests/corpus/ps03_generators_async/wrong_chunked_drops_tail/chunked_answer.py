# zip(*[iter(it)] * size): loses the last, shorter chunk.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    return zip(*[iter(iterable)] * size, strict=False)
