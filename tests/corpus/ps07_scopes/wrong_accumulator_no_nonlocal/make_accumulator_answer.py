# Forgets `nonlocal`: `total += amount` makes total local to add -> UnboundLocalError.
def make_accumulator(start=0):
    total = start

    def add(amount=None):
        if amount is not None:
            total += amount  # noqa: F823
        return total

    return add
