# A correct answer written differently: a sweep over start and end events, counting depth.
def merge(intervals):
    events = []
    for start, end in intervals:
        events.append((start, 0))  # at equal positions starts come first, so touching merges
        events.append((end, 1))
    events.sort()
    merged = []
    depth = 0
    block_start = None
    for position, kind in events:
        if kind == 0:
            if depth == 0:
                block_start = position
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                merged.append([block_start, position])
    return merged
