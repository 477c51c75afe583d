# chain(*rows): unpacks every row before the first item, and splits string rows.
def flatten(rows):
    return itertools.chain(*rows)
