# fails: longest_substring_tests_examples, longest_substring_tests_random
# On a repeat, starts a new window at the repeated character instead of just after its earlier
# occurrence ("dvdf" gives 2).
def lengthOfLongestSubstring(s):
    window = set()
    best = 0
    for ch in s:
        if ch in window:
            window = {ch}
        else:
            window.add(ch)
        best = max(best, len(window))
    return best
