# A correct answer as a generator expression.
def flatten(rows):
    return (item for row in rows for item in ((row,) if isinstance(row, str) else row))
