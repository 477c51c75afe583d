# A generator function that checks size in its body: the ValueError comes only at next().
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = iter(iterable)
    while chunk := tuple(itertools.islice(items, size)):
        yield chunk
