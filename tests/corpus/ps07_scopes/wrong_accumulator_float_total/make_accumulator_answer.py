# Converts to float "to be safe": ints become floats, large ints lose digits.
def make_accumulator(start=0):
    total = float(start)

    def add(amount=None):
        nonlocal total
        if amount is not None:
            total += float(amount)
        return total

    return add
