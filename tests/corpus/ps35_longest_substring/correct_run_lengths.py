# A correct answer written differently: the longest good run ending at each position, from the
# one ending just before it and the distance to the character's previous occurrence.
def lengthOfLongestSubstring(s):
    previous = {}
    run = 0
    runs = []
    for i, ch in enumerate(s):
        run = min(run + 1, i - previous.get(ch, -1))
        previous[ch] = i
        runs.append(run)
    return max(runs, default=0)
