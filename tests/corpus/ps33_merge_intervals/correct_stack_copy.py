# A correct answer written differently: copies the pairs to lists, sorts the copy in place, and
# merges with a while loop and an extra optional parameter.
def merge(intervals, merge_touching=True):
    pairs = [list(pair) for pair in intervals]
    pairs.sort(key=lambda pair: (pair[0], pair[1]))
    out = []
    i = 0
    while i < len(pairs):
        low, high = pairs[i]
        i += 1
        while i < len(pairs) and (pairs[i][0] <= high if merge_touching else pairs[i][0] < high):
            high = max(high, pairs[i][1])
            i += 1
        out.append([low, high])
    return out
