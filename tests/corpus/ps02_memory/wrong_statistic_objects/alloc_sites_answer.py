# Returns tracemalloc's StatisticDiff objects instead of (filename, lineno, size_diff) tuples.
def top_allocation_sites(before, after, limit=3):
    stats = [s for s in after.compare_to(before, "lineno") if s.size_diff > 0]
    return sorted(stats, key=lambda s: -s.size_diff)[:limit]
