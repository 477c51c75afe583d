# Sorts the caller's list in place: the events list changes, and a generator has no sort().
def totals_by_day(events):
    events.sort(key=operator.itemgetter(0))
    return [
        (day, sum(amount for _, amount in group))
        for day, group in itertools.groupby(events, key=operator.itemgetter(0))
    ]
