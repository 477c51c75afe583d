# fails: merge_tests_examples, merge_tests_edge_cases
# Sorts a copy, but extends the caller's own pair objects in place (and keeps tuples as tuples).
def merge(intervals):
    ordered = sorted(intervals, key=lambda pair: pair[0])
    if not ordered:
        return []
    merged = [ordered[0]]
    for current in ordered[1:]:
        if current[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], current[1])
        else:
            merged.append(current)
    return merged
