# expect: 10
# flag: output was too long
# A right answer that prints hundreds of megabytes.
import os


def find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


for _ in range(200):
    print("x" * 1_000_000)
try:
    os.write(1, b"y" * 200_000_000)
except OSError:
    pass
