# Collects the groups first and adds them up afterwards: by then each group is used up.
def totals_by_day(events):
    key = operator.itemgetter(0)
    groups = list(itertools.groupby(sorted(events, key=key), key=key))
    return [(day, sum(amount for _, amount in group)) for day, group in groups]
