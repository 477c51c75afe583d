# fails: longest_substring_tests_complexity
# Right answers, too slow: searches a slice of the window for each new character
# (O(n x window), fast only while windows are short).
def lengthOfLongestSubstring(s):
    left = best = 0
    for right in range(len(s)):
        found = s[left:right].find(s[right])
        if found != -1:
            left += found + 1
        best = max(best, right - left + 1)
    return best
