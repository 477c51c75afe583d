# Fetches the next row before yielding the current one's items: reads one row ahead.
def flatten(rows):
    outer = iter(rows)
    current = next(outer, None)
    while current is not None:
        following = next(outer, None)
        if isinstance(current, str):
            yield current
        else:
            yield from current
        current = following
