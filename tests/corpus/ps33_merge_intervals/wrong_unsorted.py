# fails: merge_tests_examples, merge_tests_random
# Forgets to sort: only neighbours in the given order are compared.
def merge(intervals):
    merged = []
    for start, end in intervals:
        if merged and start <= merged[-1][1] and end >= merged[-1][0]:
            merged[-1] = [min(merged[-1][0], start), max(merged[-1][1], end)]
        else:
            merged.append([start, end])
    return merged
