# Correct, with debugging prints left in: printing must not cost points.
def chunked(iterable, size):
    print("chunked called with size", size)
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    items = iter(iterable)

    def chunks():
        while True:
            chunk = tuple(itertools.islice(items, size))
            if not chunk:
                print("no more chunks")
                return
            yield chunk

    return chunks()
