# A callable class: right totals, but the contract asks for a plain function and a closure.
class _Accumulator:
    def __init__(self, start):
        self.total = start

    def __call__(self, amount=None):
        if amount is not None:
            self.total += amount
        return self.total


def make_accumulator(start=0):
    return _Accumulator(start)
