# `start or 0`: a start of 0.0 or False becomes the int 0.
def make_accumulator(start=None):
    total = start or 0

    def add(amount=None):
        nonlocal total
        if amount is not None:
            total += amount
        return total

    return add
