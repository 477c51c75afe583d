# A list comprehension: eager, and never ends on endless rows.
def flatten(rows):
    return [item for row in rows for item in ([row] if isinstance(row, str) else row)]
