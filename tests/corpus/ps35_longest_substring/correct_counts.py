# A correct answer written differently: counts of each character in the window.
from collections import defaultdict


def lengthOfLongestSubstring(s):
    counts = defaultdict(int)
    left = 0
    best = 0
    for right, ch in enumerate(s):
        counts[ch] += 1
        while counts[ch] > 1:
            counts[s[left]] -= 1
            left += 1
        best = max(best, right - left + 1)
    return best
