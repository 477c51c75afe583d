# fails: word_break_tests_examples, word_break_tests_edge_cases, word_break_tests_random, word_break_tests_complexity
# Right table, but of 0s and 1s: returns 1 or 0 instead of True or False.
def wordBreak(s, wordDict):
    words = set(wordDict)
    can = [1] + [0] * len(s)
    for i in range(1, len(s) + 1):
        for j in range(i):
            if can[j] and s[j:i] in words:
                can[i] = 1
                break
    return can[len(s)]
