# A correct O(n log n) answer: sorts (amount, position) copies, then binary-searches each
# complement's first position. Slower than O(n) by a log factor, which the contract allows.
from bisect import bisect_left


def find_pairs(transactions, target):
    ordered = sorted((num, i) for i, num in enumerate(transactions))
    keys = [num for num, _ in ordered]
    pairs = []
    for i, num in enumerate(transactions):
        j = bisect_left(keys, target - num)
        if j < len(keys) and keys[j] == target - num and ordered[j][1] < i:
            pairs.append((target - num, num))
    return pairs
