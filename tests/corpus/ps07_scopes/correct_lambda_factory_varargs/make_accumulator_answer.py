# *amounts: add() and add(x) both work; the total lives in a nonlocal.
def make_accumulator(start=0):
    total = start

    def add(*amounts):
        nonlocal total
        for amount in amounts:
            total = total + amount
        return total

    return add
