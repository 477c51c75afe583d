# fails: longest_substring_tests_examples, longest_substring_tests_random
# Jumps the window's start to the last occurrence even when that occurrence is already outside
# the window, so the start can move back ("abba" gives 3).
def lengthOfLongestSubstring(s):
    last = {}
    left = best = 0
    for right, ch in enumerate(s):
        if ch in last:
            left = last[ch] + 1
        last[ch] = right
        best = max(best, right - left + 1)
    return best
