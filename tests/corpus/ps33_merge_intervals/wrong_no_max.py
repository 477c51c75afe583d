# fails: merge_tests_examples, merge_tests_edge_cases, merge_tests_random
# Takes the later interval's end instead of the larger end: an interval inside another shortens it.
def merge(intervals):
    merged = []
    for start, end in sorted(intervals, key=lambda pair: pair[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged
