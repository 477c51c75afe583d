# A correct answer written differently: remembers the first index of each amount.
def find_pairs(transactions, target):
    first_seen = {}
    result = []
    for index, num in enumerate(transactions):
        earlier = first_seen.get(target - num)
        if earlier is not None and earlier < index:
            result.append((target - num, num))
        first_seen.setdefault(num, index)
    return result
