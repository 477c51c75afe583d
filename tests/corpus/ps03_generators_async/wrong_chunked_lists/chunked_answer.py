# Yields lists instead of tuples.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = iter(iterable)

    def chunks():
        while chunk := list(itertools.islice(items, size)):
            yield chunk

    return chunks()
