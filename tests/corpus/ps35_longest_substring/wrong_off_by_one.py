# fails: longest_substring_tests_examples, longest_substring_tests_edge_cases, longest_substring_tests_random
# Measures the window as right - left, one short.
def lengthOfLongestSubstring(s):
    last = {}
    left = best = 0
    for right, ch in enumerate(s):
        if last.get(ch, -1) >= left:
            left = last[ch] + 1
        last[ch] = right
        best = max(best, right - left)
    return best
