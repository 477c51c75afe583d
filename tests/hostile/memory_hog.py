# expect: 10
# A right answer, then allocations until memory runs out: the limit stops them with a
# MemoryError in this cell only (the memory is then let go), and the tests still run.
def find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


hoard = []
try:
    for _ in range(64):  # never more than 4 GB, should the limit fail
        hoard.append(bytearray(64 * 1024 * 1024))
finally:
    print(f"allocated {64 * len(hoard)} MB before being stopped")
    del hoard
