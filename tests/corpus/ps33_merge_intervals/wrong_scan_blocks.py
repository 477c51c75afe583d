# fails: merge_tests_complexity
# Right answers, too slow: merges each interval into the blocks found so far by scanning them
# all (O(n^2) when the intervals are disjoint).
def merge(intervals):
    blocks = []
    for start, end in intervals:
        kept = []
        for low, high in blocks:
            if low <= end and start <= high:
                start, end = min(start, low), max(end, high)
            else:
                kept.append([low, high])
        kept.append([start, end])
        blocks = kept
    blocks.sort()
    return blocks
