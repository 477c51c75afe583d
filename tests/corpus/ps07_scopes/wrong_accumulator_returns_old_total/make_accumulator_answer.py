# Returns the total from before the amount was added.
def make_accumulator(start=0):
    total = start

    def add(amount=None):
        nonlocal total
        before = total
        if amount is not None:
            total += amount
        return before

    return add
