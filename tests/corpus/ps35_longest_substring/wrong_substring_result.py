# fails: longest_substring_tests_examples, longest_substring_tests_edge_cases, longest_substring_tests_random
# Returns the longest substring itself instead of its length. (Copying each longer window also
# costs time, but too little for the growth check to tell reliably: it may pass or fail it.)
def lengthOfLongestSubstring(s):
    last = {}
    left = 0
    best = ""
    for right, ch in enumerate(s):
        if last.get(ch, -1) >= left:
            left = last[ch] + 1
        last[ch] = right
        if right - left + 1 > len(best):
            best = s[left : right + 1]
    return best
