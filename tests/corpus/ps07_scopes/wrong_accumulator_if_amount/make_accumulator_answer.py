# `if amount:` tests truth, not presence: an amount of 0.0 is skipped.
def make_accumulator(start=0):
    total = start

    def add(amount=None):
        nonlocal total
        if amount:
            total += amount
        return total

    return add
