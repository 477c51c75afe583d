# A correct answer with explicit iterators and next().
def flatten(rows):
    outer = iter(rows)
    while True:
        try:
            row = next(outer)
        except StopIteration:
            return
        if type(row) is str or isinstance(row, str):
            yield row
            continue
        inner = iter(row)
        while True:
            try:
                item = next(inner)
            except StopIteration:
                break
            yield item
