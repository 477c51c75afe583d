# A one-item list as the box: the closure mutates it, so no nonlocal is needed.
_NO_AMOUNT = object()


def make_accumulator(start=0):
    box = [start]

    def add(amount=_NO_AMOUNT):
        if amount is not _NO_AMOUNT:
            box[0] = box[0] + amount
        return box[0]

    return add
