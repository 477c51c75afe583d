# expect: 0
# flag: stopped before the end
# A right answer, then the process kills itself.
import os


def find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


os._exit(0)
