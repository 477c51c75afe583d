# fails: longest_substring_tests_examples, longest_substring_tests_random
# Counts the distinct characters of the whole string, not of one run.
def lengthOfLongestSubstring(s):
    return len(set(s))
