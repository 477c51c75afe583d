# Lazy, but treats a string row like any other iterable: "Total" becomes five items.
def flatten(rows):
    return itertools.chain.from_iterable(rows)
