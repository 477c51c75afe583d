# A correct answer with a defaultdict and an explicit sort of the keys.
from collections import defaultdict


def totals_by_day(events):
    sums = defaultdict(int)
    for day, amount in events:
        sums[day] += amount
    return [(day, sums[day]) for day in sorted(sums)]
