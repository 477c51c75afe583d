# fails: longest_substring_tests_edge_cases
# Starts the best length at 1, so the empty string gives 1.
def lengthOfLongestSubstring(s):
    last = {}
    left = 0
    best = 1
    for right, ch in enumerate(s):
        if last.get(ch, -1) >= left:
            left = last[ch] + 1
        last[ch] = right
        best = max(best, right - left + 1)
    return best
