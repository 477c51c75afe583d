# fails: merge_tests_examples, merge_tests_edge_cases, merge_tests_random
# Uses < instead of <=, so touching intervals such as [1, 4] and [4, 5] stay apart.
def merge(intervals):
    merged = []
    for start, end in sorted(intervals, key=lambda pair: pair[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
