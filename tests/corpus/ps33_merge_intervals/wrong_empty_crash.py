# fails: merge_tests_edge_cases
# Starts from the first interval without checking for an empty list (IndexError on []).
def merge(intervals):
    ordered = sorted(intervals, key=lambda pair: pair[0])
    merged = [list(ordered[0])]
    for start, end in ordered[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
