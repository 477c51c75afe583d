# A correct answer written differently: heapq picks the smallest keys without a full sort.
import heapq


def top_allocation_sites(before, after, limit=3):
    rows = []
    for stat in after.compare_to(before, "lineno"):
        if stat.size_diff > 0:
            frame = stat.traceback[0]
            rows.append((frame.filename, frame.lineno, stat.size_diff))
    return heapq.nsmallest(limit, rows, key=lambda r: (-r[2], r[0], r[1]))
