# A correct answer written differently: the difference of the two snapshots' per-line
# statistics, computed by hand.
def top_allocation_sites(before, after, limit=3):
    def sizes(snapshot):
        table = {}
        for stat in snapshot.statistics("lineno"):
            frame = stat.traceback[0]
            table[(frame.filename, frame.lineno)] = stat.size
        return table

    old, new = sizes(before), sizes(after)
    growth = []
    for (filename, lineno), size in new.items():
        grew = size - old.get((filename, lineno), 0)
        if grew > 0:
            growth.append((filename, lineno, grew))
    return sorted(growth, key=lambda g: (-g[2], g[0], g[1]))[:limit]
