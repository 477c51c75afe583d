# fails: merge_tests_examples, merge_tests_random
# Sorts by end instead of start: a long interval given late keeps a wrong start.
def merge(intervals):
    merged = []
    for start, end in sorted(intervals, key=lambda pair: pair[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
