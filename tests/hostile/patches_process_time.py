# expect: 8
# A correct but quadratic answer that replaces the CPU clock while it runs, so that its time
# seems to grow linearly with the input. Only the growth check may fail.
import time

_real = time.process_time
_fake = [0.0]


def find_pairs(transactions, target):
    time.process_time = lambda: _fake[0]
    _fake[0] += len(transactions) * 1e-7
    pairs = []
    for j, num in enumerate(transactions):
        if any(earlier == target - num for earlier in transactions[:j]):
            pairs.append((target - num, num))
    return pairs
