# Forgets to stop: yields empty tuples for ever once the input is exhausted.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = iter(iterable)

    def chunks():
        while True:
            yield tuple(itertools.islice(items, size))

    return chunks()
