# A correct answer written differently: sorts positions by start, replaces the last block.
def merge(intervals):
    order = sorted(range(len(intervals)), key=lambda i: intervals[i][0])
    result = []
    for i in order:
        low, high = intervals[i]
        if result and low <= result[-1][1]:
            result[-1] = [result[-1][0], max(result[-1][1], high)]
        else:
            result.append([low, high])
    return result
