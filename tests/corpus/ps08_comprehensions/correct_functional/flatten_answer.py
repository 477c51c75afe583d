# A correct answer built on chain.from_iterable, wrapping string rows.
def flatten(rows):
    return itertools.chain.from_iterable([row] if isinstance(row, str) else row for row in rows)
