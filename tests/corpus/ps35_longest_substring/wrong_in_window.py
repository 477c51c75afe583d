# fails: longest_substring_tests_complexity
# Right answers, too slow: keeps the window as a string and tests membership with `in`.
def lengthOfLongestSubstring(s):
    window = ""
    best = 0
    for ch in s:
        if ch in window:
            window = window[window.index(ch) + 1 :]
        window += ch
        best = max(best, len(window))
    return best
