# Reads the next chunk before handing out the current one: one chunk too many pulled.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = iter(iterable)

    def chunks():
        chunk = tuple(itertools.islice(items, size))
        while chunk:
            following = tuple(itertools.islice(items, size))
            yield chunk
            chunk = following

    return chunks()
