# Adds up the amounts first and the start last: another order, other float roundings.
def make_accumulator(start=0):
    amounts = []

    def add(amount=None):
        if amount is not None:
            amounts.append(amount)
        subtotal = 0
        for value in amounts:
            subtotal += value
        return start + subtotal

    return add
