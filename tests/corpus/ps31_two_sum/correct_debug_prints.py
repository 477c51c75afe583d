# A correct answer that still has its debugging prints in (it shows small inputs).
def find_pairs(transactions, target):
    if len(transactions) < 10:
        print("find_pairs called with", transactions, target)
    seen = set()
    pairs = []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs
