# Correct, written differently: a list buffer, a pool of `limit` workers sharing one iterator, and asyncio.wait_for.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be >= 1")
    return _chunks_of(iterable, size)


def _chunks_of(iterable, size):
    buffer = []
    for item in iterable:
        buffer.append(item)
        if len(buffer) == size:
            yield tuple(buffer)
            buffer = []
    if buffer:
        yield tuple(buffer)
