# Keeps every amount, and re-adds them in call order from start (slower, same values).
def make_accumulator(start=0):
    amounts = []

    def add(*given):
        amounts.extend(given)
        return functools.reduce(operator.add, amounts, start)

    return add
