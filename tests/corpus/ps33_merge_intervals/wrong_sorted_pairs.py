# fails: merge_tests_edge_cases
# Sorts whole pairs: fine for all lists or all tuples, a TypeError when a list meets a tuple.
def merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
