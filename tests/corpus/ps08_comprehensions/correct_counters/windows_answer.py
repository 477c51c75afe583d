# A correct answer with a plain list as the buffer (pop(0) is O(n), fine for small n).
def windows(iterable, n):
    if n < 1:
        raise ValueError(f"bad window size {n}")
    source = iter(iterable)

    def gen():
        buffer = []
        for item in source:
            buffer.append(item)
            if len(buffer) > n:
                buffer.pop(0)
            if len(buffer) == n:
                yield tuple(buffer)

    return gen()
