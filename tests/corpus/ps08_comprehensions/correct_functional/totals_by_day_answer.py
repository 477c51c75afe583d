# A correct answer with a dict, no groupby.
def totals_by_day(events):
    sums = {}
    for day, amount in events:
        sums[day] = sums.get(day, 0) + amount
    return sorted(sums.items())
