# Sorts by growth but forgets to drop the lines that shrank or did not change.
def top_allocation_sites(before, after, limit=3):
    rows = [
        (s.traceback[0].filename, s.traceback[0].lineno, s.size_diff)
        for s in after.compare_to(before, "lineno")
    ]
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    return rows[:limit]
