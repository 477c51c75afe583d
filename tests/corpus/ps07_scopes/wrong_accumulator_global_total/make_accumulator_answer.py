# `global` instead of `nonlocal`: one total for every accumulator.
total = 0


def make_accumulator(start=0):
    global total
    total = start

    def add(amount=None):
        global total
        if amount is not None:
            total += amount
        return total

    return add
