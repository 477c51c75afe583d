# A correct answer: groupby over the whole tuples sorted, and an explicit loop.
def totals_by_day(events):
    result = []
    for day, group in itertools.groupby(sorted(events), key=lambda event: event[0]):
        total = 0
        for _day, amount in group:
            total += amount
        result.append((day, total))
    return result
