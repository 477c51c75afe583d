# A correct answer with tee, islice and zip: copy k starts k items later.
def windows(iterable, n):
    if n < 1:
        raise ValueError("n must be positive")
    copies = itertools.tee(iterable, n)
    return zip(*(itertools.islice(copy, k, None) for k, copy in enumerate(copies)), strict=False)
