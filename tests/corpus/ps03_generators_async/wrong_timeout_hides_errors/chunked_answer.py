# The reference answer: this answer's mistake is in another cell.
def chunked(iterable, size):
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    items = iter(iterable)

    def chunks():
        while chunk := tuple(itertools.islice(items, size)):
            yield chunk

    return chunks()
