# Ranks the growing lines by their total size now, not by how much they grew.
def top_allocation_sites(before, after, limit=3):
    stats = [s for s in after.compare_to(before, "lineno") if s.size_diff > 0]
    stats.sort(key=lambda s: (-s.size, s.traceback[0].filename, s.traceback[0].lineno))
    return [(s.traceback[0].filename, s.traceback[0].lineno, s.size_diff) for s in stats][:limit]
