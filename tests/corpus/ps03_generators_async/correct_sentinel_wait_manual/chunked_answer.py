# Correct, written differently: iter() with a sentinel, asyncio.wait(FIRST_COMPLETED) refilling the running set, and a hand-made timeout with create_task and cancel.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be positive")
    source = iter(iterable)
    return iter(lambda: tuple(itertools.islice(source, size)), ())
