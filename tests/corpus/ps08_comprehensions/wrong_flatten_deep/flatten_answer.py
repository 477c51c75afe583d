# Flattens lists inside rows too: more than one level.
def flatten(rows):
    for row in rows:
        if isinstance(row, str):
            yield row
            continue
        for item in row:
            if isinstance(item, list):
                yield from item
            else:
                yield item
