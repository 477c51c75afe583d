# A correct answer written differently: counts seen amounts in a dict.
def find_pairs(transactions, target):
    counts = {}
    out = []
    for amount in transactions:
        if counts.get(target - amount, 0) > 0:
            out.append((target - amount, amount))
        counts[amount] = counts.get(amount, 0) + 1
    return out
