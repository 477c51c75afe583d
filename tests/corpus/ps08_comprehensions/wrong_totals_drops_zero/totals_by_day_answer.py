# Leaves out days whose total is 0 (a falsy total taken for "no data").
def totals_by_day(events):
    key = operator.itemgetter(0)
    totals = [(d, sum(a for _, a in g)) for d, g in itertools.groupby(sorted(events, key=key), key)]
    return [(day, total) for day, total in totals if total]
