# fails: longest_substring_tests_examples, longest_substring_tests_edge_cases, longest_substring_tests_complexity
# A table of 128 last positions indexed by ord(ch): fine for ASCII, an IndexError beyond it.
def lengthOfLongestSubstring(s):
    last = [-1] * 128
    left = best = 0
    for right, ch in enumerate(s):
        code = ord(ch)
        if last[code] >= left:
            left = last[code] + 1
        last[code] = right
        best = max(best, right - left + 1)
    return best
