# Keeps the total in an attribute of the function instead of a closure variable.
def make_accumulator(start=0):
    def add(amount=None):
        if amount is not None:
            add.total += amount
        return add.total

    add.total = start
    return add
