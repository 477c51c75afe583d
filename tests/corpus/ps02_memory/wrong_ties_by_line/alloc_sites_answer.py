# Orders lines that grew equally by line number first and filename second: lines of different
# files come in the wrong order.
def top_allocation_sites(before, after, limit=3):
    rows = [
        (s.traceback[0].filename, s.traceback[0].lineno, s.size_diff)
        for s in after.compare_to(before, "lineno")
        if s.size_diff > 0
    ]
    rows.sort(key=lambda row: (-row[2], row[1], row[0]))
    return rows[:limit]
