# fails: longest_substring_tests_complexity
# Right answers, too slow: restarts the scan at every position (O(n x window)), and stops early
# only when what is left cannot beat the best.
def lengthOfLongestSubstring(s):
    best = 0
    for start in range(len(s)):
        if len(s) - start <= best:
            break
        seen = set()
        for ch in s[start:]:
            if ch in seen:
                break
            seen.add(ch)
        best = max(best, len(seen))
    return best
