# groupby without sorting first: a day that comes back later gets a second group.
def totals_by_day(events):
    day = operator.itemgetter(0)
    return [(d, sum(a for _, a in group)) for d, group in itertools.groupby(events, key=day)]
