# fails: merge_tests_examples, merge_tests_edge_cases
# The notes' approach: sorts the caller's list in place and puts the caller's pairs in the result.
def merge(intervals):
    if not intervals:
        return []
    intervals.sort(key=lambda pair: pair[0])
    merged = [intervals[0]]
    for current in intervals[1:]:
        last = merged[-1]
        if current[0] <= last[1]:
            merged[-1] = [last[0], max(last[1], current[1])]
        else:
            merged.append(current)
    return merged
