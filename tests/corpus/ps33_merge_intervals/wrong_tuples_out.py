# fails: merge_tests_examples, merge_tests_edge_cases, merge_tests_random, merge_tests_complexity
# Right blocks, but as tuples instead of [start, end] lists.
def merge(intervals):
    merged = []
    for start, end in sorted(intervals, key=lambda pair: pair[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
